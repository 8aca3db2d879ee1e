//! Looking around a match: the word before, the word after, word boundaries, sentence starts.
//!
//! The engine finds candidate words with automata and then reads only their neighbourhood;
//! these helpers walk the UTF-8 text in both directions without allocating.

use crate::rules::MAX_WORD_BYTES;
use std::ops::Range;

/// A word or a punctuation mark next to a match. Line breaks are reported as `Punct('\n')`
/// because in notes they end a sentence as surely as a full stop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Token<'a> {
    Word(Range<usize>, &'a str),
    Punct(usize, char),
}

impl<'a> Token<'a> {
    pub fn word(&self) -> Option<&'a str> {
        match self {
            Token::Word(_, w) => Some(w),
            Token::Punct(..) => None,
        }
    }

    pub fn start(&self) -> usize {
        match self {
            Token::Word(span, _) => span.start,
            Token::Punct(pos, _) => *pos,
        }
    }

    pub fn end(&self) -> usize {
        match self {
            Token::Word(span, _) => span.end,
            Token::Punct(pos, c) => pos + c.len_utf8(),
        }
    }

    pub fn is_punct(&self, c: char) -> bool {
        matches!(self, Token::Punct(_, p) if *p == c)
    }
}

pub fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        ASCII_WORD_BYTES[c as usize]
    } else {
        c.is_alphanumeric()
    }
}

pub fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '\u{2019}'
}

pub fn char_before(text: &str, pos: usize) -> Option<char> {
    text[..pos].chars().next_back()
}

pub fn char_at(text: &str, pos: usize) -> Option<char> {
    text[pos..].chars().next()
}

/// True when `span` is a whole word: no word character, `@` or `#` touches it. The sigils
/// count as word characters because `@his`, `#her` are handles and tags, not pronouns.
pub fn is_whole_word(text: &str, span: &Range<usize>) -> bool {
    let before_ok = char_before(text, span.start).is_none_or(|c| !is_word_char(c) && c != '@' && c != '#');
    let after_ok = char_at(text, span.end).is_none_or(|c| !is_word_char(c));
    before_ok && after_ok
}

/// True when the word at `span` is glued by a hyphen to another word ("he-man", "co-her").
pub fn in_hyphenated_compound(text: &str, span: &Range<usize>) -> bool {
    let mut before = text[..span.start].chars().rev();
    let hyphen_before = before.next() == Some('-') && before.next().is_some_and(char::is_alphanumeric);
    let mut after = text[span.end..].chars();
    let hyphen_after = after.next() == Some('-') && after.next().is_some_and(char::is_alphanumeric);
    hyphen_before || hyphen_after
}

/// ASCII letters, digits and the underscore, by byte value: words are read a byte at a time.
const ASCII_WORD_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = (b as u8).is_ascii_alphanumeric() || b as u8 == b'_';
        b += 1;
    }
    table
};

fn is_ascii_word_byte(b: u8) -> bool {
    ASCII_WORD_BYTES[b as usize]
}

/// Length of the word starting at `pos`: alphanumerics, and apostrophes between letters
/// ("doesn't", "O'Connell"). ASCII is read byte by byte; only other characters are decoded.
fn word_end(text: &str, pos: usize) -> usize {
    let bytes = text.as_bytes();
    let mut end = pos;
    loop {
        while end < bytes.len() && is_ascii_word_byte(bytes[end]) {
            end += 1;
        }
        // Most words end at a space or an ASCII mark: nothing to decode.
        if bytes.get(end).is_none_or(|&b| b.is_ascii() && b != b'\'') {
            return end;
        }
        let mut chars = text[end..].chars();
        match chars.next() {
            Some(c) if is_word_char(c) => end += c.len_utf8(),
            Some(c) if is_apostrophe(c) && chars.next().is_some_and(char::is_alphabetic) => end += c.len_utf8(),
            _ => return end,
        }
    }
}

