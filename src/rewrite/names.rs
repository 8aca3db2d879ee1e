//! Find the people a text names and decide what replaces each mention.
//!
//! Each word of the folded text is looked up in the people index (see `subjects.rs`).
//! Words that name someone are grouped into mentions, longest first: a full name (with
//! titles, initials and particles) is one mention of one person, replaced once, whole. A
//! bare part is resolved by the note: a full name earlier in it, who wrote it, whose packet
//! it is. A part that is also an English word is the name unless the sentence shows the
//! ordinary sense (a date, a modal, an imperative, a determiner before it).

use std::borrow::Cow;
use std::ops::Range;
use std::sync::Arc;

use super::case::{Case, apply_case, case_of};
use super::subjects::{Ambiguity, Form, PeopleIndex, Role, Subjects, VariantKind};
use super::text::{self, Token, char_at, char_before, is_apostrophe, lower, next_token, prev_token};
use super::view::View;
use super::{Grammar, Pending, trade};
use crate::rules::{Family, MAX_WORD_BYTES, VerbKind, class};

/// Words of the text that name someone.
#[derive(Debug, Clone)]
struct Hit<'i> {
    /// Span of the original text.
    span: Range<usize>,
    /// Sorted by person: borrowed from the index, which a batch shares by hundreds of
    /// people for one word.
    forms: Cow<'i, [Form]>,
    /// Initials ("P.R."): sure, but only of the people listed.
    initials: bool,
}

impl Hit<'_> {
    fn form_of(&self, person: u32) -> Option<&Form> {
        let at = self.forms.partition_point(|f| f.person < person);
        self.forms.get(at).filter(|f| f.person == person)
    }
}

/// A mention resolved to one person.
#[derive(Debug, Clone)]
struct Mention {
    span: Range<usize>,
    person: u32,
    kind: VariantKind,
    /// Several parts of the name, or a title: surely the person.
    full: bool,
    /// It might be two people and nothing in the note said which.
    ambiguous: bool,
    /// A name part inside another proper name ("Raman University").
    proper_name: bool,
    /// Left as written (an interviewer kept, an ordinary word).
    kept: bool,
    /// Kept, capitalised, and not shown to be the ordinary word: for a person to check.
    doubtful: bool,
}

/// Find every mention of a person; push an edit for each name to replace, and a flag where
/// a person must decide.
pub(crate) fn find(
    g: &Grammar<'_>,
    text: &str,
    view: &View,
    emails: &[Range<usize>],
    all: &Subjects,
    out: &mut Vec<Pending>,
    flags: &mut Vec<Pending>,
) {
    let Some(index) = all.inner.as_deref() else { return };
    let mentions = resolve(g, text, view, emails, all, index);
    if mentions.is_empty() {
        return;
    }
    emit(g, text, all, index, &mentions, out, flags);
}

/// An identifier of a subject found in a text by [`Subjects::identifiers_in`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdentifierHit {
    /// Index of the subject, in the order they were compiled.
    pub subject: usize,
    /// The family whose rules should have removed it: `contact` for an email, `names` else.
    pub family: Family,
    pub span: Range<usize>,
}

impl Subjects {
    /// Every mention in `text` of a candidate (the focus or any other) that the rewriter
    /// would take for the name, resolved as the rewriter resolves it, whatever the name
    /// rules ask to replace: what must never reach a packet. A word that may be a
    /// candidate's or an interviewer's, with nothing to tell which, is left to the
    /// rewriter, which redacts and flags it.
    pub fn identifiers_in(&self, rules: &crate::rules::RuleSet, text: &str) -> Vec<IdentifierHit> {
        let Some(index) = self.inner.as_deref() else {
            return Vec::new();
        };
        let g = Grammar::new(rules);
        let view = View::new(text, false);
        let emails: Vec<Range<usize>> =
            super::contact::find_protected(text, &rules.contact.profile_domains, &rules.contact.link_tlds)
                .into_iter()
                .filter(|p| p.kind == super::contact::Kind::Email)
                .map(|p| p.span)
                .collect();
        resolve(&g, text, &view, &emails, self, index)
            .into_iter()
            .filter(|m| {
                !m.kept && !m.ambiguous && !m.proper_name && index.people[m.person as usize].role.is_candidate()
            })
            .map(|m| IdentifierHit {
                subject: m.person as usize,
                family: if m.kind == VariantKind::Email {
                    Family::Contact
                } else {
                    Family::Names
                },
                span: m.span,
            })
            .collect()
    }
}

/// Is the word (folded text's bytes) one of `NAME_CUES` or `nickname_verbs`?
fn is_cue(g: &Grammar<'_>, word: &[u8]) -> bool {
    crate::rules::NAME_CUES.iter().any(|c| c.as_bytes() == word) || is_nickname_verb(g, word)
}

/// ASCII letters and digits, by byte value: the scan reads one entry per byte of text.
const WORD_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = (b as u8).is_ascii_alphanumeric();
        b += 1;
    }
    table
};

fn is_word_byte(b: u8) -> bool {
    WORD_BYTES[b as usize]
}

/// Where the run of ASCII letters and digits from `i` ends: eight bytes at a time, as most
/// words end within eight.
fn word_bytes_end(bytes: &[u8], mut i: usize) -> usize {
    use crate::swar::{HIGHS, load, splat};
    while let Some(x) = load(bytes, i) {
        // Each byte's low seven bits, plus a constant, sets that byte's high bit exactly
        // when it is at least the range's first byte (or past its last): no carry reaches
        // the next byte.
        let y = x & !HIGHS;
        let within = |first: u8, last: u8| (y + splat(0x80 - first)) & !(y + splat(0x7f - last));
        let word = (within(b'0', b'9') | within(b'A', b'Z') | within(b'a', b'z')) & !x & HIGHS;
        let other = !word & HIGHS;
        if other != 0 {
            return i + (other.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while i < bytes.len() && is_word_byte(bytes[i]) {
        i += 1;
    }
    i
}

/// No letter or digit of any script touches the span: a name is never cut out of a word
/// ("Priyanka", a word of another script written against it).
fn stands_alone(text: &str, span: &Range<usize>) -> bool {
    char_before(text, span.start).is_none_or(|c| !c.is_alphanumeric())
        && char_at(text, span.end).is_none_or(|c| !c.is_alphanumeric())
}

/// Every word of the text that names someone, in order.
fn scan<'i>(
    g: &Grammar<'_>,
    view: &View,
    text: &str,
    emails: &[Range<usize>],
    all: &Subjects,
    index: &'i PeopleIndex,
) -> Vec<Hit<'i>> {
    let base = view.base().as_bytes();
    let mut hits: Vec<Hit> = Vec::new();
    // The letters the keys of the candidate's initials start with (mostly one: their first
    // initial): words that start otherwise are no initials of theirs, at the cost of one
    // comparison, and of a second only for the rare name with more.
    let focus_starts: &[u8] = if index.initials.is_empty() {
        &[]
    } else {
        (0..index.people.len() as u32)
            .find(|&p| all.is_focus(p))
            .map_or(&[], |p| &index.people[p as usize].initials_start)
    };
    let (focus_initial, other_starts) = match focus_starts {
        [] => (None, &[][..]),
        [first, rest @ ..] => (Some(*first), rest),
    };
    let mut cues: Vec<Range<usize>> = Vec::new();
    let mut e = 0;
    let mut i = 0;
    while i < base.len() {
        if !is_word_byte(base[i]) {
            i += 1;
            continue;
        }
        let start = i;
        loop {
            i = word_bytes_end(base, i);
            // "o'connell", "priya's": an apostrophe between letters stays in the word.
            if i + 1 < base.len() && base[i] == b'\'' && base[i + 1].is_ascii_alphabetic() {
                i += 1;
                continue;
            }
            break;
        }
        let word = &base[start..i];
        // Words around which a note may say what someone is called (`described_aliases`):
        // most words are ruled out by their length and first letter, which this scan reads
        // for every word of every note.
        if g.rules.names.cue_filter.may_hold(word) && is_cue(g, word) {
            cues.push(start..i);
        }
        if word.len() == 1 {
            if !index.initials.is_empty()
                && let Some((hit, end)) = initials_at(g, view, text, start, index)
            {
                hits.push(hit);
                i = end;
            }
            continue;
        }
        if (focus_initial == Some(word[0]) || (!other_starts.is_empty() && other_starts.contains(&word[0])))
            && let Some(hit) = bare_initials(g, view, text, start, word, all, index)
        {
            hits.push(hit);
            continue;
        }
        let lookup = |w: &[u8]| -> Option<Cow<'i, [Form]>> {
            if w.len() < 2 || !index.may_hold(w) {
                return None;
            }
            index.forms_of(g.rules, w)
        };
        // "priya's", "priya'd", "frank'll": a name and its possessive or a contracted verb.
        let stem_len = match word {
            [.., b'\'', b's' | b'd'] => word.len() - 2,
            [_, .., b'\'', b'l', b'l'] | [_, .., b'\'', b'v' | b'r', b'e'] => word.len() - 3,
            _ => word.len(),
        };
        let mut whole = lookup(word);
        // A handle that ends in an "s" and is an English word ("marks" of Mark S.) or a
        // word-like name's ("aprils" of April S.) gives way to that name written on to
        // ("Marks code was tidy": Mark's), and counts only where none is. "Paris" of Pari
        // S. stays a handle, which a capital inside a sentence says is no one's.
        let gives_way = whole.as_ref().is_some_and(|forms| {
            forms.iter().all(|f| f.kind == VariantKind::Handle)
                && (forms.iter().any(|f| f.ambiguity != Ambiguity::None)
                    || word.strip_suffix(b"s").and_then(&lookup).is_some_and(|stem_forms| {
                        stem_forms.iter().any(|f| {
                            matches!(f.kind, VariantKind::Part | VariantKind::Nickname)
                                && f.ambiguity != Ambiguity::None
                        })
                    }))
        });
        let handle = if gives_way { whole.take() } else { None };
        let found = whole
            .map(|f| (f, word.len()))
            .or_else(|| {
                (stem_len < word.len())
                    .then(|| lookup(&word[..stem_len]).map(|f| (f, stem_len)))
                    .flatten()
            })
            .or_else(|| {
                // Before a word, and no word of its own: "this" is no "Thi" with an "s". A
                // capitalised "Carlos" or "Paris" is a name of its own.
                let possessive = || {
                    let Ok(whole) = std::str::from_utf8(word) else {
                        return false;
                    };
                    let lowercase = view
                        .original(start, start + 1)
                        .and_then(|r| text.as_bytes().get(r.start))
                        .is_some_and(u8::is_ascii_lowercase);
                    base.get(i) == Some(&b' ')
                        && base.get(i + 1).is_some_and(|b| is_word_byte(*b))
                        && !g.rules.lexicon.common_words.contains(whole)
                        && (lowercase || !is_name_of_its_own(g, whole))
                };
                // "Prices code was tidy": a noun, then its verb, after a name-like word
                // with an "s" ("prices" is a word too, but no plural stands before a noun);
                // "liked Graces approach": capitalised inside a sentence, a name's.
                let noun_then_verb = || {
                    let Some(span) = view.original(start, i) else {
                        return false;
                    };
                    let Some(Token::Word(noun, n)) = next_token(text, span.end) else {
                        return false;
                    };
                    let noun_like = is_lowercase_content_word(g, n) && !g.is_adjectival(n);
                    let capitalised_inside =
                        case_of(&text[span.clone()]) == Case::Title && !g.is_sentence_start(text, span.start);
                    // "bills code ok": a verdict after the noun, which no verb of seeming
                    // stands for ("prices look ok" is the plural and its verb).
                    let seeming = ["look", "looks", "seem", "seems", "feel", "feels", "sound", "sounds"];
                    noun_like
                        && (capitalised_inside
                            || matches!(next_token(text, noun.end), Some(Token::Word(_, v))
                                if (g.is_finite_verb(v) && !g.is(v, class::DETERMINER))
                                    || (g.word_in(v, &g.rules.names.verdicts)
                                        && !seeming.iter().any(|s| n.eq_ignore_ascii_case(s)))))
                };
                written_on(word, &g.rules.names.months, possessive, noun_then_verb, &lookup)
            })
            .or_else(|| handle.map(|f| (f, word.len())));
        let mut pair_found = false;
        if base.get(i) == Some(&b' ') && index.pair_heads.iter().any(|head| head.as_bytes() == word) {
            let next_end = base[i + 1..]
                .iter()
                .position(|b| !is_word_byte(*b))
                .map_or(base.len(), |p| i + 1 + p);
            if next_end > i + 1
                && let Ok(pair) = std::str::from_utf8(&base[start..next_end])
                && let Some(forms) = index.pairs.get(pair)
                && let Some(span) = view.original(start, next_end)
                && stands_alone(text, &span)
            {
                hits.push(Hit {
                    span,
                    forms: Cow::Borrowed(forms),
                    initials: false,
                });
                i = next_end;
                pair_found = true;
            }
        }
        if pair_found {
            continue;
        }
        let Some((forms, len)) = found else { continue };
        let Some(span) = view.original(start, start + len) else {
            continue;
        };
        // Inside an email: the email is one mention, found below.
        while e < emails.len() && emails[e].end <= span.start {
            e += 1;
        }
        if emails.get(e).is_some_and(|email| email.start < span.end) {
            continue;
        }
        if stands_alone(text, &span) || (len < word.len()) {
            hits.push(Hit {
                span: with_underscored(text, span),
                forms,
                initials: false,
            });
        }
    }
    for email in emails {
        let folded = super::fold(&text[email.clone()]);
        if let Some(forms) = index.emails.get(folded.as_str()) {
            hits.push(Hit {
                span: email.clone(),
                forms: Cow::Borrowed(forms),
                initials: false,
            });
        }
    }
    let lower = if index.script_forms.is_empty() || text.is_ascii() {
        String::new()
    } else {
        text.to_lowercase()
    };
    // Lowercasing keeps byte offsets only where it keeps lengths; other scripts' names are
    // matched in the text as written when it does not.
    let hay = if lower.len() == text.len() {
        lower.as_str()
    } else {
        text
    };
    for form in &index.script_forms {
        for (at, _) in hay.match_indices(form.text.as_str()) {
            let span = at..at + form.text.len();
            if form.anywhere || stands_alone(text, &span) {
                hits.push(Hit {
                    span,
                    forms: Cow::Owned(vec![Form {
                        person: form.person,
                        kind: VariantKind::Part,
                        ambiguity: Ambiguity::None,
                        position: 0,
                    }]),
                    initials: false,
                });
            }
        }
    }
    hits.sort_by(|a, b| a.span.start.cmp(&b.span.start).then(b.span.end.cmp(&a.span.end)));
    let mut aliases = declared_aliases(g, text, &hits, index);
    let mut literal = false;
    for (written, person) in described_aliases(g, view, text, &cues, &hits, all, index) {
        let folded = super::fold(written);
        let form = Form {
            person,
            kind: VariantKind::Nickname,
            ambiguity: super::subjects::ambiguity(g.rules, &folded),
            position: 0,
        };
        if is_foreign(written) {
            // Another script's word is found as written: its transliteration may be two
            // words ("张伟" is "zhang wei"), or a word of someone else's name.
            for (at, _) in text.match_indices(written) {
                let span = at..at + written.len();
                if !hits.iter().any(|h| h.span.start < span.end && span.start < h.span.end) {
                    literal = true;
                    hits.push(Hit {
                        span,
                        forms: Cow::Owned(vec![form]),
                        initials: false,
                    });
                }
            }
        } else if !aliases.iter().any(|(a, _)| *a == folded) {
            aliases.push((folded, vec![form]));
        }
    }
    if literal {
        hits.sort_by(|a, b| a.span.start.cmp(&b.span.start).then(b.span.end.cmp(&a.span.end)));
    }
    if !aliases.is_empty() {
        for (at, _) in base
            .iter()
            .enumerate()
            // Not the rest of a word after its apostrophe ("o'connell"); a word in single
            // quotes ("'Bo'") is one.
            .filter(|&(at, b)| {
                is_word_byte(*b)
                    && (at == 0
                        || !is_word_byte(base[at - 1])
                            && (base[at - 1] != b'\'' || at < 2 || !is_word_byte(base[at - 2])))
            })
        {
            let end = base[at..]
                .iter()
                .position(|b| !is_word_byte(*b))
                .map_or(base.len(), |p| at + p);
            let Some((_, forms)) = aliases.iter().find(|(alias, _)| alias.as_bytes() == &base[at..end]) else {
                continue;
            };
            let Some(span) = view.original(at, end) else {
                continue;
            };
            if let Some(same) = hits.iter_mut().find(|h| h.span == span && !h.initials) {
                // Someone else's name the note gives this person too.
                let mut merged = same.forms.to_vec();
                merged.extend(forms.iter().filter(|f| same.form_of(f.person).is_none()));
                merged.sort_by_key(|f| f.person);
                same.forms = Cow::Owned(merged);
            } else if stands_alone(text, &span)
                && !hits.iter().any(|h| h.span.start < span.end && span.start < h.span.end)
            {
                hits.push(Hit {
                    span,
                    forms: Cow::Owned(forms.clone()),
                    initials: false,
                });
            }
        }
        hits.sort_by(|a, b| a.span.start.cmp(&b.span.start).then(b.span.end.cmp(&a.span.end)));
    }
    // Overlapping script-form hits: keep the first, longest.
    let mut kept: Vec<Hit> = Vec::with_capacity(hits.len());
    for hit in hits {
        if kept.last().is_none_or(|last| hit.span.start >= last.span.end) {
            kept.push(hit);
        }
    }
    kept
}

/// "priyanshu_g", "dev_kofi": a handle made of the name and more, joined by underscores, is
/// the name whole.
fn with_underscored(text: &str, mut span: Range<usize>) -> Range<usize> {
    let bytes = text.as_bytes();
    let handle_byte = |b: u8| b == b'_' || b.is_ascii_alphanumeric();
    if bytes.get(span.end) == Some(&b'_') && bytes.get(span.end + 1).is_some_and(u8::is_ascii_alphanumeric) {
        span.end += bytes[span.end..].iter().take_while(|b| handle_byte(**b)).count();
    }
    if span.start >= 2 && bytes[span.start - 1] == b'_' && bytes[span.start - 2].is_ascii_alphanumeric() {
        span.start -= bytes[..span.start]
            .iter()
            .rev()
            .take_while(|b| handle_byte(**b))
            .count();
    }
    span
}

