//! Whether a subject's name that is also a language or a tool ("Ruby", "Swift", "Rust")
//! names the thing in a sentence. The person is the default: a name left in a packet is a
//! leak, a language replaced is only a loss.

use std::ops::Range;

use super::Grammar;
use super::text::{Token, char_at, is_apostrophe, lower, next_token, prev_token};
use crate::rules::{MAX_WORD_BYTES, class};

/// Does the sentence show the thing, not the person, for the proper word at `span`? The
/// cues are the lists of rules/names.toml, from `tool_cues` to `tools`. `names_someone`
/// tells a word that names a subject of the note, which is no tool to list a proper word
/// with ("between Ruby and Swift" of two candidates).
pub(super) fn shows_thing(
    g: &Grammar<'_>,
    text: &str,
    span: &Range<usize>,
    names_someone: &dyn Fn(&str) -> bool,
) -> bool {
    let names = &g.rules.names;
    // "Ruby's design" is a person's.
    if char_at(text, span.end).is_some_and(is_apostrophe) {
        return false;
    }
    if let Some(Token::Word(r, before)) = prev_token(text, span.start) {
        // "in Ruby", "uses Swift", "our Rust service"; "Her Swift was idiomatic" (a
        // sentence's first "her" is no object).
        if g.word_in(before, &names.tool_cues) || (before == "Her" && g.is_sentence_start(text, r.start)) {
            return true;
        }
        // "experience with Go", "years of Rust".
        if ["in", "of", "on", "with"]
            .iter()
            .any(|p| before.eq_ignore_ascii_case(p))
            && matches!(prev_token(text, r.start), Some(Token::Word(_, skill)) if g.word_in(skill, &names.skill_words))
        {
            return true;
        }
    }
    if let Some(Token::Word(r, after)) = next_token(text, span.end) {
        // "Ruby code", "Swift apps".
        if is_lowercase(after) && g.word_in(after, &names.tool_nouns) {
            return true;
        }
        // "Ruby is their strongest language".
        if ["is", "was"].iter().any(|v| after.eq_ignore_ascii_case(v)) && says_what_it_is(g, text, r.end) {
            return true;
        }
    }
    let is_tool = |w: &str| {
        let mut buf = [0u8; MAX_WORD_BYTES];
        let Some(folded) = lower(w, &mut buf) else {
            return false;
        };
        (names.tools.contains(folded) || names.proper_words.contains(folded)) && !names_someone(folded)
    };
    listed_with(text, span.end, Direction::After).is_some_and(is_tool)
        || listed_with(text, span.start, Direction::Before).is_some_and(is_tool)
}

/// After "is" or "was" at `from`: an article or possessive, any adjectives, and a noun of
/// `tool_nouns` that ends the phrase ("their strongest language", not "the best code
/// reviewer").
fn says_what_it_is(g: &Grammar<'_>, text: &str, from: usize) -> bool {
    let mut pos = from;
    for _ in 0..4 {
        match next_token(text, pos) {
            Some(Token::Word(r, w)) if is_lowercase(w) => {
                if g.word_in(w, &g.rules.names.tool_nouns) {
                    return match next_token(text, r.end) {
                        None | Some(Token::Punct(..)) => true,
                        Some(Token::Word(_, after)) => g.is(after, class::PREPOSITION | class::COORDINATOR),
                    };
                }
                pos = r.end;
            }
            _ => return false,
        }
    }
    false
}

#[derive(Clone, Copy, PartialEq)]
enum Direction {
    Before,
    After,
}

/// The word listed next to the one ending (or starting) at `at`, across a comma, a slash,
/// "and" or "or" (or a comma and one of them): "Go" in "Ruby and Go", "Ruby, Go", "Ruby/Go".
fn listed_with(text: &str, at: usize, direction: Direction) -> Option<&str> {
    let step = |pos: usize| match direction {
        Direction::After => next_token(text, pos),
        Direction::Before => prev_token(text, pos),
    };
    let edge = |t: &Token<'_>| match direction {
        Direction::After => t.end(),
        Direction::Before => t.start(),
    };
    let joiner = |t: &Token<'_>| match t {
        Token::Word(_, w) => w.eq_ignore_ascii_case("and") || w.eq_ignore_ascii_case("or"),
        _ => false,
    };
    let first = step(at)?;
    let mut next = match first {
        Token::Punct(_, ',' | '/') => step(edge(&first))?,
        ref t if joiner(t) => step(edge(t))?,
        _ => return None,
    };
    if matches!(first, Token::Punct(_, ',')) && joiner(&next) {
        next = step(edge(&next))?;
    }
    match next {
        Token::Word(_, w) => Some(w),
        _ => None,
    }
}

fn is_lowercase(word: &str) -> bool {
    word.bytes().all(|b| !b.is_ascii_uppercase())
}
