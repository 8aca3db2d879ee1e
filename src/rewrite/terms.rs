//! Gendered words and phrases to neutral ones ("wife" -> "spouse"), case kept, and the
//! article before them fixed when the new word needs the other one ("a female engineer" ->
//! "an engineer").

use std::ops::Range;

use super::Pending;
use super::case::restore_case;
use super::grammar::Grammar;
use super::text::{Token, char_at, char_before, is_word_char, lower, next_token, only_spaces_between, prev_token};
use crate::rules::{Family, MAX_WORD_BYTES, TermEntry};

pub(crate) fn rewrite(g: Grammar<'_>, text: &str, entry: &TermEntry, span: Range<usize>, out: &mut Vec<Pending>) {
    let before_ok = char_before(text, span.start).is_none_or(|c| !is_word_char(c) && c != '@' && c != '#');
    let last = text[span.clone()].chars().next_back();
    let after_ok = last == Some('.') || char_at(text, span.end).is_none_or(|c| !is_word_char(c));
    if !before_ok || !after_ok {
        return;
    }
    let next = next_token(text, span.end);
    let next_word = next.as_ref().and_then(|t| t.word());
    let mut buf = [0u8; MAX_WORD_BYTES];
    if next_word.is_some_and(|w| lower(w, &mut buf).is_some_and(|w| entry.not_before.contains(w))) {
        return;
    }
    let prev = prev_token(text, span.start);
    if prev
        .as_ref()
        .and_then(|t| t.word())
        .is_some_and(|w| lower(w, &mut buf).is_some_and(|w| entry.not_after.contains(w)))
    {
        return;
    }
    if entry.before_name && !next_word.is_some_and(|w| w.starts_with(char::is_uppercase)) {
        return;
    }
    if entry.before_word && next_word.is_none() {
        return;
    }
    let written = &text[span.clone()];
    let (mut edit, mut after) = if entry.replacement.is_empty() {
        // Drop the word and the spaces after it.
        let end = next.as_ref().map_or(span.end, |t| t.start());
        let end = if only_spaces_between(text, span.end, end) {
            end
        } else {
            span.end
        };
        (span.start..end, String::new())
    } else {
        (span.clone(), restore_case(written, &entry.replacement))
    };
    // "a" / "an" before the changed word.
    if let Some(Token::Word(article_span, article)) = prev
        && only_spaces_between(text, article_span.end, span.start)
        // A word of its own, not the end of a link ("https://x.io/a").
        && char_before(text, article_span.start).is_none_or(|c| c.is_whitespace() || matches!(c, '(' | '"' | '\u{201c}'))
        && (article.eq_ignore_ascii_case("a") || article.eq_ignore_ascii_case("an"))
    {
        let following = if after.is_empty() {
            next_word.unwrap_or("")
        } else {
            after.as_str()
        };
        let wanted = article_for(g, following);
        if !article.eq_ignore_ascii_case(wanted) {
            let fixed = restore_case(article, wanted);
            after = format!("{fixed}{}{after}", &text[article_span.end..span.start]);
            edit.start = article_span.start;
        }
    }
    out.push(Pending::new(edit, after, entry.rule.clone(), Family::Terms));
}

/// "a" or "an" before `word`, by its sound as far as spelling tells.
fn article_for(g: Grammar<'_>, word: &str) -> &'static str {
    let lw = word.to_lowercase();
    let terms = &g.rules.terms;
    if terms.an_before.iter().any(|p| lw.starts_with(p.as_str())) {
        "an"
    } else if terms.a_before.iter().any(|p| lw.starts_with(p.as_str())) {
        "a"
    } else if lw.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}
