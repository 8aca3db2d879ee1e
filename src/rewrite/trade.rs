//! Whether a subject's name that is also a language or a tool ("Ruby", "Swift", "Rust")
//! names the thing in a sentence. The person is the default: a name left in a packet is a
//! leak, a language replaced is only a loss.

use std::ops::Range;

use super::Grammar;
use super::case::{Case, case_of};
use super::text::{Token, char_at, is_apostrophe, lower, next_token, prev_token};
use crate::rules::{MAX_WORD_BYTES, class};

/// Does the sentence show the thing, not the person, for the proper word at `span`? The
/// cues are the lists of rules/names.toml, from `tool_cues` to `tools`. `names_someone`
/// tells a word that names someone of the batch, which is no tool to list a proper word
/// with ("between Ruby and Swift" of two candidates).
pub(super) fn shows_thing(
    g: &Grammar<'_>,
    text: &str,
    span: &Range<usize>,
    names_someone: &dyn Fn(&str) -> bool,
) -> bool {
    surely_thing(g, text, span) || listed_as_tool(g, text, span, names_someone)
}

/// A word before the proper word (`tool_cues`, a skill and its preposition) or a noun after
/// it (`tool_nouns`, directly or after "is").
fn surely_thing(g: &Grammar<'_>, text: &str, span: &Range<usize>) -> bool {
    let names = &g.rules.names;
    // "Ruby's design" is a person's.
    if char_at(text, span.end).is_some_and(is_apostrophe) {
        return false;
    }
    if let Some(Token::Word(r, before)) = prev_token(text, span.start) {
        // "in Ruby", "uses Swift", "our Rust service"; "Her Swift was idiomatic", "and her
        // Rust is clean" ("her" opening a clause is no object; "call her Ruby" is one).
        let her_opens_clause = before.eq_ignore_ascii_case("her")
            && (g.is_sentence_start(text, r.start)
                || match prev_token(text, r.start) {
                    Some(Token::Word(_, p)) => g.is(p, class::COORDINATOR | class::CLAUSE_OPENER),
                    Some(Token::Punct(_, c)) => matches!(c, ',' | ';' | ':' | '('),
                    None => true,
                });
        if g.word_in(before, &names.tool_cues) || her_opens_clause {
            return true;
        }
        // "she knows Ruby" as a packet writes it, "they know Ruby", which the audit reads
        // as the rewriter did. Not "knew" nor after another subject: "he knew Ruby from his
        // last team", "I know Ruby" name a person.
        if before.eq_ignore_ascii_case("know")
            && matches!(prev_token(text, r.start), Some(Token::Word(_, who)) if who.eq_ignore_ascii_case("they"))
        {
            return true;
        }
        // "experience with Go", "years of Rust", "fluent in Swift".
        if g.word_in(before, &names.skill_prepositions)
            && matches!(prev_token(text, r.start), Some(Token::Word(_, skill)) if g.word_in(skill, &names.skill_words))
        {
            return true;
        }
    }
    if let Some(Token::Word(r, after)) = next_token(text, span.end) {
        // "Ruby code", "Swift apps".
        if case_of(after) == Case::Lower && g.word_in(after, &names.tool_nouns) {
            return true;
        }
        // "Ruby is their strongest language".
        // Only a copula: "Ruby has the skills" is a person.
        let copula = ["is", "isn't", "was", "wasn't"]
            .iter()
            .any(|v| after.eq_ignore_ascii_case(v));
        if copula && says_what_it_is(g, text, r.end) {
            return true;
        }
    }
    false
}

/// "Ruby and Go", "Python, Ruby or Java": listed with a language or a tool that is no given
/// name and names nobody of the batch.
fn listed_as_tool(g: &Grammar<'_>, text: &str, span: &Range<usize>, names_someone: &dyn Fn(&str) -> bool) -> bool {
    let names = &g.rules.names;
    let written_lower = case_of(&text[span.clone()]) == Case::Lower;
    let is_tool = |w: &str| {
        let mut buf = [0u8; MAX_WORD_BYTES];
        let Some(folded) = lower(w, &mut buf) else {
            return false;
        };
        // "Ruby, go ahead": a capitalised proper word is listed with capitalised ones.
        let case_fits = written_lower || case_of(w) != Case::Lower;
        let tool = names.tools.contains(folded)
            || (names.proper_words.contains(folded) && !g.rules.lexicon.nicknames.contains_key(folded));
        case_fits && tool && !names_someone(folded)
    };
    let listed = listed_with(text, span.end, Direction::After).is_some_and(|(_, w)| is_tool(w))
        || listed_with(text, span.start, Direction::Before).is_some_and(|(_, w)| is_tool(w));
    // "Hugo and Ruby led the design": two people, whom a verb of their own follows ("Ruby and
    // Go are" may be either).
    listed && !acted_after(g, text, span.end)
}

/// After the word ending at `end`, or after the word listed with it, a finite verb that is
/// no auxiliary: "Hugo and Ruby led", "Ruby and Hugo asked" (not "Julia and Python are").
fn acted_after(g: &Grammar<'_>, text: &str, end: usize) -> bool {
    let pos = listed_with(text, end, Direction::After).map_or(end, |(r, _)| r.end);
    matches!(g.skip_adverbs(text, pos), Some(Token::Word(_, v)) if g.is_finite_verb(v) && !g.is_auxiliary(v))
}

/// After "is" or "was" at `from`: an article or a possessive, any adjectives, and a noun of
/// `tool_nouns` that ends the phrase ("their strongest language", not "the best code
/// reviewer" nor "familiar with the codebase").
fn says_what_it_is(g: &Grammar<'_>, text: &str, from: usize) -> bool {
    const OPENERS: [&str; 8] = ["a", "an", "his", "her", "its", "our", "the", "their"];
    let Some(Token::Word(r, opener)) = next_token(text, from) else {
        return false;
    };
    if !OPENERS.iter().any(|o| opener.eq_ignore_ascii_case(o)) {
        return false;
    }
    let mut pos = r.end;
    for _ in 0..4 {
        let Some(Token::Word(r, w)) = next_token(text, pos) else {
            return false;
        };
        if g.word_in(w, &g.rules.names.tool_nouns) {
            return match next_token(text, r.end) {
                None | Some(Token::Punct(..)) => true,
                Some(Token::Word(_, after)) => g.is(after, class::PREPOSITION | class::COORDINATOR),
            };
        }
        // "strongest", "favourite", "main": what grades or picks the noun, any content word
        // (the noun that ends the phrase decides).
        let modifier = case_of(w) == Case::Lower && (g.closed_classes(w) == 0 || g.is(w, class::NOUN_MODIFIER));
        if !modifier {
            return false;
        }
        pos = r.end;
    }
    false
}

/// Which way `listed_with` reads from its word.
#[derive(Clone, Copy, PartialEq)]
enum Direction {
    Before,
    After,
}

/// The word listed next to the one ending (or starting) at `at`, across a comma, a slash,
/// "and" or "or" (or a comma and one of them), with its span: "Go" in "Ruby and Go", "Ruby,
/// Go", "Ruby/Go".
fn listed_with(text: &str, at: usize, direction: Direction) -> Option<(Range<usize>, &str)> {
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
        Token::Word(r, w) => Some((r, w)),
        _ => None,
    }
}
