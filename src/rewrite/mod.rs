//! The rewriting engine: find what in a text must change, decide each replacement, and
//! return the new text with every edit and flag. No I/O, no printing.
//!
//! Three passes over the text: contact details and links first, found by their tell-tale
//! bytes (they are protected from word rules); then the subjects' names, each word looked up
//! in the batch's people index; then one automaton for every static word of the pronoun, term
//! and flag rules, run at the words that may open one (`triggers.rs`). Each hit is checked for
//! word boundaries and decided by looking at its neighbours only.

mod case;
mod contact;
mod examples;
mod flags;
mod grammar;
mod names;
mod pronouns;
mod subjects;
mod terms;
mod text;
mod trade;
mod triggers;
mod view;

use std::ops::Range;
use std::sync::Arc;

pub use crate::fold::fold;
pub use case::{Case, apply_case, case_of, restore_case};
pub use examples::{ExampleReport, check_rule_examples};
pub use names::IdentifierHit;
pub use subjects::{InterviewerNames, Role, SubjectError, SubjectSpec, Subjects};

use crate::rules::{Family, FamilySet, RuleSet};
use grammar::Grammar;
use pronouns::Pronoun;
use triggers::Triggers;
use view::View;

/// One replacement: which rule made it, what it replaced (a byte span of the input) and with what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub rule: Arc<str>,
    pub span: Range<usize>,
    pub before: String,
    pub after: String,
}

/// Something for a human to review, left as written: `span` is a byte span of the
/// *rewritten* text, where the reader will find it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flag {
    pub rule: Arc<str>,
    pub span: Range<usize>,
    pub text: String,
}

/// A rewritten text with the record of how it was made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rewritten {
    pub text: String,
    pub edits: Vec<Edit>,
    pub flags: Vec<Flag>,
}

/// A replacement proposed by one family, before overlaps between families are settled.
#[derive(Debug, Clone)]
pub(crate) struct Pending {
    pub span: Range<usize>,
    pub after: String,
    pub rule: Arc<str>,
    pub family: Family,
}

impl Pending {
    pub fn new(span: Range<usize>, after: String, rule: Arc<str>, family: Family) -> Pending {
        Pending {
            span,
            after,
            rule,
            family,
        }
    }

