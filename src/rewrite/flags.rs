//! Things a rule cannot safely rewrite but a coordinator should see: an age, a graduation
//! year, a pregnancy, a nationality. Matched as token patterns around an anchor word.

use std::ops::Range;

use super::grammar::Grammar;
use super::text::{Token, lower, next_token, prev_token};
use crate::rules::{Element, MAX_WORD_BYTES, Pattern};

/// Match `pattern` whose anchor word was found at `anchor`; returns the matched span.
pub(crate) fn match_at(g: Grammar<'_>, text: &str, pattern: &Pattern, anchor: Range<usize>) -> Option<Range<usize>> {
    let Element::Words(words) = &pattern.elements[pattern.anchor] else {
        return None;
    };
    // The automaton found the anchor's skeleton; letters and digits alone are their own
    // skeleton, so only an anchor written with other characters is checked again.
    let written = &text[anchor.clone()];
    if !written.bytes().all(|b| b.is_ascii_alphanumeric()) && !is_one_of(written, words) {
        return None;
    }
    // Most anchors ("he", "in") are followed by anything but the pattern: one byte tells.
    if !may_follow(text, anchor.end, pattern.elements.get(pattern.anchor + 1)) {
        return None;
    }
    let mut start = anchor.start;
    for element in pattern.elements[..pattern.anchor].iter().rev() {
        let token = prev_token(text, start)?;
        if !matches(g, element, &token) {
            return None;
        }
        start = token.start();
    }
    let mut end = anchor.end;
    for element in &pattern.elements[pattern.anchor + 1..] {
        let token = next_token(text, end)?;
        // "'09": a year written with an apostrophe.
        if *element == Element::Year
            && let Token::Punct(_, '\'' | '\u{2019}') = token
            && let Some(Token::Word(r, w)) = next_token(text, token.end())
            && r.start == token.end()
            && w.len() == 2
            && w.bytes().all(|b| b.is_ascii_digit())
        {
            end = r.end;
            continue;
        }
        if !matches(g, element, &token) {
            return None;
        }
        end = token.end();
    }
    Some(start..end)
}

/// Could `element` start at the first character after `at` (past spaces)? Checked on an
/// ASCII byte against the first letters of a word element or a mark; anything else may.
fn may_follow(text: &str, at: usize, element: Option<&Element>) -> bool {
    let Some(&b) = text.as_bytes()[at..].iter().find(|&&b| b != b' ' && b != b'\t') else {
        return element.is_none();
    };
    if !b.is_ascii() {
        return true;
    }
    let b = b.to_ascii_lowercase();
    match element {
        Some(Element::Words(words)) => words.iter().any(|w| w.as_bytes().first() == Some(&b)),
        Some(Element::Punct(c)) => !c.is_ascii() || *c as u8 == b,
        _ => true,
    }
}

fn matches(g: Grammar<'_>, element: &Element, token: &Token<'_>) -> bool {
    let flags = &g.rules.flags;
    match (element, token) {
        (Element::Punct(c), Token::Punct(_, t)) => c == t,
        (Element::Words(words), Token::Word(_, w)) => is_one_of(w, words),
        (Element::Num, Token::Word(_, w)) => {
            (w.len() <= 3 && w.bytes().all(|b| b.is_ascii_digit())) || g.word_in(w, &flags.number_words)
        }
        (Element::Year, Token::Word(_, w)) => {
            w.len() == 4 && w.parse::<u32>().is_ok_and(|y| (1900..=2099).contains(&y))
        }
        (Element::Decade, Token::Word(_, w)) => {
            let lw = w.to_ascii_lowercase();
            let digits = lw.trim_end_matches("'s").trim_end_matches('s');
            let numeric = digits.len() == 2 && digits.ends_with('0') && digits.bytes().all(|b| b.is_ascii_digit());
            (numeric && lw.len() > 2) || g.word_in(w, &flags.decade_words)
        }
        _ => false,
    }
}

/// Is `word` one of `words` (lowercase), ignoring case and how its apostrophe is written?
fn is_one_of(word: &str, words: &[String]) -> bool {
    if word.is_ascii() && !word.contains('\'') {
        return words.iter().any(|w| w.eq_ignore_ascii_case(word));
    }
    let mut buf = [0u8; MAX_WORD_BYTES];
    lower(word, &mut buf).is_some_and(|w| words.iter().any(|x| x == w))
}