/// A name written on to: a handle with a number ("lvogel88": the whole word), or, in
/// lowercase before another word, a possessive without its apostrophe ("chidis tests": the
/// name, the "s" left as written). Only forms that are no English word: "hunters" and
/// "bills" are words of their own.
fn written_on<'i>(
    word: &[u8],
    months: &crate::rules::WordSet,
    possessive: impl Fn() -> bool,
    noun_then_verb: impl Fn() -> bool,
    lookup: &impl Fn(&[u8]) -> Option<Cow<'i, [Form]>>,
) -> Option<(Cow<'i, [Form]>, usize)> {
    let sure = |forms: &[Form], kinds: &[VariantKind]| {
        forms
            .iter()
            .any(|f| f.ambiguity == Ambiguity::None && kinds.contains(&f.kind))
    };
    let letters = word.len() - word.iter().rev().take_while(|b| b.is_ascii_digit()).count();
    if letters < word.len() && letters >= 4 {
        let forms = lookup(&word[..letters])?;
        return sure(&forms, &[VariantKind::Handle, VariantKind::Part]).then_some((forms, word.len()));
    }
    let stem = word.strip_suffix(b"s")?;
    if stem.len() < 3 {
        return None;
    }
    let forms = lookup(stem)?;
    // A month's name has no plural of English to be taken for: "aprils code" is April's.
    let month = || std::str::from_utf8(stem).is_ok_and(|s| months.contains(s));
    let part = |f: &Form| matches!(f.kind, VariantKind::Part | VariantKind::Nickname);
    let named = forms
        .iter()
        .any(|f| part(f) && (f.ambiguity == Ambiguity::None || (f.ambiguity == Ambiguity::CommonWord && month())));
    if named && possessive() {
        return Some((forms, stem.len()));
    }
    let word_like = forms
        .iter()
        .any(|f| part(f) && matches!(f.ambiguity, Ambiguity::CommonWord | Ambiguity::ProperWord));
    (word_like && noun_then_verb()).then_some((forms, stem.len()))
}

/// The hit whose span holds `r`.
fn hit_covering<'h, 'i>(hits: &'h [Hit<'i>], r: &Range<usize>) -> Option<&'h Hit<'i>> {
    hits.iter().find(|h| h.span.start <= r.start && r.end <= h.span.end)
}

/// May the word at `r` be an alias the note gives someone: no name found already, letters
/// only, no closed-class word, and in lowercase no English word.
fn is_alias_word(g: &Grammar<'_>, hits: &[Hit], r: &Range<usize>, w: &str) -> bool {
    hit_covering(hits, r).is_none()
        && w.chars().count() >= 2
        && w.chars().all(char::is_alphabetic)
        && g.closed_classes(w) == 0
        && (case_of(w) != Case::Lower || !g.rules.lexicon.common_words.contains(super::fold(w).as_str()))
}

/// One of `nickname_verbs` ("goes", "went"), as the folded text's bytes. The scan asks this
/// of many short words, and a handful of comparisons costs less than hashing each.
fn is_nickname_verb(g: &Grammar<'_>, word: &[u8]) -> bool {
    g.rules.names.nickname_verb_list.iter().any(|v| v.as_bytes() == word)
}

/// A word the rules know as something other than a person's name: English, a verdict, a
/// greeting, a title, a language or tool. (Not every word of a famous name: "george".)
fn is_known_word(g: &Grammar<'_>, w: &str) -> bool {
    let folded = super::fold(w);
    is_english(g, w)
        || g.closed_classes(w) != 0
        || g.rules.names.greetings.contains(folded.as_str())
        || g.rules.names.titles.contains(folded.as_str())
        || g.rules.names.proper_words.contains(folded.as_str())
        || g.rules.names.tools.contains(folded.as_str())
}

/// An English word or a verdict in any case ("Priya = Hire"): no name an "=" can declare.
fn is_english(g: &Grammar<'_>, w: &str) -> bool {
    let folded = super::fold(w);
    g.rules.lexicon.common_words.contains(folded.as_str()) || g.rules.names.verdicts.contains(folded.as_str())
}

/// Names the note gives a person next to a name of theirs: "Lena, who goes by Leni",
/// "María José (goes by Majo)", "Mike, aka Misha", "Nikhil (Nik)", "Dev (Devendra)". Each
/// alias (folded) with the forms of the people its name may be, as nicknames: the note's
/// own nickname list. Only a word that is no form yet and no closed-class word.
fn declared_aliases(g: &Grammar<'_>, text: &str, hits: &[Hit], index: &PeopleIndex) -> Vec<(String, Vec<Form>)> {
    let multi_part_candidate = |p: u32| {
        let person = &index.people[p as usize];
        person.role.is_candidate() && person.initials.len() >= 2
    };
    let restating = &g.rules.names.restating;
    let skippable = |w: &str| {
        let mut buf = [0u8; MAX_WORD_BYTES];
        lower(w, &mut buf).is_some_and(|lw| restating.contains(lw.trim_end_matches('.')))
    };
    let alias_word = |r: &Range<usize>, w: &str| is_alias_word(g, hits, r, w);
    let mut aliases: Vec<(String, Vec<Form>)> = Vec::new();
    for (k, hit) in hits.iter().enumerate().filter(|(_, h)| !h.initials) {
        let forms: Vec<Form> = hit
            .forms
            .iter()
            .filter(|f| matches!(f.kind, VariantKind::Part | VariantKind::Nickname))
            .map(|f| Form {
                kind: VariantKind::Nickname,
                position: 0,
                ..*f
            })
            .collect();
        if forms.is_empty() {
            continue;
        }
        // Without words that say so, a word in brackets is an alias only if it is written as
        // a name and starts as the name before it does ("Nikhil (Nik)"): "Raman (Google)"
        // names the employer, "Baker (backend)" the role, "María José García López (Madrid)"
        // a place.
        let shares_start = |written: &str| {
            let name_written = &text[hit.span.clone()];
            let (w, name) = (super::fold(written), super::fold(name_written));
            (case_of(written) != Case::Lower || case_of(name_written) == Case::Lower)
                && w.len() >= 2
                && name.len() >= 2
                && w.as_bytes()[..2] == name.as_bytes()[..2]
        };
        let mut found: Vec<(Range<usize>, &str)> = Vec::new();
        // After the name: "(goes by Majo)", "(Nik)", ", aka Sasha", ", who goes by Leni,",
        // "= sean", "aka Sasha".
        let mut pos = hit.span.end;
        let mut skipped = 0;
        let opener = match next_token(text, pos) {
            Some(open @ Token::Punct(_, '(' | ',')) => Some(open),
            // Not the quote that closes a quoted name ('"Priya" was').
            Some(open @ Token::Punct(_, '"' | '\u{201c}'))
                if !matches!(char_before(text, hit.span.start), Some('"' | '\u{201c}')) =>
            {
                Some(open)
            }
            Some(equals @ Token::Punct(_, '=')) => {
                skipped = 1;
                Some(equals)
            }
            Some(aka @ Token::Word(_, w)) if w.eq_ignore_ascii_case("aka") => {
                skipped = 1;
                Some(aka)
            }
            _ => None,
        };
        if let Some(open) = opener {
            // 'Bartholomeus "Bart" de Jong': quotes hold a nickname as brackets do.
            let bracket = matches!(open, Token::Punct(_, '(' | '"' | '\u{201c}'));
            // 'Kanokwan Thanasombatkul ("Mint")': a quoted word in brackets is a nickname.
            let mut quoted = matches!(open, Token::Punct(_, '"' | '\u{201c}'));
            pos = open.end();
            for _ in 0..6 {
                match next_token(text, pos) {
                    Some(Token::Punct(q, c @ ('"' | '\u{201c}')))
                        if !quoted && matches!(open, Token::Punct(_, '(')) =>
                    {
                        quoted = true;
                        pos = q + c.len_utf8();
                    }
                    // "(he goes by Will)", "(who goes by Leni)".
                    Some(Token::Word(r, w))
                        if skippable(w)
                            || w.eq_ignore_ascii_case("who")
                            || (bracket && g.is(w, class::SUBJECT_PRONOUN)) =>
                    {
                        skipped += 1;
                        pos = r.end;
                    }
                    Some(Token::Word(r, w)) => {
                        let closes = match next_token(text, r.end) {
                            None => true,
                            // "(goes by Will, which ...)": a comma closes what the words said.
                            Some(Token::Punct(_, c)) => {
                                matches!(c, ')' | '"' | '\u{201d}')
                                    || ((!bracket || skipped > 0) && matches!(c, ',' | '.' | ';'))
                            }
                            Some(Token::Word(..)) => false,
                        };
                        let equals = matches!(open, Token::Punct(_, '='));
                        // "(he goes by Will)": said to be a name, a capitalised word may be a
                        // word of a closed class too.
                        let said_name = skipped > 0 && !equals && case_of(w) == Case::Title;
                        // "(he goes by Will)" with an interviewer Will: the word is this
                        // person's too, and the note decides each time whose it is.
                        let someone_elses = hit_covering(hits, &r)
                            .is_some_and(|other| forms.iter().all(|f| other.form_of(f.person).is_none()));
                        let quoted_in_brackets = quoted && matches!(open, Token::Punct(_, '('));
                        if closes
                            && (skipped > 0 || (bracket && (shares_start(w) || quoted_in_brackets)))
                            && (alias_word(&r, w) || (said_name && (hit_covering(hits, &r).is_none() || someone_elses)))
                            && !(equals && is_english(g, w))
                        {
                            found.push((r, w));
                        }
                        break;
                    }
                    _ => break,
                }
            }
        }
        // "王芳 (Fang Wang in the ATS)": a name of another script, then in brackets how it is
        // written in Latin letters, capitalised words.
        if is_foreign(&text[hit.span.clone()])
            && let Some(Token::Punct(open, '(')) = next_token(text, hit.span.end)
        {
            let mut at = open + 1;
            let before = found.len();
            while let Some(Token::Word(r, w)) = next_token(text, at)
                && case_of(w) == Case::Title
                && !is_foreign(w)
                && alias_word(&r, w)
                && !is_known_word(g, w)
                && found.len() < before + 3
            {
                found.push((r.clone(), w));
                at = r.end;
            }
            // "王芳 (English name: Sophie)": the words were the name's kind, not the name.
            if matches!(next_token(text, at), Some(Token::Word(_, n)) if g.word_in(n, &g.rules.names.naming_nouns)) {
                found.truncate(before);
            }
        }
        // Before the name in full in brackets: "Lynn Chen (Chen Xiaoling)", "Lynn (Chen
        // Xiaoling)": the word before the brackets, past the name's own words.
        if let Some(Token::Punct(open, '(')) = prev_token(text, hit.span.start)
            && let Some(next) = hits.get(k + 1)
            && forms.iter().any(|f| next.form_of(f.person).is_some())
            && matches!(next_token(text, next.span.end), Some(Token::Punct(_, ')')))
            && matches!(next_token(text, hit.span.end), Some(Token::Word(r, _)) if r.start == next.span.start)
        {
            // Past one of the name's own words at least: "Referred by Stripe (Chen Xiaoling)"
            // names no alias.
            let mut at = open;
            let mut own_words = 0;
            while let Some(Token::Word(r, w)) = prev_token(text, at) {
                match hit_covering(hits, &r) {
                    Some(own) if forms.iter().any(|f| own.form_of(f.person).is_some()) => {
                        own_words += 1;
                        at = r.start;
                    }
                    Some(_) => break,
                    None => {
                        if own_words > 0 && case_of(w) == Case::Title && alias_word(&r, w) && !is_known_word(g, w) {
                            found.push((r, w));
                        }
                        break;
                    }
                }
            }
        }
        // "Notes on Leo Wang" of Wang Lei: a capitalised word no English and no known name,
        // right before a candidate's part, is the given name they go by. Not opening a
        // sentence, where any word is capitalised ("Grokking Wang coded").
        if let Some(Token::Word(r, w)) = prev_token(text, hit.span.start)
            && &text[r.end..hit.span.start] == " "
            && case_of(w) == Case::Title
            && !g.is_sentence_start(text, r.start)
            && hit.forms.iter().any(|f| {
                f.kind == VariantKind::Part && multi_part_candidate(f.person) && f.ambiguity == Ambiguity::None
            })
            && alias_word(&r, w)
            && !is_known_word(g, w)
        {
            found.push((r, w));
        }
        // Before the name: "Mike, aka Misha", "Dev (Devendra)", "sean = xiaoming".
        let mut pos = hit.span.start;
        let mut skipped = 0;
        for _ in 0..6 {
            match prev_token(text, pos) {
                Some(Token::Word(r, w)) if skippable(w) => {
                    skipped += 1;
                    pos = r.start;
                }
                Some(Token::Punct(at, c @ ('(' | ',' | '='))) => {
                    if let Some(Token::Word(r, w)) = prev_token(text, at)
                        && (skipped > 0 || (c == '=' && !is_english(g, w)) || (c == '(' && shares_start(w)))
                        && alias_word(&r, w)
                    {
                        found.push((r, w));
                    }
                    break;
                }
                _ => break,
            }
        }
        for (_, word) in found {
            let folded = super::fold(word);
            if !aliases.iter().any(|(a, _)| *a == folded) {
                // The alias is as ambiguous as its own word ("Mint" is the person, "to mint
                // tokens" the verb), and no surer than the name it was given beside: a guessed
                // cut ("Priyanka (goes by Pri)" of Priya) stays a guess.
                let own_word = super::subjects::ambiguity(g.rules, &folded);
                let own: Vec<Form> = forms
                    .iter()
                    .map(|f| Form {
                        ambiguity: if f.ambiguity == Ambiguity::Clipped {
                            Ambiguity::Clipped
                        } else {
                            own_word
                        },
                        ..*f
                    })
                    .collect();
                aliases.push((folded, own));
            }
        }
    }
    aliases
}