fn word_start(text: &str, pos: usize) -> usize {
    let bytes = text.as_bytes();
    let mut start = pos;
    loop {
        while start > 0 && is_ascii_word_byte(bytes[start - 1]) {
            start -= 1;
        }
        if start == 0 || (bytes[start - 1].is_ascii() && bytes[start - 1] != b'\'') {
            return start;
        }
        let mut chars = text[..start].chars().rev();
        match chars.next() {
            Some(c) if is_word_char(c) => start -= c.len_utf8(),
            Some(c) if is_apostrophe(c) && chars.next().is_some_and(char::is_alphabetic) => start -= c.len_utf8(),
            _ => return start,
        }
    }
}

/// The token that starts at or after `pos`, skipping spaces.
pub fn next_token(text: &str, pos: usize) -> Option<Token<'_>> {
    let bytes = text.as_bytes();
    let mut at = pos;
    loop {
        let b = *bytes.get(at)?;
        let c = if b.is_ascii() {
            b as char
        } else {
            text[at..].chars().next()?
        };
        if c == '\n' {
            return Some(Token::Punct(at, '\n'));
        }
        if c.is_whitespace() {
            at += c.len_utf8();
            continue;
        }
        if is_word_char(c) {
            let end = word_end(text, at);
            return Some(Token::Word(at..end, &text[at..end]));
        }
        return Some(Token::Punct(at, c));
    }
}

/// The token that ends at or before `pos`, skipping spaces.
pub fn prev_token(text: &str, pos: usize) -> Option<Token<'_>> {
    let bytes = text.as_bytes();
    let mut at = pos;
    loop {
        let b = *bytes.get(at.checked_sub(1)?)?;
        let c = if b.is_ascii() {
            b as char
        } else {
            text[..at].chars().next_back()?
        };
        let i = at - c.len_utf8();
        if c == '\n' {
            return Some(Token::Punct(i, '\n'));
        }
        if c.is_whitespace() {
            at = i;
            continue;
        }
        if is_word_char(c) {
            let start = word_start(text, at);
            return Some(Token::Word(start..at, &text[start..at]));
        }
        return Some(Token::Punct(i, c));
    }
}

/// Only spaces or tabs (no line break, no punctuation) between two offsets.
pub fn only_spaces_between(text: &str, from: usize, to: usize) -> bool {
    from <= to && text[from..to].chars().all(|c| c == ' ' || c == '\t' || c == '\u{a0}')
}

/// ASCII-lowercase `word` into `buf`, with typographic apostrophes made plain, so it can be
/// looked up in the lexicons. Words longer than the buffer are in no lexicon: loading
/// refuses listed words longer than [`MAX_WORD_BYTES`].
pub fn lower<'b>(word: &'b str, buf: &'b mut [u8; MAX_WORD_BYTES]) -> Option<&'b str> {
    let bytes = word.as_bytes();
    if bytes.len() > MAX_WORD_BYTES {
        return None;
    }
    // Most words of a note are lowercase ASCII already: nothing to copy.
    if bytes.iter().all(|b| !b.is_ascii_uppercase() && b.is_ascii()) {
        return Some(word);
    }
    // Byte by byte: only ASCII letters change, and a typographic apostrophe (three bytes)
    // becomes one, so the bytes stay UTF-8 and no character is decoded.
    let mut n = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let (out, len) = if b == 0xE2 && bytes.get(i + 1..i + 3) == Some(&[0x80, 0x99]) {
            (b'\'', 3)
        } else {
            (b.to_ascii_lowercase(), 1)
        };
        *buf.get_mut(n)? = out;
        n += 1;
        i += len;
    }
    std::str::from_utf8(&buf[..n]).ok()
}

/// Characters that may sit between a sentence boundary and its first word.
fn is_opener(c: char) -> bool {
    matches!(
        c,
        '"' | '\''
            | '\u{201c}'
            | '\u{2018}'
            | '('
            | '['
            | '*'
            | '_'
            | '-'
            | '\u{2022}'
            | '>'
            | '#'
            | '\u{2013}'
            | '\u{2014}'
    )
}

