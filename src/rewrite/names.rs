//! Find the subjects' names in a text and decide what replaces each mention.
//!
//! Matching runs on the text itself when it is ASCII, or on an accent-folded copy otherwise,
//! with the subjects' automaton (ASCII case-insensitive). Adjacent matches of one subject
//! ("Priya K. Raman", "Ms. Raman") become one mention, replaced once.

use std::ops::Range;
use std::sync::Arc;

use aho_corasick::Input;

use super::case::{Case, apply_case, case_of};
use super::subjects::{Ambiguity, Subjects, SubjectsInner, Variant, VariantKind};
use super::text::{self, Token, char_at, is_apostrophe, lower, next_token, prev_token};
use super::view::View;
use super::{Grammar, Pending};
use crate::rules::{Family, class};

#[derive(Debug, Clone)]
struct Hit {
    span: Range<usize>,
    pattern: usize,
    variant: Variant,
}

/// Find every mention of a subject; push an edit for each, or a flag where a word that may be
/// the name was left because the text does not show it is one.
pub(crate) fn find(
    g: &Grammar<'_>,
    text: &str,
    view: &View,
    all: &Subjects,
    out: &mut Vec<Pending>,
    flags: &mut Vec<Pending>,
) {
    let Some(subjects) = all.inner.as_deref() else { return };
    let hits = match_variants(view, all, subjects);
    if hits.is_empty() {
        return;
    }
    let mut i = 0;
    while i < hits.len() {
        // Group this hit with the hits of the same subject that follow it, joined only by
        // spaces, hyphens, initials or the name's particles.
        let subject = hits[i].variant.subject;
        let mut j = i + 1;
        // "Will will": a word repeated is not two parts of one name; an email or handle
        // next to the name is a mention of its own.
        let joinable = |h: &Hit| matches!(h.variant.kind, VariantKind::Part | VariantKind::Nickname);
        while j < hits.len()
            && joinable(&hits[i])
            && joinable(&hits[j])
            && hits[j].variant.subject == subject
            && hits[i..j].iter().all(|h| h.pattern != hits[j].pattern)
            && joins_name(text, &hits[j - 1].span, &hits[j].span, subjects, subject)
        {
            j += 1;
        }
        mention(g, text, all, subjects, &hits[i..j], out, flags);
        i = j;
    }
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
    /// Every whole-word occurrence in `text` of a subject's name part, nickname, handle or
    /// email, ignoring case and accents: what must never reach a packet. A form that is also
    /// an English word ("Will", "Grace") counts only capitalised inside a sentence, where it
    /// can only be the name; forms usually capitalised anyway ("Ruby", "May") and pronouns
    /// are left to the rewriter, which flags the ones it keeps.
    pub fn identifiers_in(&self, text: &str) -> Vec<IdentifierHit> {
        let Some(subjects) = self.inner.as_deref() else {
            return Vec::new();
        };
        let view = View::new(text, false);
        match_variants(&view, self, subjects)
            .into_iter()
            .filter(|hit| match hit.variant.ambiguity {
                Ambiguity::None => true,
                Ambiguity::CommonWord => {
                    case_of(&text[hit.span.clone()]) == Case::Title
                        && !text::is_sentence_start(text, hit.span.start, &|_: &str| false)
                }
                Ambiguity::ProperWord | Ambiguity::Pronoun => false,
            })
            .map(|hit| IdentifierHit {
                subject: hit.variant.subject as usize,
                family: if hit.variant.kind == VariantKind::Email {
                    Family::Contact
                } else {
                    Family::Names
                },
                span: hit.span,
            })
            .collect()
    }
}

fn is_name_boundary(hay: &str, span: &Range<usize>) -> bool {
    let b = hay.as_bytes();
    let ok = |c: Option<&u8>| c.is_none_or(|c| !c.is_ascii_alphanumeric() && *c != b'_');
    ok(span.start.checked_sub(1).and_then(|i| b.get(i))) && ok(b.get(span.end))
}