/// Names the note says are a person's in words about them, rather than next to a name of
/// theirs (see `declared_aliases`): "joaco (his nickname apparently)", "Ваня is his
/// nickname", "Shiv is what her team calls her", "he writes it Hosseyni", "Babatunde Bakare
/// is the full name", "xiaoming (sean) chen", "Оля per her zoom". A possessive or a pronoun
/// there is the candidate's: a note is about its candidate. Each alias as written, with
/// whose it is. Only the words next to a cue ("(", " is ", " it ", "full name", a word of
/// another script) are read: most notes have a few cues and no alias.
fn described_aliases<'t>(
    g: &Grammar<'_>,
    view: &View,
    text: &'t str,
    cues: &[Range<usize>],
    hits: &[Hit],
    all: &Subjects,
    index: &PeopleIndex,
) -> Vec<(&'t str, u32)> {
    let mut found: Vec<(&'t str, u32)> = Vec::new();
    let hit_at = |r: &Range<usize>| hit_covering(hits, r);
    let candidate_of = |hit: &Hit| {
        hit.forms
            .iter()
            .map(|f| f.person)
            .find(|&p| index.people[p as usize].role.is_candidate())
    };
    let alias_word = |r: &Range<usize>, w: &str| is_alias_word(g, hits, r, w);
    // "xiaoming (sean) chen": a word in brackets between two parts of one candidate's name.
    for pair in hits.windows(2) {
        let (Some(Token::Punct(open, '(')), Some(Token::Punct(close, ')'))) =
            (next_token(text, pair[0].span.end), prev_token(text, pair[1].span.start))
        else {
            continue;
        };
        if let Some(Token::Word(r, w)) = next_token(text, open + 1)
            && r.end <= close
            && next_token(text, r.end).is_some_and(|t| t.start() == close)
            && alias_word(&r, w)
            && let Some(person) = candidate_of(&pair[0])
            && pair[1].form_of(person).is_some()
        {
            found.push((w, person));
        }
    }
    let Some(focus) = (0..index.people.len() as u32).find(|&p| all.is_focus(p)) else {
        return found;
    };
    let word_at = |pos: usize| match next_token(text, pos) {
        Some(Token::Word(r, w)) => Some((r, w)),
        _ => None,
    };
    // The name written last before `pos`, close before it, is someone else's: "Siobhan
    // (pronounced …)", "Siobhan Kelly (lead). She goes by Shiv" speak of her.
    // Unless a pronoun stands between, which the cue's own pronoun takes up: "Mark and I
    // met him. He goes by Bo" speaks of the candidate.
    let someone_else_before = |pos: usize| {
        let upto = match prev_token(text, pos) {
            Some(Token::Word(r, w)) if g.is(w, class::SUBJECT_PRONOUN) => r.start,
            _ => pos,
        };
        hits.iter().rev().find(|h| h.span.end <= upto).is_some_and(|h| {
            let mut between = text[h.span.end..upto].split(|c: char| !c.is_alphanumeric());
            upto - h.span.end <= 40
                && !between.any(|w| {
                    ["he", "she", "him", "her", "his"]
                        .iter()
                        .any(|p| w.eq_ignore_ascii_case(p))
                })
                && h.forms.iter().all(|f| f.person != focus)
        })
    };
    let is = |w: &str, words: &[&str]| words.iter().any(|x| w.eq_ignore_ascii_case(x));
    // "his nickname", "her anglicized name", "their preferred name": a possessive, up to two
    // words, and a naming noun, not a thing's ("his name for the queue").
    let names_them = |pos: usize| {
        let Some((r, w)) = word_at(pos) else { return false };
        if !is(w, &["his", "her", "their"]) {
            return false;
        }
        let mut at = r.end;
        for _ in 0..3 {
            let Some((r, w)) = word_at(at) else { return false };
            if g.word_in(w, &g.rules.names.naming_nouns) {
                return word_at(r.end).is_none_or(|(_, next)| !is(next, &["for"]));
            }
            at = r.end;
        }
        false
    };
    // "what her team calls her", "how he wrote his name", "what she goes by": the words
    // after "is" say what the person is called.
    let says_called = |pos: usize| {
        let mut at = pos;
        for _ in 0..6 {
            let Some((r, w)) = word_at(at) else { return false };
            if is(w, &["call", "calls", "called"]) {
                return word_at(r.end).is_some_and(|(_, o)| is(o, &["him", "her", "them"]));
            }
            // "what she goes by"
            if is(w, &["go", "goes", "went"]) {
                return word_at(r.end).is_some_and(|(_, by)| is(by, &["by"]));
            }
            if names_them(r.start) {
                return true;
            }
            at = r.end;
        }
        false
    };
    // The word that ends before `pos`, said to be the candidate's: with the words of another
    // script before it, as one name ("Дмитрий Соколов on linkedin").
    let take_before = |pos: usize, found: &mut Vec<(&'t str, u32)>| {
        let Some(Token::Word(r, w)) = prev_token(text, pos) else {
            return;
        };
        if is_foreign(w) {
            let mut at = r.start;
            found.push((w, focus));
            while let Some(Token::Word(p, before)) = prev_token(text, at)
                && is_foreign(before)
            {
                found.push((before, focus));
                at = p.start;
            }
        } else if alias_word(&r, w) && !is_known_word(g, w) {
            // "Python (her preference)" is a language.
            found.push((w, focus));
        }
    };
    // "joaco (his nickname apparently)"
    let bytes = text.as_bytes();
    for open in memchr::memchr_iter(b'(', bytes) {
        // "(his", "(her", "(their": most brackets are ruled out by their first letter.
        if matches!(bytes.get(open + 1), Some(b'h' | b't' | b'H' | b'T')) && names_them(open + 1) {
            take_before(open, &mut found);
        }
    }
    let base = view.base().as_bytes();
    let foreign_text = !text.is_ascii();
    for at in cues {
        let cue = &base[at.clone()];
        // Most cues are ruled out by the next letter: "is h…", "is w…", "is t…".
        let next = base.get(at.end + 1).copied();
        let worth = match cue {
            _ if is_nickname_verb(g, cue) => next == Some(b'b'),
            b"is" => matches!(next, Some(b'h' | b't' | b'w')),
            b"it" => true,
            b"on" | b"in" | b"per" | b"from" => foreign_text,
            b"pronounced" => true,
            b"as" => next == Some(b'"'),
            b"call" | b"calls" | b"called" => matches!(next, Some(b'h' | b't')),
            b"name" => matches!(next, Some(b'a'..=b'z')) || base.get(at.end) == Some(&b':'),
            _ => next == Some(b'n'),
        };
        if !worth {
            continue;
        }
        let Some(span) = view.original(at.start, at.end) else {
            continue;
        };
        match cue {
            // "Ваня is his nickname", "Shiv is what her team calls her", "张伟 is how he
            // wrote his name"
            b"is" => {
                if names_them(span.end)
                    || word_at(span.end).is_some_and(|(h, how)| is(how, &["what", "how"]) && says_called(h.end))
                {
                    take_before(span.start, &mut found);
                }
            }
            // "he writes it Hosseyni": a spelling of the name.
            b"it" => {
                if matches!(prev_token(text, span.start), Some(Token::Word(_, v))
                        if is(v, &["writes", "wrote", "write", "spells", "spelled", "spell", "spelt"]))
                    && let Some((r, w)) = word_at(span.end)
                    && case_of(w) != Case::Lower
                    && alias_word(&r, w)
                {
                    found.push((w, focus));
                }
            }
            // "Оля per her zoom", "渡辺 on his badge": another script's word said to be where
            // the candidate's name is shown.
            b"on" | b"in" | b"per" | b"from" => {
                if foreign_text && matches!(prev_token(text, span.start), Some(Token::Word(_, w)) if is_foreign(w)) {
                    take_before(span.start, &mut found);
                }
            }
            // "- Goes by Bo.", "he goes by 'Bo'", "prefers to go by Bo": said of nobody named,
            // of the candidate (after a name, `declared_aliases` reads it); not after someone
            // else's name ("Siobhan Kelly (lead). She goes by Shiv"). Even a name of someone
            // else's ("Goes by Will", with an interviewer Will): the note decides each time.
            _ if is_nickname_verb(g, cue) => {
                // Opening a sentence or a line; in brackets or after a comma it is said of the
                // word before ("Priyanka (goes by Pri)", whoever she is).
                let said_of_candidate = match prev_token(text, span.start) {
                    None => true,
                    Some(Token::Punct(_, c)) => !matches!(c, '(' | ',' | '['),
                    Some(Token::Word(_, w)) => {
                        is(w, &["to"]) || (is(w, &["he", "she", "they"]) && !someone_else_before(span.start))
                    }
                };
                let Some((by, b)) = word_at(span.end) else { continue };
                let mut at = by.end;
                let mut quoted = false;
                if let Some(Token::Punct(q, c @ ('"' | '\'' | '\u{201c}' | '\u{2018}'))) = next_token(text, at) {
                    at = q + c.len_utf8();
                    quoted = true;
                }
                // Unquoted, an English word or a title is no name ("goes by Sir").
                if said_of_candidate
                    && is(b, &["by"])
                    && let Some(Token::Word(r, w)) = next_token(text, at)
                    && case_of(w) == Case::Title
                    && (quoted || !is_known_word(g, w))
                    && (alias_word(&r, w) || hit_at(&r).is_some_and(|h| h.forms.iter().all(|f| f.person != focus)))
                {
                    found.push((w, focus));
                }
            }
            // 'introduced himself as "Beam"', 'know him from meetups as "Abu Karim"': a quoted
            // name the person goes by, with the person just before.
            b"as" => {
                let mut at = span.start;
                let mut person_before = false;
                for _ in 0..5 {
                    let Some(Token::Word(r, w)) = prev_token(text, at) else {
                        break;
                    };
                    if is(w, &["him", "her", "himself", "herself", "them", "themself"]) {
                        person_before = true;
                        break;
                    }
                    at = r.start;
                }
                if person_before && let Some(Token::Punct(q, c @ ('"' | '\u{201c}'))) = next_token(text, span.end) {
                    let mut at = q + c.len_utf8();
                    let mut words: Vec<&'t str> = Vec::new();
                    while let Some(Token::Word(r, w)) = next_token(text, at)
                        && case_of(w) == Case::Title
                        && alias_word(&r, w)
                        && words.len() < 3
                    {
                        words.push(w);
                        at = r.end;
                    }
                    if matches!(next_token(text, at), Some(Token::Punct(_, '"' | '\u{201d}'))) {
                        found.extend(words.into_iter().map(|w| (w, focus)));
                    }
                }
            }
            // "we can call her Hope", "everyone calls him Beam": the name a naming verb gives.
            b"call" | b"calls" | b"called" => {
                if let Some((o, obj)) = word_at(span.end)
                    && is(obj, &["him", "her", "them"])
                    && let Some((r, w)) = word_at(o.end)
                    && case_of(w) == Case::Title
                    && alias_word(&r, w)
                    && !g.rules.names.titles.contains(super::fold(w).as_str())
                {
                    found.push((w, focus));
                }
            }
            // "(English name Sophie Lee)", "preferred name Leo": the words after a name's
            // kind, up to a name already known.
            b"name" => {
                let kind = matches!(prev_token(text, span.start), Some(Token::Word(_, k))
                    if case_of(k) == Case::Title || g.word_in(k, &g.rules.names.name_kinds));
                let mut at = span.end;
                if matches!(next_token(text, at), Some(Token::Punct(_, ':'))) {
                    at += 1;
                }
                while kind
                    && let Some(Token::Word(r, w)) = next_token(text, at)
                    && case_of(w) == Case::Title
                    && alias_word(&r, w)
                    && !g.rules.lexicon.common_words.contains(super::fold(w).as_str())
                {
                    found.push((w, focus));
                    at = r.end;
                }
            }
            // 'name pronounced "Owen"', "pronounced like Sheila": how the name sounds,
            // written as another name.
            b"pronounced" if !someone_else_before(span.start) => {
                let mut at = span.end;
                let mut quoted = false;
                while let Some(t) = next_token(text, at) {
                    match t {
                        Token::Punct(p, c @ ('"' | '\u{201c}' | '\'' | '\u{2018}')) => {
                            quoted = true;
                            at = p + c.len_utf8();
                        }
                        Token::Word(r, w) if is(w, &["like", "as"]) => at = r.end,
                        Token::Word(r, w) => {
                            // Unquoted, an English word is how it is said ("pronounced Badly").
                            let english = || g.rules.lexicon.common_words.contains(super::fold(w).as_str());
                            if case_of(w) != Case::Lower && alias_word(&r, w) && (quoted || !english()) {
                                found.push((w, focus));
                            }
                            break;
                        }
                        Token::Punct(..) => break,
                    }
                }
            }
            // "full name", "legal name"
            _ => {
                if matches!(word_at(span.end), Some((_, n)) if n.eq_ignore_ascii_case("name")) {
                    let cue = span.start..word_at(span.end).map_or(span.end, |(r, _)| r.end);
                    full_name_around(text, cue, &hit_at, &candidate_of, &alias_word, &mut found);
                }
            }
        }
    }
    found
}

/// A word with letters of a script other than Latin.
fn is_foreign(w: &str) -> bool {
    w.chars().any(crate::fold::is_other_script)
}

/// "Babatunde Bakare is the full name", "her legal name is Maria Fernanda Lopez", "full name:
/// Ana Sofia Reyes": a run of capitalised words said to be a full name (`cue` is the span of
/// "full name" or "legal name"), one of them a candidate's. Its other words are theirs too.
fn full_name_around<'t, 'h>(
    text: &'t str,
    cue: Range<usize>,
    hit_at: &impl Fn(&Range<usize>) -> Option<&'h Hit<'h>>,
    candidate_of: &impl Fn(&Hit) -> Option<u32>,
    alias_word: &impl Fn(&Range<usize>, &str) -> bool,
    found: &mut Vec<(&'t str, u32)>,
) {
    let is = |t: Option<Token<'_>>, words: &[&str]| {
        t.and_then(|t| t.word())
            .is_some_and(|w| words.iter().any(|x| w.eq_ignore_ascii_case(x)))
    };
    let mut run: Vec<(Range<usize>, &'t str)> = Vec::new();
    // "<run> is the full name", "<run> is his legal name"
    let owner = prev_token(text, cue.start);
    if is(owner.clone(), &["the", "his", "her", "their"])
        && let Some(owner) = owner
        && let Some(Token::Word(v, verb)) = prev_token(text, owner.start())
        && verb.eq_ignore_ascii_case("is")
    {
        let mut at = v.start;
        while let Some(Token::Word(r, w)) = prev_token(text, at)
            && case_of(w) == Case::Title
            && run.len() < 5
            && text::only_spaces_between(text, r.end, at)
        {
            at = r.start;
            run.insert(0, (r, w));
        }
    }
    // "full name is <run>", "legal name: <run>"
    if run.is_empty() {
        let mut at = match next_token(text, cue.end) {
            Some(t @ Token::Punct(_, ':')) => t.end(),
            Some(t @ Token::Word(..)) if is(Some(t.clone()), &["is"]) => t.end(),
            _ => return,
        };
        while let Some(Token::Word(r, w)) = next_token(text, at)
            && case_of(w) == Case::Title
            && run.len() < 5
            && (run.is_empty() || text::only_spaces_between(text, at, r.start))
        {
            at = r.end;
            run.push((r, w));
        }
    }
    if run.len() < 2 {
        return;
    }
    let Some(person) = run.iter().filter_map(|(r, _)| hit_at(r)).find_map(candidate_of) else {
        return;
    };
    for (r, w) in &run {
        if alias_word(r, w) {
            found.push((w, person));
        }
    }
}

/// "P.R." or "P. R." at `start` (base offset of the first letter), when the letters are a
/// candidate's initials. Returns the hit and the base offset after it.
fn initials_at<'i>(
    g: &Grammar<'_>,
    view: &View,
    text: &str,
    start: usize,
    index: &'i PeopleIndex,
) -> Option<(Hit<'i>, usize)> {
    let base = view.base().as_bytes();
    let mut letters = String::new();
    let mut pos = start;
    // "J-P" and "J.-P." of a hyphenated given name: the key keeps the hyphen.
    let mut after_hyphen = false;
    loop {
        let orig = view.original(pos, pos + 1)?;
        let c = char_at(text, orig.start)?;
        if !c.is_ascii_uppercase() {
            break;
        }
        let dotted = base.get(pos + 1) == Some(&b'.');
        let hyphen_next = base.get(pos + 1) == Some(&b'-');
        // The last letter of "J-P" has no dot.
        let ends_hyphened = after_hyphen && !dotted && base.get(pos + 1).is_none_or(|b| !is_word_byte(*b));
        if !dotted && !hyphen_next && !ends_hyphened {
            break;
        }
        if after_hyphen {
            letters.push('-');
        }
        letters.push(c.to_ascii_lowercase());
        pos += if dotted { 2 } else { 1 };
        if ends_hyphened {
            break;
        }
        let (after_sep, hyphen) = match base.get(pos) {
            Some(b' ') => (pos + 1, false),
            Some(b'-') => (pos + 1, true),
            _ => (pos, false),
        };
        let next_is_initial = base.get(after_sep).is_some_and(u8::is_ascii_alphabetic)
            && (base.get(after_sep + 1) == Some(&b'.')
                || (hyphen && base.get(after_sep + 1).is_none_or(|b| !is_word_byte(*b))))
            && (base.get(after_sep + 1) != Some(&b'.') || base.get(after_sep + 2).is_none_or(|b| !is_word_byte(*b)));
        if !next_is_initial {
            if !dotted {
                // "J-" and no letter after: no initials.
                return None;
            }
            break;
        }
        after_hyphen = hyphen;
        pos = after_sep;
    }
    if letters.bytes().filter(|&b| b != b'-').count() < 2 {
        return None;
    }
    let people = index.initials.get(letters.as_str())?;
    let span = view.original(start, pos)?;
    if char_before(text, span.start).is_some_and(|c| c.is_alphanumeric()) {
        return None;
    }
    // "A-B testing": letters joined by a hyphen without dots are a name only in a person's
    // place ("J-P = lean hire").
    if letters.contains('-') && !text[span.clone()].contains('.') && !initials_in_persons_place(g, text, &span) {
        return None;
    }
    let mut forms: Vec<Form> = people
        .iter()
        .map(|&person| Form {
            person,
            kind: VariantKind::Part,
            ambiguity: Ambiguity::None,
            position: 0,
        })
        .collect();
    forms.sort_by_key(|f| f.person);
    Some((
        Hit {
            span,
            forms: Cow::Owned(forms),
            initials: true,
        },
        pos,
    ))
}

/// "Carlos", "Paris", "Wells": a given name, a place or a name the rules know, which a
/// capitalised word ending in "s" may be rather than someone's possessive.
fn is_name_of_its_own(g: &Grammar<'_>, folded: &str) -> bool {
    let rules = g.rules;
    rules.lexicon.nicknames.contains_key(folded)
        || rules.names.proper_words.contains(folded)
        || rules.names.months.contains(folded)
        || rules.lexicon.proper_names.regions.contains(folded)
        || rules.lexicon.proper_names.institutions.contains(folded)
        || rules.lexicon.proper_names.phrases.contains_key(folded)
}

/// "RM's code", "KN did well": the candidate's initials written as one word in capitals, at
/// `start` of the folded text, and no English word (an abbreviation, `acronyms` in
/// names.toml, only where the sentence shows a person). Only
/// the packet's own candidate's: a batch's hundreds of people have initials for most pairs
/// of letters, and "GB" or "KB" is no one.
fn bare_initials<'i>(
    g: &Grammar<'_>,
    view: &View,
    text: &str,
    start: usize,
    word: &[u8],
    all: &Subjects,
    index: &'i PeopleIndex,
) -> Option<Hit<'i>> {
    let letters = word.strip_suffix(b"'s").unwrap_or(word);
    if !(2..=4).contains(&letters.len()) || !letters.iter().all(u8::is_ascii_alphabetic) {
        return None;
    }
    // Most short words are lowercase: ruled out before any lookup. A particle's letter may
    // be lowercase between capitals ("PvdB").
    let span = view.original(start, start + letters.len())?;
    let written = text[span.clone()].as_bytes();
    let all_capitals = written.iter().all(u8::is_ascii_uppercase);
    let particle_letters = written.len() == 4
        && written.first().is_some_and(u8::is_ascii_uppercase)
        && written.last().is_some_and(u8::is_ascii_uppercase);
    if !all_capitals && !particle_letters {
        return None;
    }
    let key = std::str::from_utf8(letters).ok()?;
    let person = *index.initials.get(key)?.iter().find(|&&p| all.is_focus(p))?;
    // Lowercase letters between capitals are a particle's ("PvdB"), of a name that has one
    // ("SaaS" is no one's).
    if !all_capitals && index.people[person as usize].particles.is_empty() {
        return None;
    }
    if !stands_alone(text, &span) {
        return None;
    }
    // A word too ("VS", "AM"), an abbreviation ("PR"), or four letters ("JSON" of Juan
    // Sebastián Ortiz Navarro): the person only after a verb of signing, or (not for a
    // word) where the sentence shows one; otherwise no name at all (nothing to flag).
    // A word of a closed class ("AS", "NO") never: "signed AS agreed". (An abbreviation that
    // takes a full stop, "vs", may be initials.)
    if g.closed_classes(key) & !class::ABBREVIATION != 0 {
        return None;
    }
    let word_too = g.rules.lexicon.common_words.contains(key);
    if (word_too || g.rules.names.acronyms.contains(key) || key.len() == 4)
        && !after_signing_verb(g, text, &span)
        && (word_too || !initials_in_persons_place(g, text, &span))
    {
        return None;
    }
    Some(Hit {
        span,
        forms: Cow::Owned(vec![Form {
            person,
            kind: VariantKind::Part,
            ambiguity: Ambiguity::None,
            position: 0,
        }]),
        initials: true,
    })
}

/// Initials that may be something else ("PR", "JSON", "A-B"): the person where the sentence
/// shows one, where a header or a verdict follows ("PVDB: hire", "J-P = lean hire"), or after
/// a verb of signing ("initialled VS").
fn initials_in_persons_place(g: &Grammar<'_>, text: &str, span: &Range<usize>) -> bool {
    after_signing_verb(g, text, span)
        || shows_person(g, text, span)
        || verdict_at(g, text, span.end)
        || matches!(
            next_token(text, span.end),
            Some(Token::Punct(_, ':' | '=' | '-' | '\u{2013}' | '\u{2014}'))
        )
}

/// "initialled VS", "signs as JD", "signed off VS", "Signed: VS": a person's initials,
/// whatever else the letters spell.
fn after_signing_verb(g: &Grammar<'_>, text: &str, span: &Range<usize>) -> bool {
    let mut at = span.start;
    // Past "as", "off" and a colon.
    for _ in 0..2 {
        match prev_token(text, at) {
            Some(Token::Word(r, w)) if w.eq_ignore_ascii_case("as") || w.eq_ignore_ascii_case("off") => at = r.start,
            Some(Token::Punct(p, ':')) => at = p,
            _ => break,
        }
    }
    matches!(prev_token(text, at), Some(Token::Word(_, v)) if g.word_in(v, &g.rules.names.signing_verbs))
}

/// The first letter of the name written at `span`, lowercase: the initial it has itself.
fn own_initial(text: &str, span: &Range<usize>) -> Option<char> {
    text[span.clone()].chars().next().map(|c| c.to_ascii_lowercase())
}

/// The first letter of `word` as a lowercase ASCII initial, if `word` is one capital.
fn initial(word: &str) -> Option<char> {
    let mut chars = word.chars();
    let c = chars.next()?;
    (chars.next().is_none() && c.is_uppercase()).then(|| c.to_ascii_lowercase())
}

/// The initial right after a name ("Nadia K.", "Sam O"): an uppercase letter with its dot,
/// or without it, but never "I" or "A", which are words.
fn initial_after(text: &str, end: usize) -> Option<char> {
    let Some(Token::Word(r, w)) = next_token(text, end) else {
        return None;
    };
    if r.start == end || !text::only_spaces_between(text, end, r.start) {
        return None;
    }
    // "will k was calm": in a lowercase note, a lowercase letter too.
    let lowercase_note = text[..end]
        .rsplit(|c: char| !c.is_alphabetic())
        .next()
        .is_some_and(|name| case_of(name) == Case::Lower);
    let c = initial(w).or_else(|| {
        let mut chars = w.chars();
        let c = chars.next()?;
        (lowercase_note && chars.next().is_none() && c.is_ascii_lowercase()).then_some(c)
    })?;
    (char_at(text, r.end) == Some('.') || !matches!(c, 'i' | 'a')).then_some(c)
}