    /// When two proposals overlap, the lower rank wins: a contact detail is replaced whole,
    /// a name beats a word rule.
    fn rank(&self) -> u8 {
        match self.family {
            Family::Contact => 0,
            Family::Names => 1,
            Family::Terms => 2,
            Family::Pronouns => 3,
            Family::Flags => 4,
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum Action {
    Pronoun(Pronoun),
    Term(usize),
    Flag(usize),
    Phone,
}

#[derive(Debug, thiserror::Error)]
#[error("could not build the rewriter's automaton: {0}")]
pub struct BuildError(String);

/// A compiled rewriter: the rule set and its automata, shared read-only by all workers.
#[derive(Debug)]
pub struct Rewriter {
    rules: Arc<RuleSet>,
    families: FamilySet,
    triggers: Option<Triggers>,
    /// Per automaton pattern: what to do, and the length of the pattern each action is for.
    /// A pattern also carries the actions of the shorter patterns that are whole-word
    /// prefixes of it ("maternity" of "maternity leave"), which a longest match would hide.
    actions: Vec<Vec<(Action, usize)>>,
}

impl Rewriter {
    /// Compile the automata for the given families of `rules`.
    pub fn new(rules: Arc<RuleSet>, families: FamilySet) -> Result<Rewriter, BuildError> {
        let mut patterns: Vec<String> = Vec::new();
        let mut actions: Vec<Vec<Action>> = Vec::new();
        // Every word is looked for where a word starts: after the skeleton's space.
        let mut add = |word: &str, action: Action| {
            let pattern = format!(" {}", view::skeleton_of(word));
            match patterns.iter().position(|p| *p == pattern) {
                Some(i) => actions[i].push(action),
                None => {
                    patterns.push(pattern);
                    actions.push(vec![action]);
                }
            }
        };
        if families.contains(Family::Pronouns) {
            for (word, pronoun) in Pronoun::WORDS {
                add(word, Action::Pronoun(pronoun));
            }
        }
        if families.contains(Family::Terms) {
            for (i, (word, _)) in rules.terms.entries.iter().enumerate() {
                add(word, Action::Term(i));
            }
        }
        if families.contains(Family::Flags) {
            for (i, flag) in rules.flags.patterns.iter().enumerate() {
                if let crate::rules::Element::Words(words) = &flag.pattern.elements[flag.pattern.anchor] {
                    for word in words {
                        add(word, Action::Flag(i));
                    }
                }
            }
        }
        if families.contains(Family::Contact) && rules.contact.phone.is_some() {
            for trigger in ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"] {
                add(trigger, Action::Phone);
            }
        }
        let mut actions: Vec<Vec<(Action, usize)>> = patterns
            .iter()
            .zip(&actions)
            .map(|(pattern, own)| {
                let mut all: Vec<(Action, usize)> = own.iter().map(|a| (*a, pattern.len())).collect();
                for (shorter, theirs) in patterns.iter().zip(&actions) {
                    if pattern.len() > shorter.len()
                        && pattern.starts_with(shorter.as_str())
                        && pattern.as_bytes()[shorter.len()] == b' '
                    {
                        all.extend(theirs.iter().map(|a| (*a, shorter.len())));
                    }
                }
                all
            })
            .collect();
        // Longer patterns first; terms sharing a skeleton ("mr." and "mr") longest first.
        for list in &mut actions {
            list.sort_by_key(|(a, len)| {
                let key = match a {
                    Action::Term(i) => rules.terms.entries[*i].0.len(),
                    _ => 0,
                };
                std::cmp::Reverse((*len, key))
            });
        }
        let triggers = if patterns.is_empty() {
            None
        } else {
            Some(Triggers::new(&patterns).map_err(BuildError)?)
        };
        Ok(Rewriter {
            rules,
            families,
            triggers,
            actions,
        })
    }

    pub fn rules(&self) -> &RuleSet {
        &self.rules
    }

    pub fn families(&self) -> FamilySet {
        self.families
    }

    /// Compile the subjects whose names must not survive; build once per batch and share.
    pub fn subjects(&self, specs: &[SubjectSpec]) -> Result<Subjects, SubjectError> {
        Subjects::compile(&self.rules, specs, false)
    }

    /// The subjects with every form of their names, whatever the name rules ask for: what
    /// an audit looks for with [`Rewriter::identifiers_in`].
    pub fn audit_subjects(&self, specs: &[SubjectSpec]) -> Result<Subjects, SubjectError> {
        Subjects::compile(&self.rules, specs, true)
    }

    /// Every mention of a candidate in `text` that the rewriter would take for a name: what
    /// must never reach a packet. See [`Subjects::identifiers_in`].
    pub fn identifiers_in(&self, subjects: &Subjects, text: &str) -> Vec<IdentifierHit> {
        subjects.identifiers_in(&self.rules, text)
    }

    /// Rewrite one text. Text that needs no change comes back byte-identical.
    pub fn rewrite(&self, text: &str, subjects: &Subjects) -> Rewritten {
        let g = Grammar::new(&self.rules);
        let mut pending: Vec<Pending> = Vec::new();
        let mut flagged: Vec<Pending> = Vec::new();

        let view = View::new(text, self.triggers.is_some());
        let contact = &self.rules.contact;
        let protected = contact::find_protected(text, &contact.profile_domains, &contact.link_tlds);
        if self.families.contains(Family::Contact) {
            for p in &protected {
                let rule = match p.kind {
                    contact::Kind::Email => &self.rules.contact.email,
                    contact::Kind::Url => &self.rules.contact.url,
                    contact::Kind::Handle => &self.rules.contact.handle,
                    contact::Kind::Hashtag => &None,
                };
                if let Some((id, placeholder)) = rule {
                    pending.push(Pending::new(
                        p.span.clone(),
                        placeholder.clone(),
                        id.clone(),
                        Family::Contact,
                    ));
                }
            }
        }
        if self.families.contains(Family::Names) {
            let emails: Vec<Range<usize>> = protected
                .iter()
                .filter(|p| p.kind == contact::Kind::Email)
                .map(|p| p.span.clone())
                .collect();
            names::find(&g, text, &view, &emails, subjects, &mut pending, &mut flagged);
        }
        // Word rules do not look inside links, emails, handles or names.
        let mut blocked: Vec<Range<usize>> = protected.iter().map(|p| p.span.clone()).collect();
        blocked.extend(
            pending
                .iter()
                .filter(|p| p.family == Family::Names)
                .map(|p| p.span.clone()),
        );
        blocked.sort_by_key(|r| r.start);
        let mut name_starts: Vec<usize> = pending
            .iter()
            .filter(|p| p.family == Family::Names)
            .map(|p| p.span.start)
            .collect();
        name_starts.sort_unstable();

        if let Some(triggers) = &self.triggers {
            let context = Context {
                blocked: &blocked,
                name_starts: &name_starts,
            };
            self.scan_words(g, text, &view, triggers, &context, &mut pending, &mut flagged);
        }
        finish(text, pending, flagged)
    }

    #[allow(clippy::too_many_arguments)]
    fn scan_words(
        &self,
        g: Grammar<'_>,
        text: &str,
        view: &View,
        triggers: &Triggers,
        context: &Context<'_>,
        pending: &mut Vec<Pending>,
        flagged: &mut Vec<Pending>,
    ) {
        let blocked = context.blocked;
        let hay = &view.skeleton;
        let mut pos = 0;
        let mut b = 0;
        // Text an earlier rule already took ("she" of "he or she", a phone number's digits).
        let mut consumed = 0;
        while let Some(m) = triggers.find(hay, pos) {
            pos = m.end();
            // Skeleton offset i is base offset i - 1: the word starts right after the space.
            let base_start = m.start();
            let Some(span) = view.original(base_start, m.end() - 1) else {
                continue;
            };
            if span.start < consumed {
                continue;
            }
            while b < blocked.len() && blocked[b].end <= span.start {
                b += 1;
            }
            if blocked.get(b).is_some_and(|block| block.start < span.end) {
                continue;
            }
            let mut taken = false;
            let mut term_taken = false;
            for &(action, len) in &self.actions[m.pattern().as_usize()] {
                // This action's word: the pattern it came from, without its leading space.
                let base_end = base_start + len - 1;
                let Some(span) = view.original(base_start, base_end) else {
                    continue;
                };
                match action {
                    // "call her Priya": before a name, "her" is an object.
                    Action::Pronoun(Pronoun::Her)
                        if text::is_whole_word(text, &span)
                            && text::next_token(text, span.end)
                                .is_some_and(|t| context.name_starts.binary_search(&t.start()).is_ok()) =>
                    {
                        if let Some(rule) = &self.rules.pronouns.ids.object {
                            let them = restore_case(&text[span.clone()], "them");
                            pending.push(Pending::new(span.clone(), them, rule.clone(), Family::Pronouns));
                        }
                        taken = true;
                    }
                    Action::Pronoun(pronoun) => {
                        if text::is_whole_word(text, &span) && !text::in_hyphenated_compound(text, &span) {
                            consumed = consumed.max(pronouns::rewrite(g, text, pronoun, span.clone(), pending));
                            taken = true;
                        }
                    }
                    // Terms sharing a skeleton come longest first: the first that is there wins.
                    Action::Term(_) if term_taken => {}
                    Action::Term(i) => {
                        let (key, entry) = &self.rules.terms.entries[i];
                        let matches = view.base().as_bytes().get(base_start..base_start + key.len())
                            == Some(key.as_bytes())
                            && (key.ends_with('.')
                                || !view.base()[base_start + key.len()..]
                                    .starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_'));
                        if let Some(span) = matches
                            .then(|| view.original(base_start, base_start + key.len()))
                            .flatten()
                        {
                            terms::rewrite(g, text, entry, span, pending);
                            taken = true;
                            term_taken = true;
                        }
                    }
                    Action::Flag(i) => {
                        let flag = &self.rules.flags.patterns[i];
                        if text::is_whole_word(text, &span)
                            && let Some(found) = flags::match_at(g, text, &flag.pattern, span.clone())
                        {
                            flagged.push(Pending::new(found, String::new(), flag.rule.clone(), Family::Flags));
                        }
                        taken = true;
                    }
                    Action::Phone => {
                        // "+44 ..." and "(555) ...": the sign or bracket belongs to the number.
                        let start = match text::char_before(text, span.start) {
                            Some(c @ ('+' | '(')) => span.start - c.len_utf8(),
                            _ => span.start,
                        };
                        if let Some(found) = contact::phone(text, start)
                            && let Some((id, placeholder)) = &self.rules.contact.phone
                        {
                            consumed = consumed.max(found.end);
                            pending.push(Pending::new(found, placeholder.clone(), id.clone(), Family::Contact));
                        }
                        taken = true;
                    }
                }
            }
            // A phrase that was not there ("ex wife" for "ex-wife") may hide a word inside it.
            if !taken && m.end() - m.start() > 1 && hay[m.start() + 1..m.end()].contains(&b' ') {
                pos = m.start() + 1;
            }
        }
    }
}

/// What the word scan must know of the passes before it.
struct Context<'a> {
    /// Spans of links, emails, handles and names: no word rule looks inside them.
    blocked: &'a [Range<usize>],
    /// Where the names about to be replaced start, in order.
    name_starts: &'a [usize],
}

/// Settle overlaps, apply the edits, and place the flags in the rewritten text.
fn finish(text: &str, mut pending: Vec<Pending>, mut flagged: Vec<Pending>) -> Rewritten {
    pending.sort_by(|a, b| {
        a.span
            .start
            .cmp(&b.span.start)
            .then(b.span.end.cmp(&a.span.end))
            .then(a.rank().cmp(&b.rank()))
    });
    // Overlaps: the edit that contains the other wins (an email over the name inside it);
    // when neither contains the other, the stronger family's edit takes both spans, so
    // no part of a name or contact detail is ever left out.
    let mut kept: Vec<Pending> = Vec::with_capacity(pending.len());
    for p in pending {
        let Some(last) = kept.last_mut() else {
            kept.push(p);
            continue;
        };
        if p.span.start >= last.span.end {
            kept.push(p);
        } else if p.span.end > last.span.end {
            let span = last.span.start..p.span.end;
            if p.rank() < last.rank() {
                *last = p;
            }
            last.span = span;
        }
    }
    let mut out = String::with_capacity(text.len() + kept.len() * 8);
    let mut last = 0;
    let mut edits = Vec::with_capacity(kept.len());
    for p in kept {
        out.push_str(&text[last..p.span.start]);
        out.push_str(&p.after);
        last = p.span.end;
        edits.push(Edit {
            before: text[p.span.clone()].to_string(),
            rule: p.rule,
            span: p.span,
            after: p.after,
        });
    }
    out.push_str(&text[last..]);

    // One flag per finding: "maternity leave" also holds the flag word "maternity".
    flagged.sort_by(|a, b| a.span.start.cmp(&b.span.start).then(b.span.end.cmp(&a.span.end)));
    let mut widest: Vec<Pending> = Vec::with_capacity(flagged.len());
    for flag in flagged {
        let inside = widest
            .iter()
            .rev()
            .take_while(|w| w.span.end > flag.span.start)
            .any(|w| w.rule == flag.rule && w.span.end >= flag.span.end);
        if !inside {
            widest.push(flag);
        }
    }
    let flagged = widest;
    let flags = flagged
        .into_iter()
        .map(|f| {
            let span = output_offset(&edits, f.span.start, false)..output_offset(&edits, f.span.end, true);
            Flag {
                rule: f.rule,
                text: out[span.clone()].to_string(),
                span,
            }
        })
        .collect();
    Rewritten {
        text: out,
        edits,
        flags,
    }
}

/// Where input offset `pos` lands in the rewritten text. An offset inside an edit maps to
/// the edit's start (for a span start) or end (for a span end).
fn output_offset(edits: &[Edit], pos: usize, is_end: bool) -> usize {
    let mut delta: isize = 0;
    for e in edits {
        if e.span.end <= pos {
            delta += e.after.len() as isize - e.before.len() as isize;
        } else if e.span.start < pos {
            let start = (e.span.start as isize + delta) as usize;
            return if is_end { start + e.after.len() } else { start };
        } else {
            break;
        }
    }
    (pos as isize + delta) as usize
}