/// Does a sentence start at `pos`? Start of text, a line break, or `.!?` that is not the dot
/// of an abbreviation or an initial.
pub fn is_sentence_start(text: &str, pos: usize, abbreviations: &impl Fn(&str) -> bool) -> bool {
    let mut chars = text[..pos].char_indices().rev();
    let mut saw_opener = false;
    loop {
        let Some((i, c)) = chars.next() else {
            return true;
        };
        if c == '\n' {
            return true;
        }
        if c.is_whitespace() {
            continue;
        }
        if is_opener(c) {
            saw_opener = true;
            continue;
        }
        return match c {
            '!' | '?' | '\u{2026}' => true,
            '.' => {
                // The word before the dot, with inner dots: "e.g", "i.e", "Dr".
                let start = text[..i].trim_end_matches(|c: char| is_word_char(c) || c == '.').len();
                let word = &text[start..i];
                let initial = word.chars().count() == 1 && word.chars().all(char::is_uppercase);
                !(initial || abbreviations(word))
            }
            ':' => saw_opener,
            _ => false,
        };
    }
}

/// Offset of the end of the sentence that contains `pos`: the next `.`, `!`, `?` or line break.
pub fn sentence_end(text: &str, pos: usize) -> (usize, Option<char>) {
    match text[pos..]
        .char_indices()
        .find(|&(_, c)| matches!(c, '.' | '!' | '?' | '\n'))
    {
        Some((i, c)) => (pos + i, Some(c)),
        None => (text.len(), None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words_after(text: &str, mut pos: usize) -> Vec<String> {
        let mut out = Vec::new();
        while let Some(t) = next_token(text, pos) {
            out.push(match t {
                Token::Word(_, w) => w.to_string(),
                Token::Punct(_, c) => format!("<{c}>"),
            });
            pos = t.end();
        }
        out
    }

    #[test]
    fn tokens_keep_contractions_whole() {
        assert_eq!(
            words_after("She doesn’t test, O'Connell's code.", 0),
            ["She", "doesn’t", "test", "<,>", "O'Connell's", "code", "<.>"]
        );
        assert_eq!(words_after("a 'quoted' b", 0), ["a", "<'>", "quoted", "<'>", "b"]);
    }

    #[test]
    fn previous_token_mirrors_next() {
        let text = "I asked O'Connell's team.";
        let t = prev_token(text, 20).unwrap();
        assert_eq!(t.word(), Some("O'Connell's"));
        assert_eq!(prev_token(text, 0), None);
        assert_eq!(prev_token("a\n b", 3), Some(Token::Punct(1, '\n')));
    }

    #[test]
    fn whole_words_exclude_handles_and_inner_matches() {
        let text = "the #he @he he_x he.";
        assert!(!is_whole_word(text, &(1..3)));
        assert!(!is_whole_word(text, &(5..7)));
        assert!(!is_whole_word(text, &(9..11)));
        assert!(!is_whole_word(text, &(12..14)));
        assert!(is_whole_word(text, &(17..19)));
    }

    #[test]
    fn sentence_starts() {
        let abbr = |w: &str| w.eq_ignore_ascii_case("e.g") || w.eq_ignore_ascii_case("mr");
        let text = "Good. \"Priya asked, e.g. Priya said. Mr. Priya\n- Priya";
        let at = |needle: &str, nth: usize| text.match_indices(needle).nth(nth).unwrap().0;
        assert!(is_sentence_start(text, 0, &abbr));
        assert!(is_sentence_start(text, at("Priya", 0), &abbr));
        assert!(!is_sentence_start(text, at("Priya", 1), &abbr));
        assert!(!is_sentence_start(text, at("Priya", 2), &abbr));
        assert!(is_sentence_start(text, at("Priya", 3), &abbr));
        assert!(!is_sentence_start(text, at("asked", 0), &abbr));
    }

    #[test]
    fn lowercases_for_lookup() {
        let mut buf = [0u8; MAX_WORD_BYTES];
        assert_eq!(lower("Doesn’t", &mut buf), Some("doesn't"));
        assert_eq!(lower(&"x".repeat(49), &mut buf), None);
    }
}