/// Does the note say the name at `span` is its writer's? "Sam P. (me)", "Grant (that's me,
/// Oliver Grant)", or a sign-off: the name alone on the note's last line, after a dash or
/// not ("— Luis", "kate").
fn names_the_writer(text: &str, span: &Range<usize>) -> bool {
    // Past an initial: "Sam P. (me)".
    let mut end = span.end;
    if let Some(Token::Word(r, w)) = next_token(text, end)
        && initial(w).is_some()
        && text::only_spaces_between(text, end, r.start)
    {
        end = if char_at(text, r.end) == Some('.') {
            r.end + 1
        } else {
            r.end
        };
    }
    if let Some(Token::Punct(open, '(')) = next_token(text, end) {
        let mut at = open + 1;
        for _ in 0..3 {
            match next_token(text, at) {
                Some(Token::Word(r, w)) if w.eq_ignore_ascii_case("me") => {
                    return matches!(next_token(text, r.end), Some(Token::Punct(_, ')' | ',')));
                }
                Some(Token::Word(r, w))
                    if ["that's", "that", "is", "that\u{2019}s"]
                        .iter()
                        .any(|x| w.eq_ignore_ascii_case(x)) =>
                {
                    at = r.end;
                }
                _ => return false,
            }
        }
        return false;
    }
    // "— Luis" or "kate" alone on the last line, below the note.
    let signed = matches!(prev_token(text, span.start), Some(Token::Punct(p, '-' | '\u{2013}' | '\u{2014}'))
        if text[..p].trim_end_matches([' ', '\t', '-']).ends_with('\n'))
        || text[..span.start].trim_end_matches([' ', '\t']).ends_with('\n');
    signed && text[end..].trim().is_empty()
}

/// "Mark (ours)", "Jack (interviewer)": a bracket that only says the name is a colleague's
/// (`colleague_marks`); "(ours, referred by Tom)" says more.
fn marked_colleague(g: &Grammar<'_>, text: &str, span: &Range<usize>) -> bool {
    matches!(next_token(text, span.end), Some(Token::Punct(open, '(')) if {
        matches!(next_token(text, open + 1), Some(Token::Word(r, w))
            if g.word_in(w, &g.rules.names.colleague_marks)
                && matches!(next_token(text, r.end), Some(Token::Punct(_, ')'))))
    })
}

/// "[10:00] ray: baker is mine", "13:20 June Osei> nice": the name after a line's timestamp,
/// before the colon or mark of a chat log, is whoever speaks there. (The span may hold the
/// whole name; a colon after a header's name without a time is a verdict's, not a chat's.)
fn speaks_in_chat(text: &str, span: &Range<usize>) -> bool {
    if !matches!(text[span.end..].chars().next(), Some(':' | '>')) {
        return false;
    }
    let line_start = text[..span.start].rfind('\n').map_or(0, |i| i + 1);
    let stamp = text[line_start..span.start].trim();
    let is_stamp = stamp.contains(':')
        && stamp.bytes().any(|b| b.is_ascii_digit())
        && stamp.bytes().all(|b| b.is_ascii_digit() || b":[]() ".contains(&b));
    is_stamp && matches!(text[span.end..].chars().next(), Some(':' | '>'))
}

/// The dotted initial right before a name ("D. Kim", "—L. Moreau").
fn initial_before(text: &str, start: usize) -> Option<char> {
    let before = text[..start].trim_end_matches([' ', '\t']);
    if before.len() == start {
        return None;
    }
    let dot = before.strip_suffix('.')?;
    let Some(Token::Word(r, w)) = prev_token(text, dot.len()) else {
        return None;
    };
    (r.end == dot.len()).then(|| initial(w)).flatten()
}

/// The most bytes between two words of one name (initials, particles, a nickname in quotes).
const NAME_GAP_MAX: usize = 40;

/// What lies between two words of one person's name belongs to it: spaces (one line break
/// at most), a hyphen, a dot or underscore of a handle, initials ("K."), or the person's
/// particles ("van", "de").
fn joins_name(
    g: &Grammar<'_>,
    text: &str,
    left: &Range<usize>,
    right: &Range<usize>,
    index: &PeopleIndex,
    person: u32,
) -> bool {
    if left.end > right.start {
        return false;
    }
    let gap = &text[left.end..right.start];
    if matches!(gap, "-" | "." | "_") {
        return true;
    }
    if gap.matches('\n').count() > 1 || gap.len() > NAME_GAP_MAX {
        return false;
    }
    // Alexander "Sasha" Volkov, Alexander (Sasha) Volkov: a nickname set inside the name,
    // closed right after it ("bobby (robert on the resume)" is no name).
    if gap.chars().any(char::is_whitespace)
        && gap
            .chars()
            .all(|c| c.is_whitespace() || matches!(c, '"' | '\u{201c}' | '\u{201d}' | '(' | ')'))
    {
        // The gap opens the nickname when the mark touches it.
        let opens = gap.ends_with(['(', '"', '\u{201c}']);
        return !opens || text[right.end..].starts_with([')', '"', '\u{201d}']);
    }
    let p = &index.people[person as usize];
    let mut pos = left.end;
    // "Nguyễn Thị Mai" for Nguyen Mai: one capitalised word of the name that the subject
    // leaves out, and no English word.
    let mut middle_names = 0;
    while pos < right.start {
        match next_token(text, pos) {
            Some(t) if t.start() >= right.start => break,
            // "Omar Al-Farsi": a particle joined to the next part by a hyphen.
            Some(Token::Punct(at, '\n' | '-')) => pos = at + 1,
            // 'Bartholomeus "Bart" de Jong': the mark that closes a nickname set inside.
            Some(Token::Punct(at, c @ ('"' | ')' | '\u{201d}')))
                if at == left.end
                    && char_before(text, left.start)
                        == Some(match c {
                            ')' => '(',
                            '"' => '"',
                            _ => '\u{201c}',
                        }) =>
            {
                pos = at + c.len_utf8();
            }
            Some(Token::Word(span, w)) => {
                let mut buf = [0u8; MAX_WORD_BYTES];
                let is_initial = initial(w).is_some_and(|c| p.initials.contains(&c));
                // Folded: "Phạm Văn Long" has the particle "van".
                let is_particle = lower(w, &mut buf).is_some_and(|w| is_particle_of(p, w));
                if !(is_initial || is_particle) {
                    let middle_name = middle_names == 0
                        && case_of(w) == Case::Title
                        && w.chars().count() >= 2
                        && g.closed_classes(w) == 0
                        && {
                            // Not a word of a famous name: "Martin Luther King" is kept whole.
                            let folded = super::fold(w);
                            !g.rules.lexicon.common_words.contains(folded.as_str())
                                && !g.rules.lexicon.proper_names.phrases.contains_key(folded.as_str())
                        };
                    if !middle_name {
                        return false;
                    }
                    middle_names += 1;
                }
                pos = span.end;
                if char_at(text, pos) == Some('.') {
                    pos += 1;
                }
            }
            _ => return false,
        }
    }
    gap.chars().any(char::is_whitespace)
}

/// Is `word` (lowercase) one of the particles of the person's name, accents folded?
fn is_particle_of(p: &super::subjects::Person, word: &str) -> bool {
    if word.is_ascii() {
        p.particles.iter().any(|x| x == word)
    } else {
        let folded = super::fold(word);
        p.particles.contains(&folded)
    }
}

/// Do these hits, all forms of `person`, read as their name? In order ("Priya Raman"),
/// in any order when capitalised ("RAMAN Priya", and "Raman, Priya" where
/// `surname_comma_given` joined it).
/// In lowercase, parts that are all English words are the name unless they read as a verb
/// phrase: a modal and a verb ("will hunt"), or a verb after "to", a subject or a modal
/// ("to chase banks"), or a noun phrase after a determiner ("the rose hill").
fn run_is_name(g: &Grammar<'_>, text: &str, hits: &[Hit], person: u32) -> bool {
    let forms: Vec<&Form> = hits.iter().filter_map(|h| h.form_of(person)).collect();
    if forms.len() != hits.len() {
        return false;
    }
    let in_order = forms.windows(2).all(|w| w[0].position <= w[1].position);
    let capitalised = hits.iter().all(|h| case_of(&text[h.span.clone()]) != Case::Lower);
    let sure_part = forms.iter().any(|f| f.ambiguity == Ambiguity::None);
    // "Tomasz Wilk\nTomasz did ok": a name says each of its words once.
    let distinct = hits.iter().enumerate().all(|(k, a)| {
        hits[k + 1..]
            .iter()
            .all(|b| !text[a.span.clone()].eq_ignore_ascii_case(&text[b.span.clone()]))
    });
    // "Bill will be": names for one given name alone are no full name ("Alexander "Sasha"
    // Volkov" is).
    let one_name_twice =
        forms.iter().all(|f| f.position == forms[0].position) && forms.iter().any(|f| f.kind == VariantKind::Nickname);
    if !distinct || one_name_twice {
        return false;
    }
    // In lowercase notes a line break ends a sentence as often as a name wraps.
    let across_lines = hits
        .windows(2)
        .any(|w| text[w[0].span.end..w[1].span.start].contains('\n'));
    if across_lines && !capitalised {
        return false;
    }
    if capitalised || (in_order && sure_part) {
        return true;
    }
    if !in_order {
        // "long tran - coding" of Tran Van Long: the parts in the other order, opening a line
        // or a sentence, one of them no word.
        let opens = matches!(prev_token(text, hits[0].span.start), None | Some(Token::Punct(..)));
        return hits.len() == 2 && sure_part && opens;
    }
    let first = &text[hits[0].span.clone()];
    let second = &text[hits[1].span.clone()];
    let mut buf = [0u8; MAX_WORD_BYTES];
    let lex = &g.rules.lexicon;
    let first_lower = lowered(first, &mut buf);
    let verb_able = lex.bases.contains(first_lower) || lex.past.contains(first_lower);
    let prev = prev_token(text, hits[0].span.start);
    let prev_word = prev.as_ref().and_then(Token::word);
    if let Some(p) = prev_word {
        // After a causative the object is a person: "had sky fox walk through it".
        let in_verb_phrase = p.eq_ignore_ascii_case("to")
            || g.is(p, class::SUBJECT_PRONOUN)
            || (g.is_auxiliary(p) && !g.is(p, class::CAUSATIVE));
        if (verb_able && in_verb_phrase) || g.word_in(p, &g.rules.names.absorbed) {
            return false;
        }
    }
    // "will chase": a modal and a verb, unless the words around show a name's place
    // ("ranks above will chase for me", "will chase referred them").
    if g.is_auxiliary(first) && is_verb(g, second) {
        let person_before = prev_word.is_none_or(|p| {
            g.is(
                p,
                class::PREPOSITION
                    | class::COORDINATOR
                    | class::CONJUNCTION
                    | class::CLAUSE_OPENER
                    | class::QUANTIFIER
                    | class::DETERMINER,
            ) || g.word_in(p, &g.rules.names.before_person)
                || is_candidate_word(p)
        });
        let end = hits[hits.len() - 1].span.end;
        let person_after = verdict_at(g, text, end)
            || match next_token(text, end) {
                None | Some(Token::Punct(..)) => true,
                Some(Token::Word(_, n)) => {
                    (g.is_finite_verb(n) && !g.is(n, class::DETERMINER))
                        || g.is(
                            n,
                            class::PREPOSITION
                                | class::COORDINATOR
                                | class::CONJUNCTION
                                | class::WH_WORD
                                | class::TIME_WORD
                                | class::CLAUSE_OPENER
                                | class::SUBJECT_PRONOUN,
                        )
                }
            };
        return person_before && person_after;
    }
    true
}

/// Group the hits into mentions, each resolved to one person and decided.
fn resolve(
    g: &Grammar<'_>,
    text: &str,
    view: &View,
    emails: &[Range<usize>],
    all: &Subjects,
    index: &PeopleIndex,
) -> Vec<Mention> {
    let hits = scan(g, view, text, emails, all, index);
    let mut mentions: Vec<Mention> = Vec::new();
    // People named in full so far: a bare part later means them.
    let mut named: Vec<u32> = Vec::new();
    // Where each person is named in full, and the bare words given to an interviewer (the
    // mention and its hit): a candidate named in full later makes them doubtful.
    let mut full_at: Vec<(u32, usize)> = Vec::new();
    let mut to_interviewer: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < hits.len() {
        let mut best: Option<(usize, u32, bool)> = None;
        // A name of several words needs another hit close after this one.
        let next_close = hits
            .get(i + 1)
            .is_some_and(|n| !n.initials && n.span.start.saturating_sub(hits[i].span.end) <= NAME_GAP_MAX);
        if !hits[i].initials && next_close {
            for form in hits[i].forms.iter() {
                if !matches!(form.kind, VariantKind::Part | VariantKind::Nickname) {
                    continue;
                }
                let person = form.person;
                let mut j = i + 1;
                while j < hits.len()
                    && !hits[j].initials
                    && hits[j]
                        .form_of(person)
                        .is_some_and(|f| matches!(f.kind, VariantKind::Part | VariantKind::Nickname))
                    && (joins_name(g, text, &hits[j - 1].span, &hits[j].span, index, person)
                        || (j == i + 1 && surname_comma_given(text, &hits[i], &hits[j], person)))
                {
                    j += 1;
                }
                // The longest name wins; between equals, the one written in its own order
                // ("Jordan Lee" is the interviewer Jordan Lee, not the candidate Lee Jordan
                // reversed), then the one the note has named.
                while j - i >= 2 && !run_is_name(g, text, &hits[i..j], person) {
                    j -= 1;
                }
                let in_order = j - i >= 2 && in_written_order(&hits[i..j], person);
                if j - i >= 2
                    && best.is_none_or(|(bj, bp, b_order)| {
                        j > bj || (j == bj && (in_order, prefer(all, &named, person, bp)) > (b_order, false))
                    })
                {
                    best = Some((j, person, in_order));
                }
            }
        }
        if let Some((j, person, _)) = best {
            let mut span = hits[i].span.start..hits[j - 1].span.end;
            // "Sasha (Alexander)", `Alexander "Sasha`: the mark that closes a nickname set
            // inside the name goes with it.
            // '("Mint")': both marks.
            for _ in 0..2 {
                let inside = &text[span.clone()];
                let open = inside.matches('(').count() > inside.matches(')').count()
                    || inside.matches('"').count() % 2 == 1
                    || inside.matches('\u{201c}').count() > inside.matches('\u{201d}').count();
                match char_at(text, span.end) {
                    Some(c @ (')' | '"' | '\u{201d}')) if open => span.end += c.len_utf8(),
                    _ => break,
                }
            }
            let (span, _) = extend(g, text, index, person, span);
            named.retain(|p| *p != person);
            named.push(person);
            full_at.push((person, span.start));
            let kind = hits[i].form_of(person).map_or(VariantKind::Part, |f| f.kind);
            mentions.push(decided(g, text, all, index, span, person, kind, true, false));
            i = j;
            continue;
        }
        // "not sean chen from last week", of the candidate Seán and another candidate Chen: a
        // given name right before a candidate's surname is one person, that candidate,
        // called by a name the index does not know; one placeholder, not two.
        if let Some(next) = hits.get(i + 1)
            && !hits[i].initials
            && !next.initials
            && &text[hits[i].span.end..next.span.start] == " "
            && hits[i]
                .forms
                .iter()
                .any(|f| f.position == 0 && matches!(f.kind, VariantKind::Part | VariantKind::Nickname))
            && next
                .forms
                .iter()
                .all(|f| f.position > 0 && f.position != u8::MAX && f.kind == VariantKind::Part)
            && let [surname] = &next.forms[..]
            && all.role(surname.person) != Role::Interviewer
            && all.role(surname.person) != Role::Candidate
            && surname.ambiguity == Ambiguity::None
        {
            let span = hits[i].span.start..next.span.end;
            mentions.push(decided(
                g,
                text,
                all,
                index,
                span,
                surname.person,
                VariantKind::Part,
                true,
                false,
            ));
            i += 2;
            continue;
        }
        let hit_at = i;
        let hit = &hits[i];
        i += 1;
        let with_writer = and_the_writer(text, hit.span.end);
        // "Nadia K." of two Nadias: the initial after the word says which.
        // "D. Kim" of two Kims: the initial before it too.
        // "Max vH" of two Maxes: the letters of the rest of the name.
        let narrowed: Option<Vec<Form>> = if hit.forms.len() > 1 {
            let own = own_initial(text, &hit.span);
            let by_letters = letters_after(text, index, &hit.span).map(|(_, people)| {
                hit.forms
                    .iter()
                    .filter(|f| people.contains(&f.person))
                    .copied()
                    .collect::<Vec<Form>>()
            });
            by_letters
                .or_else(|| {
                    initial_after(text, hit.span.end)
                        .or_else(|| initial_before(text, hit.span.start))
                        .map(|c| {
                            hit.forms
                                .iter()
                                .filter(|f| index.people[f.person as usize].initial_of_another_part(c, own))
                                .copied()
                                .collect::<Vec<Form>>()
                        })
                })
                .filter(|forms| !forms.is_empty())
        } else {
            None
        };
        let forms = narrowed.as_deref().unwrap_or(&hit.forms);
        // "Sam (me)", "— Luis" signing the note, "[10:00] ray:" speaking in a chat log: the
        // writer or a colleague, an interviewer.
        // A chat's speaker or a name marked "(ours)" is a colleague, unless the candidate is
        // called so too: candidates speak in transcripts, and a lost interviewer name is
        // better than a leak.
        let focus_named = forms.iter().any(|f| all.is_focus(f.person));
        let colleague = !focus_named && (speaks_in_chat(text, &hit.span) || marked_colleague(g, text, &hit.span));
        let writer = (names_the_writer(text, &hit.span) || colleague)
            .then(|| {
                forms
                    .iter()
                    .filter(|f| all.role(f.person) == Role::Interviewer)
                    .max_by_key(|f| all.author == Some(f.person))
                    .map(|f| f.person)
            })
            .flatten();
        // "Ray Castellanos asked. The other Ray answered", of the candidate Ray Baker: of two
        // people of that name the note has called so, a person, the one not called so last
        // (where that mention was no guess). With none, the word is read as any other ("the
        // other mark on the board").
        let after_the_other = hit.forms.len() > 1
            && matches!(prev_token(text, hit.span.start), Some(Token::Word(r, w))
                if w.eq_ignore_ascii_case("other")
                    && matches!(prev_token(text, r.start), Some(Token::Word(_, t)) if t.eq_ignore_ascii_case("the")));
        let word = &text[hit.span.clone()];
        let last_of_them = mentions.iter().rev().filter(|_| after_the_other).find(|m| {
            hit.forms.iter().any(|f| f.person == m.person)
                && text[m.span.clone()]
                    .split(|c: char| !c.is_alphanumeric())
                    .any(|w| w.eq_ignore_ascii_case(word))
        });
        let the_other_one = after_the_other && last_of_them.is_some();
        let the_other = last_of_them.filter(|m| the_other_one && !m.ambiguous).and_then(|last| {
            let others = || hit.forms.iter().map(|f| f.person).filter(move |&p| p != last.person);
            others().find(|&p| all.is_focus(p)).or_else(|| others().next())
        });
        let (person, ambiguous) = match (writer, the_other) {
            (Some(w), _) => (w, false),
            (None, Some(other)) => (other, false),
            (None, None) => choose(all, index, &named, forms, with_writer),
        };
        let decided_by_note = writer.is_some() || narrowed.is_some() || the_other.is_some();
        let Some(form) = hit.form_of(person).copied() else {
            continue;
        };
        // Handles are written in lowercase: "Paris" mid-sentence is no handle of Pari S.
        if form.kind == VariantKind::Handle
            && case_of(&text[hit.span.clone()]) == Case::Title
            && !g.is_sentence_start(text, hit.span.start)
        {
            continue;
        }
        let (mut span, titled) = extend(g, text, index, person, hit.span.clone());
        // "Daniel King … Ms. King asked", of the candidate Oksana King: a title says a
        // surname is someone's, not whose; the interviewer named before does not decide it.
        let (person, ambiguous) = match forms.iter().find(|f| all.is_focus(f.person)) {
            Some(focus) if titled && !decided_by_note && all.role(person) == Role::Interviewer => {
                span = extend(g, text, index, focus.person, hit.span.clone()).0;
                (focus.person, true)
            }
            _ => (person, ambiguous),
        };
        let Some(form) = hit.form_of(person).copied() else {
            continue;
        };
        // "Bill and I covered caching": a person acting with the writer, who is nobody's
        // colleague but a candidate's here: no interviewer has the word.
        let with_writer_only_candidates = with_writer && forms.iter().all(|f| all.role(f.person) != Role::Interviewer);
        let sure =
            titled || hit.initials || form.kind == VariantKind::Email || with_writer_only_candidates || the_other_one;
        if titled {
            named.retain(|p| *p != person);
            named.push(person);
            full_at.push((person, span.start));
        } else if !ambiguous && !with_writer && !decided_by_note && all.role(person) == Role::Interviewer {
            to_interviewer.push((mentions.len(), hit_at));
        }
        let mut mention = decided(g, text, all, index, span, person, form.kind, titled, ambiguous);
        if !sure && !mention.kept && in_known_proper_name(g, text, &mention.span) {
            mention.kept = true;
            mention.ambiguous = false;
        }
        if !sure && !mention.kept {
            if form.ambiguity != Ambiguity::None && in_code(text, &mention.span) {
                mention.kept = true;
                mention.ambiguous = false;
            } else if used_as_word(g, index, text, &mention.span, form.ambiguity) {
                mention.kept = true;
                mention.ambiguous = false;
                // A cut kept capitalised is for a person to check; a proper word is kept only
                // by a cue that shows the thing.
                mention.doubtful = form.ambiguity == Ambiguity::Clipped
                    && all.is_focus(person)
                    && case_of(&text[mention.span.clone()]) != Case::Lower;
            } else if form.ambiguity == Ambiguity::None && !mention.proper_name {
                mention.proper_name = used_in_proper_name(g, text, &mention.span);
            }
        }
        mentions.push(mention);
    }
    // "Marcus Bell liked Marcus's tests. Marcus Oyelaran is a hire.": the bare word may be
    // the candidate named after it as well as the interviewer named before. A lost
    // interviewer name is better than a leak. ("Marcus and I" is a colleague's.)
    for (m, h) in to_interviewer {
        let start = mentions[m].span.start;
        let named_later = |p: u32| full_at.iter().any(|&(q, at)| q == p && at > start);
        let candidates = hits[h]
            .forms
            .iter()
            .map(|f| f.person)
            .filter(|&p| all.role(p) != Role::Interviewer && named_later(p));
        let Some(person) = candidates
            .clone()
            .find(|&p| all.is_focus(p))
            .or_else(|| candidates.clone().next())
        else {
            continue;
        };
        let Some(form) = hits[h].form_of(person).copied() else {
            continue;
        };
        let span = mentions[m].span.clone();
        // "We will see" stays whoever is called Will.
        if !used_as_word(g, index, text, &span, form.ambiguity) {
            mentions[m] = decided(g, text, all, index, span, person, form.kind, false, true);
        }
    }
    merge_adjacent(text, mentions)
}