fn match_variants(view: &View, all: &Subjects, subjects: &SubjectsInner) -> Vec<Hit> {
    let hay = view.base();
    let mut hits = Vec::new();
    let mut pos = 0;
    while pos < hay.len() {
        let Some(m) = subjects.matcher.find(Input::new(hay).span(pos..hay.len())) else {
            break;
        };
        let span = m.start()..m.end();
        match view.original(span.start, span.end) {
            Some(original) if is_name_boundary(hay, &span) => {
                // A name two subjects share is, first, the one of the candidate at hand.
                let candidates = &subjects.variants[m.pattern().as_usize()];
                let variant = *candidates
                    .iter()
                    .find(|v| all.is_candidate(v.subject))
                    .unwrap_or(&candidates[0]);
                hits.push(Hit {
                    span: original,
                    pattern: m.pattern().as_usize(),
                    variant,
                });
                pos = span.end;
            }
            // Not a whole word: a shorter variant may still start inside it.
            _ => pos = span.start + 1,
        }
    }
    hits
}

/// The first char of `s` as a lowercase ASCII initial, if `s` is one capital letter.
fn initial(word: &str) -> Option<char> {
    let mut chars = word.chars();
    let c = chars.next()?;
    (chars.next().is_none() && c.is_uppercase()).then(|| c.to_ascii_lowercase())
}