/// Two mentions of one person side by side, both replaced ("Lynn Chen" of Chen Xiaoling,
/// who is Lynn to the note, written given name first): one name, one placeholder. Not an
/// email or a handle, which say more than the name ("Priya priya.raman@…").
fn merge_adjacent(text: &str, mentions: Vec<Mention>) -> Vec<Mention> {
    let name = |m: &Mention| matches!(m.kind, VariantKind::Part | VariantKind::Nickname);
    let mut merged: Vec<Mention> = Vec::with_capacity(mentions.len());
    for mention in mentions {
        if let Some(last) = merged.last_mut()
            && last.person == mention.person
            && name(last)
            && name(&mention)
            && !last.kept
            && !mention.kept
            && !last.proper_name
            && !mention.proper_name
            && last.span.end < mention.span.start
            && text[last.span.end..mention.span.start].bytes().all(|b| b == b' ')
        {
            last.span.end = mention.span.end;
            last.full = true;
            last.ambiguous &= mention.ambiguous;
            continue;
        }
        merged.push(mention);
    }
    merged
}

/// "Ferreira, Lucas": the family name, a comma, then the given name, both capitalised, as a
/// list or a header writes a name.
fn surname_comma_given(text: &str, left: &Hit, right: &Hit, person: u32) -> bool {
    let (Some(l), Some(r)) = (left.form_of(person), right.form_of(person)) else {
        return false;
    };
    let gap = &text[left.span.end..right.span.start];
    l.kind == VariantKind::Part
        && r.kind == VariantKind::Part
        && l.position > r.position
        && gap
            .strip_prefix(',')
            .is_some_and(|g| !g.is_empty() && g.chars().all(|c| c == ' '))
        && [&left.span, &right.span]
            .iter()
            .all(|s| case_of(&text[(*s).clone()]) == Case::Title)
}

/// Are the hits, all forms of `person`, in the order of their name's parts?
fn in_written_order(hits: &[Hit], person: u32) -> bool {
    let positions: Vec<u8> = hits
        .iter()
        .filter_map(|h| h.form_of(person))
        .map(|f| f.position)
        .collect();
    positions.windows(2).all(|w| w[0] <= w[1])
}

/// Between two people a full name fits alike, the one named before, then the candidate.
fn prefer(all: &Subjects, named: &[u32], person: u32, than: u32) -> bool {
    let rank = |p: u32| {
        let recent = named.iter().rposition(|n| *n == p).map_or(0, |i| i + 1);
        (recent, all.is_focus(p), all.role(p) != Role::Interviewer)
    };
    rank(person) > rank(than)
}

/// "Priya and I", "Priya and me": someone who acts with the note's writer.
fn and_the_writer(text: &str, end: usize) -> bool {
    match next_token(text, end) {
        Some(Token::Word(r, w)) if w.eq_ignore_ascii_case("and") => {
            matches!(next_token(text, r.end), Some(Token::Word(_, w)) if w == "I" || w == "i" || w.eq_ignore_ascii_case("me"))
        }
        _ => false,
    }
}

/// Whom a bare word means, and whether nothing in the note decided it between a candidate
/// and an interviewer. `with_writer`: the word names someone acting with the writer
/// ("Priya and I"), a colleague rather than another candidate.
fn choose(all: &Subjects, index: &PeopleIndex, named: &[u32], forms: &[Form], with_writer: bool) -> (u32, bool) {
    let role = |p: u32| index.people[p as usize].role;
    let focus = forms.iter().find(|f| all.is_focus(f.person)).map(|f| f.person);
    // Someone named in full before claims a later word as a part of their name. As a
    // nickname, only the candidate's (notes call the candidate by one) or a word that is
    // nobody's part: "Will Ferreira ... stronger than Bill" is not about the interviewer.
    let as_part = forms.iter().any(|f| f.kind != VariantKind::Nickname);
    let earlier: Vec<u32> = named
        .iter()
        .copied()
        .filter(|p| {
            forms
                .iter()
                .any(|f| f.person == *p && (!as_part || f.kind != VariantKind::Nickname || all.is_focus(f.person)))
        })
        .collect();
    match earlier.as_slice() {
        [] => {}
        // "Interviewer: Oliver Grant … Grant did fine", of the candidate Grant Lewis: notes
        // call people by their given names, and a lost interviewer name is better than a
        // leak. Flagged.
        [person]
            if role(*person) == Role::Interviewer
                && forms
                    .iter()
                    .any(|f| f.person == *person && f.position > 0 && f.position != u8::MAX) =>
        {
            if let Some(given) = forms
                .iter()
                .find(|f| f.position == 0 && f.kind == VariantKind::Part && role(f.person).is_candidate())
            {
                return (given.person, true);
            }
            return (*person, false);
        }
        [person] => return (*person, false),
        // Two of them named in full before: the candidate, unless all are interviewers,
        // and flagged when an interviewer may be meant.
        several => {
            let candidate = several
                .iter()
                .rev()
                .copied()
                .find(|p| all.is_focus(*p))
                .or_else(|| several.iter().rev().copied().find(|p| role(*p).is_candidate()));
            return match candidate {
                Some(c) => (
                    c,
                    several
                        .iter()
                        .any(|p| role(*p) == Role::Interviewer && !all.is_focus(*p)),
                ),
                None => (several[several.len() - 1], false),
            };
        }
    }
    let candidate = focus.or_else(|| forms.iter().map(|f| f.person).find(|p| role(*p).is_candidate()));
    if with_writer
        && focus.is_none()
        && let Some(colleague) = forms
            .iter()
            .find(|f| role(f.person) == Role::Interviewer && all.author != Some(f.person))
    {
        return (colleague.person, false);
    }
    // Only the interviewers of this interview make the candidate's name doubtful: one the
    // candidate never met there is not whom the note speaks of.
    let interviewers: Vec<u32> = forms
        .iter()
        .filter(|f| role(f.person) == Role::Interviewer && !all.is_focus(f.person) && all.on_panel(f.person))
        .map(|f| f.person)
        .collect();
    match candidate {
        // A lost interviewer name is better than a leak; the author does not name themself.
        Some(c) => {
            let decided = interviewers.is_empty() || (interviewers.len() == 1 && all.author == Some(interviewers[0]));
            (c, !decided)
        }
        None => (
            all.author
                .filter(|a| interviewers.contains(a))
                .unwrap_or(forms[0].person),
            false,
        ),
    }
}

/// A mention of `person` at `span`, with its replacement decided: kept for an interviewer
/// shown as written.
#[allow(clippy::too_many_arguments)]
fn decided(
    _g: &Grammar<'_>,
    _text: &str,
    all: &Subjects,
    index: &PeopleIndex,
    span: Range<usize>,
    person: u32,
    kind: VariantKind,
    full: bool,
    ambiguous: bool,
) -> Mention {
    let kept = all.role(person) == Role::Interviewer && interviewer_replacement(all, index, person).is_none();
    Mention {
        span,
        person,
        kind,
        full,
        ambiguous,
        proper_name: false,
        kept,
        doubtful: false,
    }
}

fn interviewer_replacement<'s>(all: &'s Subjects, index: &'s PeopleIndex, person: u32) -> Option<&'s str> {
    if let Some(names) = &all.interviewers {
        if let Some(label) = names.labels.get(&person) {
            return Some(label);
        }
        if let Some(others) = &names.others {
            return Some(others);
        }
    }
    index.people[person as usize].label.as_deref()
}

/// Extend a mention left over a title ("Ms.") or an initial ("P. Raman"), right over an
/// initial ("Priya R."); returns the span and whether a title or a following initial was
/// taken in, either of which makes the mention sure.
fn extend(
    g: &Grammar<'_>,
    text: &str,
    index: &PeopleIndex,
    person: u32,
    mut span: Range<usize>,
) -> (Range<usize>, bool) {
    let p = &index.people[person as usize];
    let mut titled = false;
    let mut buf = [0u8; MAX_WORD_BYTES];
    // "JH Park", "Park JH" of Park Ji-hoon: the person's initials written as one word.
    let initials_word = |w: &str| {
        let mut buf = [0u8; MAX_WORD_BYTES];
        (2..=4).contains(&w.len())
            && case_of(w) == Case::Upper
            && lower(w, &mut buf)
                .is_some_and(|lw| index.initials.get(lw).is_some_and(|people| people.contains(&person)))
    };
    loop {
        // A word, perhaps with its dot, then spaces, right before the span; or a particle
        // joined to it by a hyphen ("al-rashid").
        let spaced = text[..span.start].trim_end_matches([' ', '\t']);
        let (before, hyphened) = match text[..span.start].strip_suffix('-') {
            Some(joined) => (joined, true),
            None => (spaced, false),
        };
        if before.len() == span.start {
            break;
        }
        let dotted = before.ends_with('.');
        let word_end = before.len() - usize::from(dotted);
        let Some(Token::Word(r, w)) = prev_token(text, word_end) else {
            break;
        };
        if r.end != word_end {
            break;
        }
        let lw = lower(w, &mut buf).unwrap_or("");
        let taken = if hyphened {
            !dotted && is_particle_of(p, lw)
        } else if g.rules.names.titles.contains(lw) && case_of(w) != Case::Lower {
            titled = true;
            true
        } else {
            (dotted && initial(w).is_some_and(|c| p.initials.contains(&c)))
                || (!dotted && (is_particle_of(p, lw) || initials_word(w)))
        };
        if !taken {
            break;
        }
        span.start = r.start;
    }
    // "Arjun K." and "Arjun K": the initial of another part ("Long T" of Tran Van Long,
    // written given name first). Without its dot, never "I" or "A", which are words.
    let own = own_initial(text, &span);
    let another_part = |c: char| p.initial_of_another_part(c, own);
    // "I" and "A" are words: as initials only where a header ends after them ("Jess A -",
    // "jess a" alone on its line).
    let header_ends = |end: usize| {
        matches!(
            next_token(text, end),
            None | Some(Token::Punct(_, '\n' | '-' | ':' | '\u{2013}' | '\u{2014}' | '*'))
        )
    };
    let mut initialled = false;
    if let Some((r, people)) = letters_after(text, index, &span)
        && people.contains(&person)
    {
        return (span.start..r.end, true);
    }
    if let Some(Token::Word(r, w)) = next_token(text, span.end)
        && r.start > span.end
        && text::only_spaces_between(text, span.end, r.start)
        && initials_word(w)
    {
        return (span.start..r.end, true);
    }
    if let Some(Token::Word(r, w)) = next_token(text, span.end)
        && r.start > span.end
        && text::only_spaces_between(text, span.end, r.start)
        && let Some(c) = initial(w)
    {
        let dotted = char_at(text, r.end) == Some('.');
        if dotted && p.initials.contains(&c) {
            // "… than Nadia H. Rebecca led": the dot may end the sentence too, and stays.
            let sentence_after =
                matches!(next_token(text, r.end + 1), Some(Token::Word(_, n)) if case_of(n) != Case::Lower);
            span.end = if sentence_after { r.end } else { r.end + 1 };
            initialled = true;
        } else if !dotted && (!matches!(c, 'i' | 'a') || header_ends(r.end)) && another_part(c) {
            span.end = r.end;
            initialled = true;
        }
    } else if let Some(Token::Word(r, w)) = next_token(text, span.end)
        && case_of(&text[span.clone()]) == Case::Lower
        && r.start > span.end
        && text::only_spaces_between(text, span.end, r.start)
        && let [c @ b'a'..=b'z'] = w.as_bytes()
        && another_part(*c as char)
        && (!matches!(c, b'i' | b'a') || header_ends(r.end))
        && match next_token(text, r.end) {
            Some(Token::Word(_, v)) => {
                g.is_finite_verb(v)
                    || verdict_at(g, text, r.end)
                    || ((g.is(v, class::PREPOSITION) || g.word_in(v, &g.rules.names.versus_words))
                        && match prev_token(text, span.start) {
                            None | Some(Token::Punct(..)) => true,
                            Some(Token::Word(_, p)) => g.is(p, class::PREPOSITION),
                        })
            }
            _ => true,
        }
    {
        // "jane d - system design", "lakshmi v did well", "penny w lean hire": in a
        // lowercase note, the letter too, where no word but a verb or a verdict follows it
        // ("lakshmi v mei" may be "versus"); or a preposition or "vs" where the name stands
        // in a phrase of its own ("compared to may c from last week", "june b vs may m";
        // "the panel will b in room 4" is a modal and "be").
        span.end = r.end;
        initialled = true;
    }
    (span, titled || initialled)
}

/// "Iris dV", "max vh": the letters of the rest of a name, particles included, right after
/// the word at `span`; their span and the people whose initials they complete.
fn letters_after<'i>(text: &str, index: &'i PeopleIndex, span: &Range<usize>) -> Option<(Range<usize>, &'i [u32])> {
    let Some(Token::Word(r, w)) = next_token(text, span.end) else {
        return None;
    };
    if r.start == span.end
        || !text::only_spaces_between(text, span.end, r.start)
        || !(2..=3).contains(&w.len())
        || !w.bytes().all(|b| b.is_ascii_alphabetic())
        || !w.bytes().any(|b| b.is_ascii_lowercase())
    {
        return None;
    }
    let own = text[span.clone()].chars().next()?;
    let mut key = String::with_capacity(4);
    key.push(own.to_ascii_lowercase());
    key.extend(w.chars().map(|c| c.to_ascii_lowercase()));
    let people = index.initials.get(key.as_str())?;
    Some((r, people.as_slice()))
}

/// A verdict right after `end`, or a word that grades it and then one: "hire", "strong
/// hire", "lean hire", "no hire".
fn verdict_at(g: &Grammar<'_>, text: &str, end: usize) -> bool {
    let verdicts = &g.rules.names.verdicts;
    match next_token(text, end) {
        Some(Token::Word(r, w)) => {
            g.word_in(w, verdicts)
                || (case_of(w) == Case::Lower
                    && matches!(next_token(text, r.end), Some(Token::Word(_, v)) if g.word_in(v, verdicts)))
        }
        _ => false,
    }
}

/// "3", "2024", "10x": a word that starts with a digit.
fn is_number(word: &str) -> bool {
    word.starts_with(|c: char| c.is_ascii_digit())
}

fn lowered<'b>(word: &'b str, buf: &'b mut [u8; MAX_WORD_BYTES]) -> &'b str {
    lower(word, buf).unwrap_or("")
}

/// A verb in any form: "asked", "ask", "asks", "asking".
fn is_verb(g: &Grammar<'_>, word: &str) -> bool {
    let mut buf = [0u8; MAX_WORD_BYTES];
    let w = lowered(word, &mut buf);
    let lex = &g.rules.lexicon;
    g.is_auxiliary(word)
        || lex.bases.contains(w)
        || lex.past.contains(w)
        || lex.third_person.contains_key(w)
        || lex.participles.contains_key(w)
        || w.ends_with("ing")
}

/// Is the name-like word at `span` (the name of someone, also an English word) used in its
/// ordinary sense here? The name is the default; the sentence must show the word.
fn ordinary_sense(g: &Grammar<'_>, text: &str, span: &Range<usize>) -> bool {
    let written = &text[span.clone()];
    let mut buf = [0u8; MAX_WORD_BYTES];
    let word = lowered(written, &mut buf).to_string();
    let names = &g.rules.names;
    // "June's design", and "junes tests" (a span that ends inside its word is one written
    // without the apostrophe): a possessive is a person's.
    let mut after = text[span.end..].chars();
    let first = after.next();
    let apostrophe = first.is_some_and(is_apostrophe);
    if (apostrophe || char_before(text, span.end).is_some_and(char::is_alphanumeric))
        && (if apostrophe { after.next() } else { first }).is_some_and(|c| c == 's' || c == 'S')
        && !after.next().is_some_and(char::is_alphanumeric)
    {
        return false;
    }
    let prev = prev_token(text, span.start);
    let next = next_token(text, span.end);
    let prev_word = prev.as_ref().and_then(Token::word);
    let next_word = next.as_ref().and_then(Token::word);
    // "candidate rust is here": the word a note puts before a candidate's name, for a proper
    // word (a language is nobody's); not where the word is the candidate's verb ("the
    // candidate drew a diagram"). "candidate pool" and "candidate hope" are the words.
    if prev_word.is_some_and(is_candidate_word)
        && g.word_in(written, &names.proper_words)
        && (!g.is_verb_form(written)
            || match &next {
                None | Some(Token::Punct(..)) => true,
                Some(Token::Word(_, n)) => g.is_finite_verb(n) && !g.is(n, class::DETERMINER),
            })
    {
        return false;
    }
    // A date: "in June", "June 3", "3 June", "since May", "from May on", "the end of June".
    if names.months.contains(word.as_str()) && (next_word.is_some_and(is_number) || after_date_word(g, text, span)) {
        return true;
    }
    // "in May or June", "June and July": a month among months.
    if names.months.contains(word.as_str()) {
        let month = |w: &str| {
            let mut b = [0u8; MAX_WORD_BYTES];
            names.months.contains(lowered(w, &mut b))
        };
        let joined = |w: &str| w.eq_ignore_ascii_case("or") || w.eq_ignore_ascii_case("and");
        let before = prev.as_ref().and_then(|t| match t {
            Token::Word(r, w) if joined(w) => prev_token(text, r.start),
            _ => None,
        });
        let after = next.as_ref().and_then(|t| match t {
            Token::Word(r, w) if joined(w) => next_token(text, r.end),
            _ => None,
        });
        if [before, after].iter().flatten().any(|t| t.word().is_some_and(month)) {
            return true;
        }
    }
    // "Banks are slow to adopt": a plural, which no person's name is. Not capitalised
    // after a preposition, where the verb is the noun's before it ("my notes on Banks are").
    let after_preposition = prev_word.is_some_and(|p| g.is(p, class::PREPOSITION));
    if word.ends_with('s')
        && !(after_preposition && case_of(written) != Case::Lower)
        && next_word.is_some_and(|n| {
            ["are", "were", "have", "aren't", "weren't", "haven't"]
                .iter()
                .any(|p| n.eq_ignore_ascii_case(p))
        })
    {
        return true;
    }
    let sentence_start = g.is_sentence_start(text, span.start);
    let case = case_of(written);
    if (sentence_start || case == Case::Lower) && in_idiom(g, text, span, &word) {
        return true;
    }
    if !sentence_start && case != Case::Lower {
        // Capitalised inside a sentence: a name, unless it modifies the noun after a
        // determiner ("the June cohort").
        return prev_word.is_some_and(|p| g.is(p, class::DETERMINER) && !g.is(p, class::OBJECT_PRONOUN))
            && modifies_next_noun(g, text, span);
    }
    // The modal: "will need", "Will it scale?", "may not".
    if g.is_auxiliary(written) {
        let after_adverbs = g.skip_adverbs(text, span.end);
        if let Some(Token::Word(_, w)) = after_adverbs {
            let mut b = [0u8; MAX_WORD_BYTES];
            let lw = lowered(w, &mut b);
            // "Will will be": the second is the modal, the first a name; so is "Will can code".
            // A verb that is its own past ("Will cut scope", "May read the prompt") opening a
            // sentence reads as the person's verb: a modal there would leak a name.
            let base = g.rules.lexicon.bases.contains(lw) && !(sentence_start && g.rules.lexicon.past.contains(lw));
            if lw != word && !g.is_auxiliary(w) && (base || lw == "not" || g.is(w, class::SUBJECT_PRONOUN)) {
                return true;
            }
        }
    }
    if sentence_start {
        return opens_sentence_ordinarily(g, text, span, &word, next_word);
    }
    lowercase_ordinary(g, text, span, &word, prev.as_ref(), next.as_ref())
}

/// Is the month-like word at `span` a date by the word before it? "in June", "since May";
/// "from May" only where the range goes on ("from May onwards"); "of June" only after a
/// noun of time ("the end of June").
fn after_date_word(g: &Grammar<'_>, text: &str, span: &Range<usize>) -> bool {
    let names = &g.rules.names;
    let Some(Token::Word(r, prev)) = prev_token(text, span.start) else {
        return false;
    };
    // "13:10 June writes" is a chat log's clock, not a day of the month ("date:10 June" is).
    let clock = char_before(text, r.start) == Some(':')
        && text[..r.start - 1]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_ascii_digit());
    if (is_number(prev) && !clock) || g.word_in(prev, &names.date_words) {
        return true;
    }
    if g.word_in(prev, &names.range_words) {
        // "from May onwards", "from April to June", "from May on."; not "from April on the
        // caching layer".
        let Some(Token::Word(end, w)) = next_token(text, span.end) else {
            return false;
        };
        return g.word_in(w, &names.range_ends)
            && match next_token(text, end.end) {
                None | Some(Token::Punct(..)) => true,
                Some(Token::Word(_, after)) => is_number(after) || g.word_in(after, &names.months),
            };
    }
    // "the end of June", "the 3rd of June", "the last week of June".
    prev.eq_ignore_ascii_case("of")
        && matches!(prev_token(text, r.start), Some(Token::Word(_, noun)) if is_number(noun) || g.word_in(noun, &names.date_nouns))
}

/// Is the form of a name at `span`, as sure as `ambiguity` says, used as a word of English
/// there rather than as the name?
fn used_as_word(g: &Grammar<'_>, index: &PeopleIndex, text: &str, span: &Range<usize>, ambiguity: Ambiguity) -> bool {
    if ambiguity != Ambiguity::None && in_hyphened_word(g, index, text, span) {
        return true;
    }
    if ambiguity != Ambiguity::None && compared_with_someone(g, index, text, span) {
        return false;
    }
    match ambiguity {
        // "a priya hint" is no English, whatever the article says.
        Ambiguity::None => false,
        Ambiguity::Pronoun => true,
        Ambiguity::Clipped => !shows_person(g, text, span),
        Ambiguity::ProperWord => {
            let names_someone = |w: &str| index.forms_of(g.rules, w.as_bytes()).is_some();
            trade::shows_thing(g, text, span, &names_someone)
                || after_determiner_in_lowercase(g, text, span)
                || ordinary_sense(g, text, span)
        }
        // A word of `words_too` written with a capital is the name: those words are rare
        // enough that "Max code was clean" and "Iris xy was sharp" name people.
        Ambiguity::CommonWord
            if case_of(&text[span.clone()]) != Case::Lower
                && g.word_in(&text[span.clone()], &g.rules.names.words_too) =>
        {
            false
        }
        Ambiguity::CommonWord => after_determiner_in_lowercase(g, text, span) || ordinary_sense(g, text, span),
    }
}

/// "the june cohort", "a bill of materials": a word of a name that is an English word, in
/// lowercase right after an article or a demonstrative, is the word. Not after a
/// possessive: "called her grace" names a person.
/// Not "that" opening a clause, after a verb and before the word's own verb: "liked that
/// faith admitted gaps" names a person.
fn after_determiner_in_lowercase(g: &Grammar<'_>, text: &str, span: &Range<usize>) -> bool {
    const ARTICLES: [&str; 7] = ["a", "an", "that", "the", "these", "this", "those"];
    if case_of(&text[span.clone()]) != Case::Lower {
        return false;
    }
    let Some(Token::Word(r, p)) = prev_token(text, span.start) else {
        return false;
    };
    if !ARTICLES.iter().any(|a| p.eq_ignore_ascii_case(a)) {
        return false;
    }
    !that_opens_clause(g, text, &r, span)
}

/// Is the "that" at `that` a conjunction opening a clause whose subject is the word at
/// `span`: after a verb, before the word's own verb ("liked that faith admitted gaps")?
fn that_opens_clause(g: &Grammar<'_>, text: &str, that: &Range<usize>, span: &Range<usize>) -> bool {
    text[that.clone()].eq_ignore_ascii_case("that")
        && matches!(prev_token(text, that.start), Some(Token::Word(_, v)) if is_verb(g, v) && !g.is_auxiliary(v))
        && matches!(next_token(text, span.end), Some(Token::Word(_, n)) if g.is_finite_verb(n) && !g.is(n, class::DETERMINER))
}

/// A name-like word opening a sentence: "Mark it down", "Grant read access", "Hope that
/// helps", "Autumn hiring is slower" (a verb, an adjective or a noun's modifier), against
/// "Mark asked", "Grace -- strong hire", "honestly hope was the strongest".
fn opens_sentence_ordinarily(
    g: &Grammar<'_>,
    text: &str,
    span: &Range<usize>,
    word: &str,
    next_word: Option<&str>,
) -> bool {
    if hyphened_to_word(g, text, span) {
        return true;
    }
    let Some(n) = next_word else { return false };
    // "Church design a notification system", "Hunt write Kotlin", "Noble have also a very
    // noble attitude": a base verb, then its object, as notes in a second language write the
    // person's verb without its -s. No imperative opens with a word and then a verb.
    if case_of(n) == Case::Lower
        && g.is_base(n)
        && !g.is_past(n)
        && !g.is(n, class::AUXILIARY)
        && matches!(g.skip_adverbs(text, next_token(text, span.end).map_or(span.end, |t| t.end())),
            Some(Token::Word(_, o)) if g.starts_object(o) || case_of(o) == Case::Title)
    {
        return false;
    }
    // "Hope himself admitted it": a person. ("Will and I" may be the writer's colleague,
    // which `choose` decides once the word is a name.)
    if g.word_in(n, &g.rules.pronouns.reflexives) {
        return false;
    }
    // "chase round 2 - behavioral", "Faith debrief:": a note's header.
    if g.word_in(n, &g.rules.names.interview_nouns)
        && match next_token(text, span.end).and_then(|t| next_token(text, t.end())) {
            None | Some(Token::Punct(_, '-' | ':' | '\u{2013}' | '\u{2014}' | '\n')) => true,
            Some(Token::Word(_, w)) => is_number(w),
            _ => false,
        }
    {
        return false;
    }
    // "Joy and Sam were both on the loop": joined to another name, a person.
    if (n.eq_ignore_ascii_case("and") || n.eq_ignore_ascii_case("or"))
        && matches!(next_token(text, span.end).and_then(|t| next_token(text, t.end())),
            Some(Token::Word(_, w)) if case_of(w) == Case::Title && w != "I")
    {
        return false;
    }
    // "Joy clearly takes", "Hope really helps": adverbs, then the person's verb.
    if g.is_adverb(n)
        && matches!(g.skip_adverbs(text, span.end), Some(Token::Word(_, v))
            if g.is_finite_verb(v) && !g.is(v, class::DETERMINER))
    {
        return false;
    }
    let lex = &g.rules.lexicon;
    // A verb that is mostly a noun ("bill", "bell", "cost": tagged so in verbs.toml) opens
    // no imperative a note would write: "Bill cut scope" is the person.
    let mostly_noun = ["s", "es"].iter().any(|suffix| {
        let third = [word, suffix].concat();
        lex.third_person
            .get(third.as_str())
            .is_some_and(|v| &*v.base == word && v.kind == VerbKind::MostlyNoun)
    });
    let own_verb = lex.bases.contains(word) || lex.past.contains(word);
    // A past tense ("Drew", "Rose") opens no imperative either.
    let opens_imperative = lex.bases.contains(word) && !mostly_noun;
    let own_adjective = lex.adjectives.contains(word);
    // "Young services like ours": an adjective before a plural that is mostly a noun. Unless
    // what follows makes it a verb: its object, a reflexive or an adverb that ends the
    // clause ("Bright lacks experience", "Young rates himself", "Young codes fast").
    if own_adjective && case_of(n) == Case::Lower && g.third_person_kind(n) == Some(VerbKind::MostlyNoun) {
        return !verb_after_name(g, text, span);
    }
    let next_finite = g.is_finite_verb(n) && !g.is(n, class::DETERMINER);
    if next_finite {
        // "June is when the team moves": a time or a place, no person. "Price was the one
        // axis": a quantity.
        return g.is(n, class::AGREEMENT | class::AUXILIARY)
            && match next_token(text, span.end).and_then(|t| next_token(text, t.end())) {
                Some(Token::Word(r, w)) => {
                    g.word_in(w, &g.rules.names.thing_predicates)
                        // Not a word whose own sense is a person or says what one is like:
                        // "Hunter was the biggest factor", "Rich was a factor" are people.
                        || (!own_adjective && !is_agent_noun(g, word) && names_a_thing(g, text, r.start))
                }
                _ => false,
            };
    }
    if n.ends_with("'s") {
        return false;
    }
    let mut b = [0u8; MAX_WORD_BYTES];
    let lw = lowered(n, &mut b);
    // "Hope set up the harness", "Mark hit the limit": a past tense that is also a noun or a
    // base reads as the person's verb; taking "Hope" for an imperative would leak a name.
    // Unless a noun follows it, with which it makes the imperative's object ("Grant read
    // access to the repo").
    if lex.past.contains(lw) {
        let compound = next_token(text, span.end)
            .and_then(|t| next_token(text, t.end()))
            .and_then(|t| t.word().map(str::to_owned))
            .is_some_and(|m| {
                // "Cash felt rushed", "Joy seemed tired": a participle or an adjective after
                // the verb says how the person was, no object of an imperative.
                let mut b = [0u8; MAX_WORD_BYTES];
                let lm = lowered(&m, &mut b);
                is_lowercase_content_word(g, &m)
                    && !g.is_adjectival(&m)
                    && !lex.past.contains(lm)
                    && !lm.ends_with("ing")
            });
        // Only a verb opens an imperative: "April cut scope", "Bill cut scope" are the person.
        // And only one that gives a thing, whose object the noun phrase is ("Grant read
        // access"): "Hope cut scope", "Mark set up the harness" are the person's doing.
        if !compound || !opens_imperative || !g.is(word, class::DITRANSITIVE) {
            return false;
        }
    }
    // "april strong hire", "hope solid on design": a noun before an adjective is no noun
    // phrase of English; a verdict on the person is. A verb or an adjective before one
    // makes an imperative or a noun phrase only with a noun after it ("Grant full access",
    // "Young strong engineers"); a verdict (`verdicts` in names.toml) is no such noun.
    if g.is_adjective(n) || g.word_in(n, &g.rules.names.verdicts) {
        let noun_after = match next_token(text, span.end).and_then(|t| next_token(text, t.end())) {
            Some(Token::Word(_, w)) => {
                is_lowercase_content_word(g, w) && !g.is_adjective(w) && !g.word_in(w, &g.rules.names.verdicts)
            }
            _ => false,
        };
        if !(own_verb || own_adjective) || !noun_after {
            return false;
        }
    }
    own_verb
        || (own_adjective && case_of(n) == Case::Lower)
        || g.is(
            n,
            class::PREPOSITION | class::DETERMINER | class::OBJECT_PRONOUN | class::ADVERB,
        )
        || g.is_adverb(n)
        || lw == "to"
        || is_number(n)
        || modifies_next_noun(g, text, span)
}

/// Is the word in -s after the name at `span` a verb, by what follows it: an object (a
/// determiner, a pronoun, a noun), a reflexive, or adverbs with no verb after them.
fn verb_after_name(g: &Grammar<'_>, text: &str, span: &Range<usize>) -> bool {
    let Some(verb) = next_token(text, span.end) else {
        return false;
    };
    let after = next_token(text, verb.end());
    let adverb_first = matches!(&after, Some(Token::Word(_, w)) if g.is_adverb(w));
    match g.skip_adverbs(text, verb.end()) {
        Some(Token::Word(r, w)) => {
            if adverb_first {
                return !is_verb(g, w);
            }
            // "codes fast and tests": an adjective used as an adverb, ending the clause.
            let clause_ends_after = match next_token(text, r.end) {
                None | Some(Token::Punct(..)) => true,
                Some(Token::Word(_, c)) => g.is(c, class::COORDINATOR),
            };
            g.word_in(w, &g.rules.pronouns.reflexives)
                || g.is(w, class::DETERMINER | class::OBJECT_PRONOUN | class::QUANTIFIER)
                || (g.rules.lexicon.adjectives.contains(w) && clause_ends_after)
                || (is_lowercase_content_word(g, w)
                    && !g.is(w, class::PREPOSITION)
                    && (!is_verb(g, w) || g.third_person_kind(w) == Some(VerbKind::MostlyNoun)))
        }
        _ => adverb_first,
    }
}

/// A word in lowercase of no closed class and no adverb: a noun, a verb or an adjective,
/// which may carry a noun phrase on.
fn is_lowercase_content_word(g: &Grammar<'_>, word: &str) -> bool {
    case_of(word) == Case::Lower && g.closed_classes(word) == 0 && !g.is_adverb(word)
}

/// "the one axis", "not a real constraint": at `at`, any adverbs, an article or a possessive
/// determiner, any adjectives or numbers, then one of the nouns no person is called.
fn names_a_thing(g: &Grammar<'_>, text: &str, at: usize) -> bool {
    const OPENERS: [&str; 6] = ["a", "an", "its", "our", "the", "their"];
    let mut token = next_token(text, at);
    for _ in 0..2 {
        match &token {
            Some(Token::Word(r, w)) if w.eq_ignore_ascii_case("not") || g.is_adverb(w) => {
                token = next_token(text, r.end);
            }
            _ => break,
        }
    }
    if !token
        .as_ref()
        .and_then(Token::word)
        .is_some_and(|w| OPENERS.iter().any(|o| w.eq_ignore_ascii_case(o)))
    {
        return false;
    }
    // "the one axis", "the single biggest factor", "a second-order trade-off".
    for _ in 0..4 {
        token = token.and_then(|t| next_token(text, t.end()));
        let Some(Token::Word(r, w)) = &token else { return false };
        // "trade-off": a word joined by a hyphen is read whole.
        let whole = match (char_at(text, r.end), next_token(text, r.end + 1)) {
            (Some('-'), Some(Token::Word(next, _))) if next.start == r.end + 1 => &text[r.start..next.end],
            _ => w,
        };
        if g.word_in(whole, &g.rules.names.thing_nouns) {
            return true;
        }
        let modifier = g.is_adjectival(w) || g.is_adverb(w) || g.is(w, class::QUANTIFIER) || is_number(w);
        if !modifier {
            return false;
        }
    }
    false
}