/// What lies between two matches of one subject belongs to the name: spaces, a hyphen,
/// initials ("K."), or the subject's particles ("van", "de").
fn joins_name(text: &str, left: &Range<usize>, right: &Range<usize>, subjects: &SubjectsInner, subject: u32) -> bool {
    if left.end > right.start {
        return false;
    }
    let gap = &text[left.end..right.start];
    if gap.contains('\n') {
        return false;
    }
    if gap == "-" {
        return true;
    }
    let s = &subjects.subjects[subject as usize];
    let mut pos = left.end;
    while pos < right.start {
        match next_token(text, pos) {
            Some(t) if t.start() >= right.start => break,
            Some(Token::Word(span, w)) => {
                let mut buf = [0u8; 48];
                let is_initial = initial(w).is_some_and(|c| s.initials.contains(&c));
                let is_particle = lower(w, &mut buf).is_some_and(|w| s.particles.iter().any(|p| p == w));
                if !(is_initial || is_particle) {
                    return false;
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

/// Extend a mention left over a title ("Ms.") or an initial ("P. Raman"), right over an
/// initial ("Priya R."); returns the span and whether a title was taken in.
fn extend(
    g: &Grammar<'_>,
    text: &str,
    subjects: &SubjectsInner,
    subject: u32,
    mut span: Range<usize>,
) -> (Range<usize>, bool) {
    let s = &subjects.subjects[subject as usize];
    let mut titled = false;
    let mut buf = [0u8; 48];
    loop {
        // A word, perhaps with its dot, then spaces, right before the span.
        let before = text[..span.start].trim_end_matches([' ', '\t']);
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
        let taken = if g.rules.names.titles.contains(lw) {
            titled = true;
            true
        } else {
            (dotted && initial(w).is_some_and(|c| s.initials.contains(&c)))
                || (!dotted && s.particles.iter().any(|p| p == lw))
        };
        if !taken {
            break;
        }
        span.start = r.start;
    }
    if let Some(Token::Word(r, w)) = next_token(text, span.end)
        && r.start > span.end
        && text::only_spaces_between(text, span.end, r.start)
        && initial(w).is_some_and(|c| s.initials.contains(&c))
        && char_at(text, r.end) == Some('.')
    {
        span.end = r.end + 1;
    }
    (span, titled)
}

fn mention(
    g: &Grammar<'_>,
    text: &str,
    all: &Subjects,
    subjects: &SubjectsInner,
    hits: &[Hit],
    out: &mut Vec<Pending>,
    flags: &mut Vec<Pending>,
) {
    let subject = hits[0].variant.subject;
    let first = &hits[0];
    let span = first.span.start..hits[hits.len() - 1].span.end;
    let (mut span, titled) = extend(g, text, subjects, subject, span);
    let multi = hits.len() > 1;
    let ids = &g.rules.names.ids;
    let weakest = hits
        .iter()
        .map(|h| h.variant.ambiguity)
        .min()
        .unwrap_or(Ambiguity::None);
    let sure = multi || titled || weakest == Ambiguity::None;
    if !sure && !used_as_name(g, text, &span, weakest) {
        let written = &text[span.clone()];
        if weakest != Ambiguity::Pronoun && case_of(written) != Case::Lower {
            let rule = rule_for(ids, first.variant.kind, false);
            if let Some(rule) = rule {
                flags.push(Pending::new(span, String::new(), rule, Family::Names));
            }
        }
        return;
    }
    let Some(rule) = rule_for(ids, first.variant.kind, multi || titled) else {
        return;
    };
    let s = &subjects.subjects[subject as usize];
    let written = &text[span.clone()];
    let phrase = if all.is_candidate(subject) {
        &g.rules.names.candidate
    } else {
        &g.rules.names.other_candidate
    };
    let mut replacement = if first.variant.kind == VariantKind::Email && !multi {
        g.rules.names.email.clone()
    } else if let Some(label) = &s.label {
        label.clone()
    } else if shouted(text, &span) {
        apply_case(phrase, Case::Upper)
    } else if g.is_sentence_start(text, span.start) {
        apply_case(phrase, Case::Title)
    } else {
        phrase.clone()
    };
    // "James' notes": the bare apostrophe of a name ending in s becomes "'s".
    if written.ends_with(['s', 'S'])
        && let Some(a) = char_at(text, span.end).filter(|c| is_apostrophe(*c))
        && !char_at(text, span.end + a.len_utf8()).is_some_and(char::is_alphanumeric)
    {
        span.end += a.len_utf8();
        replacement.push(a);
        replacement.push('s');
    }
    out.push(Pending::new(span, replacement, rule, Family::Names));
}

/// Is the name at `span` part of text written in capitals ("PRIYA RAMAN PASSED"), rather than a
/// name stressed in ordinary text ("a strong yes for PRIYA")? The words around it tell.
fn shouted(text: &str, span: &Range<usize>) -> bool {
    let upper = |w: &str| case_of(w) == Case::Upper && w.chars().filter(|c| c.is_alphabetic()).count() > 1;
    if !upper(&text[span.clone()]) {
        return false;
    }
    let prev = prev_token(text, span.start).and_then(|t| t.word());
    let next = next_token(text, span.end).and_then(|t| t.word());
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

/// Is a word that is also English ("Will", "Grace") used here as the name?
fn used_as_name(g: &Grammar<'_>, text: &str, span: &Range<usize>, ambiguity: Ambiguity) -> bool {
    if ambiguity == Ambiguity::Pronoun {
        return false;
    }
    // "Will's", "Grace’s": a possessive.
    let mut after = text[span.end..].chars();
    if after.next().is_some_and(is_apostrophe)
        && after.next().is_some_and(|c| c == 's' || c == 'S')
        && !after.next().is_some_and(char::is_alphanumeric)
    {
        return true;
    }
    let written = &text[span.clone()];
    let sentence_start = g.is_sentence_start(text, span.start);
    if ambiguity == Ambiguity::CommonWord && case_of(written) == Case::Title && !sentence_start {
        return true;
    }
    // "Will asked", "Grace has", "MARK WAS": followed by a finite verb, and not after "the".
    let preceded_by_determiner = match prev_token(text, span.start) {
        Some(Token::Word(_, w)) => {
            let mut buf = [0u8; 48];
            g.is(w, class::DETERMINER) || lower(w, &mut buf) == Some("to")
        }
        _ => false,
    };
    if preceded_by_determiner {
        return false;
    }
    let next = g.skip_adverbs(text, span.end);
    match next {
        // Even lowercase ("bob was quicker"): a leak costs more than "hope is" read as a name.
        Some(Token::Word(_, w)) => g.is_finite_verb(w),
        _ => false,
    }
}