/// "hunter", "baker", "walker": a noun for someone who does something, a verb and "-er"
/// ("summer" and "river" are no such nouns).
fn is_agent_noun(g: &Grammar<'_>, word: &str) -> bool {
    let bases = &g.rules.lexicon.bases;
    let Some(stem) = word.strip_suffix("er").or_else(|| word.strip_suffix("or")) else {
        return false;
    };
    stem.len() >= 2 && (bases.contains(stem) || bases.contains(format!("{stem}e").as_str()))
}

/// "use max()", "`price[i]`", "`grant_access`": code, where a name-like word is an
/// identifier. Called, indexed, or between backticks on its line.
fn in_code(text: &str, span: &Range<usize>) -> bool {
    if matches!(char_at(text, span.end), Some('(' | '[')) {
        return true;
    }
    let line_start = text[..span.start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[span.end..].find('\n').map_or(text.len(), |i| span.end + i);
    text[line_start..span.start].matches('`').count() % 2 == 1 && text[span.end..line_end].contains('`')
}

/// "june vs may", "Hope versus Long": weighed against someone the index names, a person
/// ("price vs quality" weighs things).
fn compared_with_someone(g: &Grammar<'_>, index: &PeopleIndex, text: &str, span: &Range<usize>) -> bool {
    // "Ship in may vs june?": after a preposition or a word of dates, a date's place.
    let after_date_place = |r: &Range<usize>| {
        matches!(prev_token(text, r.start), Some(Token::Word(_, p))
            if g.is(p, class::PREPOSITION) || g.word_in(p, &g.rules.names.date_words))
    };
    if after_date_place(span) {
        return false;
    }
    let versus = |w: &str| g.word_in(w, &g.rules.names.versus_words);
    let names_someone = |w: &str| names_someone(g, index, w);
    let after = match next_token(text, span.end) {
        Some(Token::Word(r, v)) if versus(v) => {
            let at = if char_at(text, r.end) == Some('.') {
                r.end + 1
            } else {
                r.end
            };
            matches!(next_token(text, at), Some(Token::Word(_, w)) if names_someone(w))
        }
        _ => false,
    };
    let before = || {
        let mut at = span.start;
        if char_before(text, at) == Some(' ') && text[..at].trim_end().ends_with('.') {
            at = text[..at].trim_end().len() - 1;
        }
        match prev_token(text, at) {
            Some(Token::Word(r, v)) if versus(v) => {
                matches!(prev_token(text, r.start), Some(Token::Word(o, w))
                    if names_someone(w) && !after_date_place(&o))
            }
            _ => false,
        }
    };
    after || before()
}

/// Is `w`, in any case, a form of someone's name in the index?
fn names_someone(g: &Grammar<'_>, index: &PeopleIndex, w: &str) -> bool {
    let mut buf = [0u8; MAX_WORD_BYTES];
    index.forms_of(g.rules, lowered(w, &mut buf).as_bytes()).is_some()
}

/// "long-polling", "price-time priority", "complexity-wise": a word of a name that is also
/// a word, joined by a hyphen to a lowercase English word that names nobody (after it,
/// `hyphened_to_word`), or to an English word (before it, itself in lowercase), is one word
/// with it. A name joined to another name ("Mary-Price") or an honorific ("Will-san") stays
/// a name.
fn in_hyphened_word(g: &Grammar<'_>, index: &PeopleIndex, text: &str, span: &Range<usize>) -> bool {
    let names_nobody = |w: &str| !names_someone(g, index, w);
    if hyphened_to_word(g, text, span)
        && matches!(next_token(text, span.end + 1), Some(Token::Word(_, w)) if names_nobody(w))
    {
        return true;
    }
    span.start > 0
        && char_before(text, span.start) == Some('-')
        && case_of(&text[span.clone()]) == Case::Lower
        && matches!(prev_token(text, span.start - 1), Some(Token::Word(r, w))
            if r.end == span.start - 1
                && case_of(w) != Case::Upper
                && g.word_in(w, &g.rules.lexicon.common_words)
                && names_nobody(w))
}

/// "Stone-cold", "sky-high", "long-polling": joined by a hyphen to a lowercase English word
/// or verb form.
fn hyphened_to_word(g: &Grammar<'_>, text: &str, span: &Range<usize>) -> bool {
    if char_at(text, span.end) != Some('-') {
        return false;
    }
    match next_token(text, span.end + 1) {
        Some(Token::Word(r, w)) if r.start == span.end + 1 => {
            case_of(w) == Case::Lower && (g.word_in(w, &g.rules.lexicon.common_words) || g.is_verb_form(w))
        }
        _ => false,
    }
}

/// "Autumn hiring is slower", "Rich error messages would help": the word modifies the
/// lowercase noun after it, which is no verb of a clause and is followed by more of the
/// noun phrase or by its verb.
fn modifies_next_noun(g: &Grammar<'_>, text: &str, span: &Range<usize>) -> bool {
    let Some(Token::Word(r, n)) = next_token(text, span.end) else {
        return false;
    };
    if case_of(n) != Case::Lower
        || g.is(n, FUNCTION_WORD)
        || g.is_finite_verb(n)
        || g.is_adverb(n)
        || unknown_past(g, n)
    {
        return false;
    }
    match next_token(text, r.end) {
        Some(Token::Word(_, w)) => {
            case_of(w) == Case::Lower
                && (g.is_finite_verb(w) || (!g.is(w, FUNCTION_WORD) && !g.is_adverb(w) && !g.is_participle(w)))
        }
        _ => false,
    }
}

/// "modelled", "refactored": a word in -ed the lexicon does not know, likelier a verb's past
/// than an adjective a name could modify a noun with.
fn unknown_past(g: &Grammar<'_>, word: &str) -> bool {
    word.len() >= 5
        && word.ends_with("ed")
        && !g.word_in(word, &g.rules.lexicon.common_words)
        && !g.is_adjectival(word)
        && !g.is_past(word)
}

/// The lists of function words; the others (`complements`, `ditransitive`...) list verbs
/// and nouns, content words.
const FUNCTION_WORD: u32 = class::ADVERB
    | class::DETERMINER
    | class::OBJECT_PRONOUN
    | class::PREPOSITION
    | class::PARTICLE
    | class::CONJUNCTION
    | class::COORDINATOR
    | class::TIME_WORD
    | class::AUXILIARY
    | class::AGREEMENT
    | class::WH_WORD
    | class::SUBJECT_PRONOUN
    | class::CLAUSE_OPENER
    | class::QUANTIFIER;

/// Is the word at `span` inside one of the idioms of rules/names.toml ("set in stone")?
fn in_idiom(g: &Grammar<'_>, text: &str, span: &Range<usize>, word: &str) -> bool {
    let Some(idioms) = g.rules.names.idioms.get(word) else {
        return false;
    };
    idioms.iter().any(|(words, at)| {
        let mut pos = span.start;
        for expected in words[..*at].iter().rev() {
            match prev_token(text, pos) {
                Some(Token::Word(r, w)) if w.eq_ignore_ascii_case(expected) => pos = r.start,
                _ => return false,
            }
        }
        let mut pos = span.end;
        for expected in &words[at + 1..] {
            match next_token(text, pos) {
                Some(Token::Word(r, w)) if w.eq_ignore_ascii_case(expected) => pos = r.end,
                _ => return false,
            }
        }
        true
    })
}

/// A lowercase name-like word inside a sentence: the ordinary word unless it stands where a
/// person does. The cases, in order:
/// - in a noun phrase (after a determiner, a number, an adjective, or a noun that follows
///   one: "the bill", "good faith", "the cloud bill") or a verb phrase (after a subject
///   pronoun, an auxiliary or "to": "i hope", "would mark", "to chase"): ordinary;
/// - a clause's subject, after a clause boundary ("honestly hope was", "whether joy got",
///   "by the end banks had"): the name;
/// - an object, after a verb or a preposition, where the phrase ends ("pick grant over",
///   "lean hire for rose", "thanks to hunter for"): the name; "called her joy": the name;
/// - anything else: ordinary.
fn lowercase_ordinary(
    g: &Grammar<'_>,
    text: &str,
    span: &Range<usize>,
    word: &str,
    prev: Option<&Token<'_>>,
    next: Option<&Token<'_>>,
) -> bool {
    let names = &g.rules.names;
    let lex = &g.rules.lexicon;
    let is_to = |w: &str| w.eq_ignore_ascii_case("to");
    let verb_able = lex.bases.contains(word) || lex.past.contains(word) || lex.third_person.contains_key(word);
    let next_word = next.and_then(Token::word);
    let next_finite = next_word.is_some_and(|w| g.is_finite_verb(w) && !g.is(w, class::DETERMINER));
    let phrase_ends = match next {
        None | Some(Token::Punct(..)) => true,
        Some(Token::Word(_, n)) => {
            is_to(n)
                || g.is(
                    n,
                    class::PREPOSITION
                        | class::COORDINATOR
                        | class::CONJUNCTION
                        | class::TIME_WORD
                        | class::DETERMINER
                        | class::OBJECT_PRONOUN
                        | class::SUBJECT_PRONOUN,
                )
                || g.is_adverb(n)
                || next_finite
                // "pls move april fwd", "ping hope tmrw": a hurried abbreviation (a few
                // letters, no vowel, no word) continues no noun phrase.
                || (n.len() <= 4
                    && n.bytes().all(|b| b.is_ascii_lowercase() && !b"aeiouy".contains(&b))
                    && !lex.common_words.contains(*n))
        }
    };
    // "concern: hope she isn't overselling": a verb that takes a clause, and its clause
    // ("grace she was calm" names a person).
    let clause_after = next_word.is_some_and(|w| g.is(w, class::SUBJECT_PRONOUN));
    let Some(Token::Word(prev_span, p)) = prev else {
        // After punctuation: a clause's first word.
        if clause_after && g.word_in(word, &names.clause_verbs) {
            return true;
        }
        // "penny done?", "hope joining in 2": a participle, and its phrase ends; the
        // person's state with the verb left out, as hurried notes write.
        let participle =
            next_word.is_some_and(|w| g.is_participle(w) || (w.len() > 5 && w.ends_with("ing") && g.is_verb_form(w)));
        if participle
            && match next.and_then(|t| next_token(text, t.end())) {
                None | Some(Token::Punct(..)) => true,
                Some(Token::Word(_, w)) => {
                    g.is(w, class::PREPOSITION | class::TIME_WORD) || g.is_adverb(w) || is_number(w)
                }
            }
        {
            return false;
        }
        return !(next_finite || phrase_ends);
    };
    // "please chase the booking": an imperative.
    if g.word_in(p, &names.imperative_openers) && lex.bases.contains(word) {
        return true;
    }
    // "a lot of fields": a quantity of the thing.
    if p.eq_ignore_ascii_case("of")
        && matches!(prev_token(text, prev_span.start), Some(Token::Word(_, q)) if g.word_in(q, &names.quantity_nouns))
    {
        return true;
    }
    let before = prev_token(text, prev_span.start);
    let before_word = before.as_ref().and_then(Token::word);
    // "called her joy", "named him will".
    if g.is(p, class::OBJECT_PRONOUN | class::DETERMINER)
        && before_word.is_some_and(|w| g.word_in(w, &names.naming_verbs))
    {
        return false;
    }
    if that_opens_clause(g, text, prev_span, span) {
        return false;
    }
    // After a time of day a sentence opens ("17:30 rose asked", "10:10 will it need").
    if is_number(p) && char_before(text, prev_span.start) == Some(':') {
        return opens_sentence_ordinarily(g, text, span, word, next_word);
    }
    // Inside a noun phrase.
    if g.is(p, class::DETERMINER | class::QUANTIFIER | class::NOUN_MODIFIER)
        || is_number(p)
        || (g.is_adjective(p) && !is_verb(g, p) && !g.is(p, FUNCTION_WORD))
    {
        return true;
    }
    // A verb: "i hope", "would mark", "was rose"; "customers are banks".
    if g.is(p, class::SUBJECT_PRONOUN) || g.is_auxiliary(p) {
        return true;
    }
    // "between banks", not "between joy and mark".
    if g.word_in(p, &names.plural_prepositions) && !next_word.is_some_and(|w| w.eq_ignore_ascii_case("and")) {
        return true;
    }
    if is_to(p) {
        // "thanks to hunter for", "talked to will"; "had to chase", "for it to dawn on".
        let person_to = before_word.is_some_and(|w| g.word_in(w, &names.before_person));
        if verb_able && !person_to {
            return true;
        }
        return !phrase_ends;
    }
    if g.is(p, class::PREPOSITION) || g.word_in(p, &names.before_person) {
        return !phrase_ends;
    }
    let boundary = g.is(
        p,
        class::COORDINATOR | class::CONJUNCTION | class::WH_WORD | class::CLAUSE_OPENER | class::TIME_WORD,
    ) || g.is_adverb(p)
        || p.eq_ignore_ascii_case("that");
    if boundary {
        return !next_finite;
    }
    if g.is(p, FUNCTION_WORD) {
        return !(next_finite || phrase_ends);
    }
    // After a content word: a noun (after a determiner, an adjective or a preposition:
    // "the cloud bill", "kind of bug hunter") or a verb.
    let nominal = before_word.is_some_and(|w| {
        g.is(w, class::DETERMINER | class::QUANTIFIER | class::NOUN_MODIFIER)
            || is_number(w)
            || g.is_adjectival(w)
            || (g.is(w, class::PREPOSITION) && !p.ends_with("ing"))
    });
    if nominal {
        // "by the end banks had": a time adverbial, then a clause.
        return !(next_finite && g.word_in(p, &names.adverbial_nouns));
    }
    // "would pick rose over": the object of a verb that is surely one.
    let surely_verb = is_verb(g, p)
        && before_word.is_some_and(|w| {
            is_to(w) || g.is(w, class::SUBJECT_PRONOUN) || g.is_auxiliary(w) || g.word_in(w, &names.imperative_openers)
        });
    // "i have faith she can": what one has, then a clause ("loved grace she was calm" names
    // a person).
    if clause_after
        && ["have", "has", "had", "having"]
            .iter()
            .any(|h| p.eq_ignore_ascii_case(h))
    {
        return true;
    }
    if surely_verb {
        return !phrase_ends;
    }
    // "latency rose sharply": the verb of the noun before it.
    if lex.past.contains(word) || lex.third_person.contains_key(word) {
        return true;
    }
    // "pick grant over hope": a verb's object.
    if is_verb(g, p) {
        return !phrase_ends;
    }
    true
}

/// Is the word at `span` part of a famous name, an organisation ("Ada Lovelace", "Wells
/// Fargo", "Poisson distribution"), or a city followed by its region ("Austin, Texas")?
fn in_known_proper_name(g: &Grammar<'_>, text: &str, span: &Range<usize>) -> bool {
    let proper = &g.rules.lexicon.proper_names;
    // "Austin, Texas", "Jackson, MS": a capitalised place, a comma, a region.
    if case_of(&text[span.clone()]) != Case::Lower
        && let Some(Token::Punct(comma, ',')) = next_token(text, span.end)
        && let Some(Token::Word(_, region)) = next_token(text, comma + 1)
    {
        let folded = super::fold(region);
        let code = region.len() == 2;
        if proper.regions.contains(folded.as_str())
            && (if code {
                case_of(region) == Case::Upper
            } else {
                case_of(region) != Case::Lower
            })
        {
            return true;
        }
    }
    let Some(Token::Word(own_span, own)) = next_token(text, span.start) else {
        return false;
    };
    let own_word = super::fold(own);
    let stem = own_word.strip_suffix("'s").unwrap_or(&own_word);
    let phrases = proper
        .phrases
        .get(own_word.as_str())
        .or_else(|| proper.phrases.get(stem));
    let Some(phrases) = phrases else { return false };
    // Words of the text around the mention, joined only by spaces, hyphens, dots or
    // apostrophes.
    let joined = |c: char| matches!(c, '-' | '.' | '\'' | '\u{2019}');
    let mut before: Vec<String> = Vec::new();
    let mut pos = own_span.start;
    while before.len() < 4 {
        match prev_token(text, pos) {
            Some(Token::Word(r, w)) => {
                before.push(super::fold(w));
                pos = r.start;
            }
            Some(Token::Punct(at, c)) if joined(c) => pos = at,
            _ => break,
        }
    }
    let mut after: Vec<String> = Vec::new();
    let mut pos = own_span.end;
    while after.len() < 4 {
        match next_token(text, pos) {
            Some(Token::Word(r, w)) => {
                after.push(super::fold(w));
                pos = r.end;
            }
            Some(Token::Punct(at, c)) if joined(c) => pos = at + c.len_utf8(),
            _ => break,
        }
    }
    // "Grace Hopper's": a possessive does not make it another name.
    let same = |p: &str, t: &str| p == t || t.strip_suffix("'s") == Some(p);
    phrases.iter().any(|phrase| {
        phrase.iter().enumerate().any(|(k, word)| {
            (**word == own_word || **word == *stem)
                && k <= before.len()
                && phrase.len() - k - 1 <= after.len()
                && phrase[..k].iter().rev().zip(&before).all(|(p, t)| same(p, t))
                && phrase[k + 1..].iter().zip(&after).all(|(p, t)| same(p, t))
        })
    })
}

fn is_candidate_word(word: &str) -> bool {
    word.eq_ignore_ascii_case("candidate")
}

/// For a word usually capitalised without being a person ("Ruby", "Rust"): does the
/// sentence show a person? A possessive, or a finite verb after it, not after "the".
fn shows_person(g: &Grammar<'_>, text: &str, span: &Range<usize>) -> bool {
    let mut after = text[span.end..].chars();
    if after.next().is_some_and(is_apostrophe)
        && after.next().is_some_and(|c| c == 's' || c == 'S')
        && !after.next().is_some_and(char::is_alphanumeric)
    {
        return true;
    }
    // "i call her PR", "everyone calls him Hugo": the name a naming verb gives.
    if let Some(Token::Word(r, p)) = prev_token(text, span.start)
        && (g.is(p, class::OBJECT_PRONOUN) || p.eq_ignore_ascii_case("her"))
        && matches!(prev_token(text, r.start), Some(Token::Word(_, v)) if g.word_in(v, &g.rules.names.naming_verbs))
    {
        return true;
    }
    let preceded_by_determiner = match prev_token(text, span.start) {
        Some(Token::Word(_, w)) => {
            let mut buf = [0u8; MAX_WORD_BYTES];
            g.is(w, class::DETERMINER) || lower(w, &mut buf) == Some("to") || lower(w, &mut buf) == Some("in")
        }
        _ => false,
    };
    if preceded_by_determiner {
        return false;
    }
    if header_with(text, span) || header_name(text, span) {
        return true;
    }
    // "his slack name is kwab": a name is what follows.
    if let Some(Token::Word(is, w)) = prev_token(text, span.start)
        && (w.eq_ignore_ascii_case("is") || w.eq_ignore_ascii_case("was"))
        && let Some(Token::Word(_, noun)) = prev_token(text, is.start)
        && g.word_in(noun, &g.rules.names.naming_nouns)
    {
        return true;
    }
    // "ran AB tests", "her old PR reviews": after a verb or an adjective, a word in -s after
    // the name is a plural noun it modifies, not its verb ("said chi was lovely" is one).
    let modifies_noun = matches!(prev_token(text, span.start), Some(Token::Word(_, p))
        if case_of(p) == Case::Lower
            && !g.is_auxiliary(p)
            && !g.is(p, class::PREPOSITION)
            && (g.is_past(p) || g.is_base(p) || g.rules.lexicon.adjectives.contains(p)));
    match g.skip_adverbs(text, span.end) {
        Some(Token::Word(r, w)) => {
            // "PR found the bug": after a name, a verb that is also a base is its past.
            ((g.is_finite_verb(w) || g.is_past(w)) && !(modifies_noun && !g.is_auxiliary(w) && w.ends_with('s')))
                // "Hugo himself proposed it"
                || g.word_in(w, &g.rules.pronouns.reflexives)
                // "Julia prototyped the solver": a verb the lexicon does not know, by its
                // ending and its object.
                || (case_of(w) == Case::Lower
                    && w.len() >= 5
                    && w.ends_with("ed")
                    && matches!(next_token(text, r.end), Some(Token::Word(_, o)) if g.starts_object(o)))
        }
        _ => false,
    }
}

/// A note's header opening with the name: "Ruby — backend", "Iris - ML systems": the word
/// alone at a line's start, then a dash and a word.
fn header_name(text: &str, span: &Range<usize>) -> bool {
    matches!(prev_token(text, span.start), None | Some(Token::Punct(_, '\n' | '#')))
        && matches!(next_token(text, span.end), Some(dash @ Token::Punct(_, '-' | '\u{2013}' | '\u{2014}'))
            if matches!(next_token(text, dash.end()), Some(Token::Word(..))))
}

/// A note's header naming whom the interview was with: "sys design w/ chi - url
/// shortener", "phone screen with nik:". The word after "with" (or "w/") ends the header
/// at a dash or a colon, and the header opens its line.
fn header_with(text: &str, span: &Range<usize>) -> bool {
    let ends_header = matches!(
        next_token(text, span.end),
        Some(Token::Punct(_, '-' | ':' | '\u{2013}' | '\u{2014}'))
    );
    if !ends_header {
        return false;
    }
    let with_at = match prev_token(text, span.start) {
        Some(Token::Word(r, w)) if w.eq_ignore_ascii_case("with") => r.start,
        Some(Token::Punct(slash, '/')) => match prev_token(text, slash) {
            Some(Token::Word(r, w)) if w.eq_ignore_ascii_case("w") => r.start,
            _ => return false,
        },
        _ => return false,
    };
    let mut at = with_at;
    for _ in 0..4 {
        match prev_token(text, at) {
            None | Some(Token::Punct(_, '\n' | '#')) => return true,
            Some(Token::Word(r, _)) => at = r.start,
            Some(_) => return false,
        }
    }
    false
}

/// Is the name at `span` a modifier inside another proper name or an eponym ("a Raman
/// distribution", "Raman University")? Followed by an institution word, or between a
/// determiner and a lowercase noun.
fn used_in_proper_name(g: &Grammar<'_>, text: &str, span: &Range<usize>) -> bool {
    let Some(Token::Word(_, next)) = next_token(text, span.end) else {
        return false;
    };
    if !text::only_spaces_between(
        text,
        span.end,
        next_token(text, span.end).map_or(span.end, |t| t.start()),
    ) {
        return false;
    }
    let mut buf = [0u8; MAX_WORD_BYTES];
    let n = lowered(next, &mut buf);
    if case_of(next) != Case::Lower && g.rules.lexicon.proper_names.institutions.contains(n) {
        return true;
    }
    let after_determiner =
        matches!(prev_token(text, span.start), Some(Token::Word(_, w)) if g.is(w, class::DETERMINER));
    after_determiner
        && case_of(next) == Case::Lower
        && !is_verb(g, next)
        && !g.is(next, class::PREPOSITION | class::COORDINATOR | class::CONJUNCTION)
        && !g.is_adverb(next)
}

/// Is the name at `span` part of text written in capitals ("PRIYA RAMAN PASSED"), rather
/// than a name stressed in ordinary text ("a strong yes for PRIYA")? The words around it tell.
fn shouted(text: &str, span: &Range<usize>) -> bool {
    let upper = |w: &str| case_of(w) == Case::Upper && w.chars().filter(|c| c.is_alphabetic()).count() > 1;
    let written = &text[span.clone()];
    // Initials are capitals whatever the writer's voice: "K.N. = hire".
    let initials = written
        .split(|c: char| !c.is_alphabetic())
        .all(|w| w.chars().count() <= 1);
    if initials || !upper(written) {
        return false;
    }
    let prev = prev_token(text, span.start).and_then(|t| t.word());
    let next = next_token(text, span.end).and_then(|t| t.word());
    // "RM's code", "PVDB: hire": a word of four capitals or fewer is shouted only among
    // shouted words.
    let short = written.chars().filter(|c| c.is_alphabetic()).count() <= 4;
    if short && !prev.is_some_and(upper) && !next.is_some_and(upper) {
        return false;
    }
    prev.is_none_or(|w| upper(w) || !w.chars().any(char::is_alphabetic))
        && next.is_none_or(|w| upper(w) || !w.chars().any(char::is_alphabetic))
}

fn rule_for(ids: &crate::rules::NameRuleIds, kind: VariantKind, full: bool) -> Option<Arc<str>> {
    if full && ids.full.is_some() {
        return ids.full.clone();
    }
    match kind {
        VariantKind::Part => ids.part.clone(),
        VariantKind::Nickname => ids.nickname.clone(),
        VariantKind::Email => ids.email.clone(),
        VariantKind::Handle => ids.handle.clone(),
    }
}

/// Turn decided mentions into edits and flags.
fn emit(
    g: &Grammar<'_>,
    text: &str,
    all: &Subjects,
    index: &PeopleIndex,
    mentions: &[Mention],
    out: &mut Vec<Pending>,
    flags: &mut Vec<Pending>,
) {
    let names = &g.rules.names;
    let ids = &names.ids;
    let flag = |flags: &mut Vec<Pending>, span: &Range<usize>, rule: &Arc<str>| {
        flags.push(Pending::new(span.clone(), String::new(), rule.clone(), Family::Names));
    };
    let mut removed_until = 0;
    for (m, mention) in mentions.iter().enumerate() {
        if mention.span.start < removed_until {
            continue;
        }
        if mention.kept {
            if mention.doubtful
                && let Some(rule) = &ids.part
            {
                flag(flags, &mention.span, rule);
            }
            continue;
        }
        let role = all.role(mention.person);
        if mention.proper_name {
            if let Some(rule) = &ids.proper_name {
                out.push(Pending::new(
                    mention.span.clone(),
                    names.proper_name.clone(),
                    rule.clone(),
                    Family::Names,
                ));
                flag(flags, &mention.span, rule);
            }
            continue;
        }
        let rule = if mention.ambiguous {
            ids.ambiguous.clone()
        } else {
            rule_for(ids, mention.kind, mention.full)
        };
        let Some(rule) = rule else { continue };
        // "Ignacio (Nacho, as he signs his emails)", "Katya (Ekaterina Smirnova on the
        // schedule)": the same person's name opening a bracket after their name goes, with
        // its comma, and the rest of the bracket stays ("The candidate (as they sign …)").
        if m > 0
            && !mention.ambiguous
            && let Some(before) = mentions[..m].iter().rev().find(|b| b.span.end <= mention.span.start)
            && before.person == mention.person
            && !before.kept
            && matches!(&text[before.span.end..mention.span.start], "(" | " (")
            && let Some(restated) = &ids.restated
        {
            let rest = &text[mention.span.end..];
            let end = mention.span.end
                + if rest.starts_with(", ") {
                    2
                } else if rest.starts_with(' ') {
                    1
                } else {
                    0
                };
            // Not a bracket that holds only the name: `restated_until` removes it whole.
            if end > mention.span.end {
                out.push(Pending::new(
                    mention.span.start..end,
                    String::new(),
                    restated.clone(),
                    Family::Names,
                ));
                continue;
            }
        }
        // "Alexander, aka Sasha" and "Samuel (goes by Sam)": what only says the name again
        // goes with it.
        if let Some(end) = restated_until(g, text, mentions, m) {
            if let Some(rule) = &ids.restated {
                out.push(Pending::new(
                    mention.span.end..end,
                    String::new(),
                    rule.clone(),
                    Family::Names,
                ));
            }
            removed_until = end;
        }
        let p = &index.people[mention.person as usize];
        let mut span = mention.span.clone();
        let label = match role {
            Role::Interviewer => interviewer_replacement(all, index, mention.person).map(str::to_string),
            _ => p.label.clone(),
        };
        // "candidate Priya", "a Priya": the words the placeholder says go with the name; so
        // does an appositive after them ("The candidate, Yusuf Demir, was").
        if label.is_none() {
            if let Some(Token::Punct(comma, ',')) = prev_token(text, span.start)
                && text[span.end..].starts_with(',')
                && text::only_spaces_between(text, comma + 1, span.start)
                && let Some(Token::Word(r, w)) = prev_token(text, comma)
                && r.end == comma
                && is_candidate_word(w)
            {
                span = r.end..span.end + 1;
            }
            span.start = absorb_before(g, text, span.start);
        }
        // "there's another Rajesh Kumar", "the other Seun": someone else of that name, which
        // the placeholder says instead ("another candidate", "the other candidate").
        let mut someone_else: Option<String> = None;
        if label.is_none()
            && role != Role::Interviewer
            && span.start == mention.span.start
            && let Some(Token::Word(r, w)) = prev_token(text, span.start)
            && text::only_spaces_between(text, r.end, span.start)
            && (w.eq_ignore_ascii_case("another") || w.eq_ignore_ascii_case("other"))
        {
            span.start = r.start;
            someone_else = Some(format!("{} candidate", w.to_lowercase()));
        }
        // "(he goes by Will)", "Goes by Bo.": what the person is called, not who they are
        // ("the PR went by Priya first" is the person).
        let before_quote = match prev_token(text, span.start) {
            Some(Token::Punct(q, '"' | '\'' | '\u{201c}' | '\u{2018}')) => q,
            _ => span.start,
        };
        let called = role != Role::Interviewer
            && label.is_none()
            && matches!(next_token(text, mention.span.end), None | Some(Token::Punct(..)))
            && matches!(prev_token(text, before_quote), Some(Token::Word(by, w)) if w.eq_ignore_ascii_case("by")
                && matches!(prev_token(text, by.start), Some(Token::Word(_, v)) if g.word_in(v, &names.nickname_verbs)));
        let phrase = match (&someone_else, role) {
            _ if called => &names.nickname,
            (Some(phrase), _) => phrase,
            (None, Role::Candidate) => &names.candidate,
            (None, Role::OtherCandidate) => &names.other_candidate,
            (None, Role::Interviewer) => label.as_ref().unwrap_or(&names.interviewer),
        };
        let written = &text[mention.span.clone()];
        let mut replacement = if mention.kind == VariantKind::Email && !mention.full {
            names.email.clone()
        } else if let Some(label) = &label {
            // "candidate B's design" opening a sentence: its first letter capitalised, the
            // rest as the caller wrote it.
            let mut chars = label.chars();
            match chars.next() {
                Some(first) if first.is_lowercase() && g.is_sentence_start(text, span.start) => {
                    first.to_uppercase().chain(chars).collect()
                }
                _ => label.clone(),
            }
        } else if shouted(text, &mention.span) {
            apply_case(phrase, Case::Upper)
        } else if g.is_sentence_start(text, span.start) {
            apply_case(phrase, Case::Title)
        } else {
            phrase.clone()
        };
        // "Hi Yusuf,", "Thanks Svetlana!": a name called out goes, placeholder and all.
        if !mention.ambiguous
            && label.is_none()
            && let Some(Token::Word(greeting, w)) = prev_token(text, span.start)
            && text::only_spaces_between(text, greeting.end, span.start)
            && g.word_in(w, &names.greetings)
            && matches!(
                next_token(text, span.end),
                None | Some(Token::Punct(_, ',' | '!' | '.' | ':' | '\n'))
            )
        {
            out.push(Pending::new(
                greeting.end..span.end,
                String::new(),
                rule.clone(),
                Family::Names,
            ));
            continue;
        }
        // "James' notes": the bare apostrophe of a name ending in s becomes "'s".
        if written.ends_with(['s', 'S'])
            && let Some(a) = char_at(text, span.end).filter(|c| is_apostrophe(*c))
            && !char_at(text, span.end + a.len_utf8()).is_some_and(char::is_alphanumeric)
        {
            span.end += a.len_utf8();
            replacement.push(a);
            replacement.push('s');
        } else if let Some(s @ ('s' | 'S')) = char_at(text, span.end)
            && !char_at(text, span.end + 1).is_some_and(char::is_alphanumeric)
            && char_before(text, span.end).is_some_and(char::is_alphanumeric)
        {
            // "ngozis tests", a possessive written without its apostrophe: "the candidate's
            // tests", not "the candidates tests".
            span.end += 1;
            replacement.push('\'');
            replacement.push(if s == 'S' && case_of(&replacement) == Case::Upper {
                'S'
            } else {
                's'
            });
        } else if let Some((len, verb)) = contracted_verb(g, text, span.end) {
            // "Priya'll do fine" -> "the candidate will do fine", as a phrase is written.
            span.end += len;
            replacement.push(' ');
            replacement.push_str(&apply_case(
                verb,
                if shouted(text, &mention.span) {
                    Case::Upper
                } else {
                    Case::Lower
                },
            ));
        }
        out.push(Pending::new(span.clone(), replacement, rule.clone(), Family::Names));
        if mention.ambiguous {
            flag(flags, &span, &rule);
        }
    }
}

/// "'ll", "'ve" and "'d" right after a name at `at`: their length and the verb they stand
/// for. "'d" is "would" before a verb's base form, "had" before a participle, and stays
/// otherwise.
fn contracted_verb(g: &Grammar<'_>, text: &str, at: usize) -> Option<(usize, &'static str)> {
    let a = char_at(text, at).filter(|c| is_apostrophe(*c))?;
    let rest = &text[at + a.len_utf8()..];
    let ending = rest.split(|c: char| !c.is_alphanumeric()).next()?;
    let verb = match ending.to_ascii_lowercase().as_str() {
        "ll" => "will",
        "ve" => "have",
        "d" => {
            let next = next_token(text, at + a.len_utf8() + 1).and_then(|t| t.word().map(str::to_owned))?;
            let mut b = [0u8; MAX_WORD_BYTES];
            let lw = lowered(&next, &mut b);
            if matches!(lw, "be" | "have") || g.rules.lexicon.bases.contains(lw) {
                "would"
            } else if g.rules.lexicon.participles.contains_key(lw) {
                "had"
            } else {
                return None;
            }
        }
        _ => return None,
    };
    Some((a.len_utf8() + ending.len(), verb))
}

/// Where a determiner or the word "candidate" right before a name starts, if the
/// placeholder would repeat it ("a Priya" -> "the candidate", "candidate Priya" -> "the
/// candidate"); `start` otherwise.
fn absorb_before(g: &Grammar<'_>, text: &str, start: usize) -> usize {
    let mut at = start;
    if let Some(Token::Word(r, w)) = prev_token(text, at)
        && text::only_spaces_between(text, r.end, at)
        && is_candidate_word(w)
    {
        at = r.start;
        // "the other candidate José", "another candidate José": "another candidate" says it
        // all.
        if let Some(Token::Word(r, w)) = prev_token(text, at)
            && text::only_spaces_between(text, r.end, at)
            && (w.eq_ignore_ascii_case("other") || w.eq_ignore_ascii_case("another"))
        {
            at = r.start;
        }
    }
    if let Some(Token::Word(r, w)) = prev_token(text, at)
        && text::only_spaces_between(text, r.end, at)
    {
        let mut buf = [0u8; MAX_WORD_BYTES];
        if g.rules.names.absorbed.contains(lowered(w, &mut buf)) {
            at = r.start;
        }
    }
    at
}

/// The end of what follows mention `m` and only restates the same person's name: a
/// parenthetical ("(goes by Sam)", "(Alexander)") or an appositive (", aka Sasha,").
fn restated_until(g: &Grammar<'_>, text: &str, mentions: &[Mention], m: usize) -> Option<usize> {
    let mention = &mentions[m];
    let restating = &g.rules.names.restating;
    let same_person_at = |pos: usize| {
        mentions[m + 1..].iter().find(|n| {
            n.span.start == pos
                && n.person == mention.person
                && matches!(n.kind, VariantKind::Part | VariantKind::Nickname)
        })
    };
    let mut pos = mention.span.end;
    // Skip a possessive: "Priya's (Pri's) code" is left alone.
    let open = next_token(text, pos)?;
    let (closing, comma) = match open {
        Token::Punct(_, '(') => (Some(')'), false),
        Token::Punct(_, ',') => (None, true),
        Token::Word(..) => (None, false),
        _ => return None,
    };
    if closing.is_some() || comma {
        pos = open.end();
    }
    let mut saw_name = false;
    let mut saw_restating = false;
    loop {
        let token = next_token(text, pos)?;
        match token {
            Token::Word(ref r, w) => {
                if let Some(n) = same_person_at(r.start) {
                    saw_name = true;
                    pos = n.span.end;
                    if closing.is_none() {
                        // ", aka Sasha": up to the name, and the comma that closes it.
                        if !saw_restating {
                            return None;
                        }
                        if comma && let Some(Token::Punct(c, ',')) = next_token(text, pos) {
                            return Some(c + 1);
                        }
                        return Some(pos);
                    }
                    continue;
                }
                let mut buf = [0u8; MAX_WORD_BYTES];
                let lw = lowered(w, &mut buf);
                if !restating.contains(lw.trim_end_matches('.')) {
                    return None;
                }
                saw_restating = true;
                pos = r.end;
            }
            Token::Punct(at, c) if Some(c) == closing => {
                return saw_name.then_some(at + 1);
            }
            Token::Punct(at, '.') => pos = at + 1,
            Token::Punct(at, ';' | ',' | ':') if closing.is_some() => pos = at + 1,
            _ => return None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{is_word_byte, word_bytes_end};
    use proptest::prelude::*;

    #[test]
    fn every_byte_value_ends_a_word_or_not_as_the_table_says() {
        for b in 0..=255u8 {
            let mut bytes = *b"abcdefghij";
            bytes[3] = b;
            let expected = if is_word_byte(b) { bytes.len() } else { 3 };
            assert_eq!(word_bytes_end(&bytes, 0), expected, "byte {b:#04x}");
        }
    }

    proptest! {
        #[test]
        fn same_end_as_a_byte_by_byte_scan(bytes in proptest::collection::vec(any::<u8>(), 0..40), from in 0..40usize) {
            let from = from.min(bytes.len());
            let mut naive = from;
            while naive < bytes.len() && is_word_byte(bytes[naive]) {
                naive += 1;
            }
            prop_assert_eq!(word_bytes_end(&bytes, from), naive);
        }
    }
}
