//! Contact details and links: emails, URLs, profile links, @handles and phone numbers.
//!
//! Emails, links, handles and hashtags are also *protected*: whatever family is on, nothing
//! inside them is rewritten as a word ("t.co/his" is no pronoun).

use std::ops::Range;

use super::text::{char_at, char_before, is_word_char};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Email,
    Url,
    Handle,
    Hashtag,
}

#[derive(Debug, Clone)]
pub(crate) struct Protected {
    pub span: Range<usize>,
    pub kind: Kind,
}

/// What the protection automaton looks for.
pub(crate) fn triggers(profile_domains: &[String]) -> Vec<String> {
    let mut patterns: Vec<String> = ["@", "#", "://", "www."].iter().map(|s| s.to_string()).collect();
    patterns.extend(profile_domains.iter().cloned());
    patterns
}

/// Classify the trigger `pattern` found at `at`; returns the protected span, if any.
pub(crate) fn protect(text: &str, pattern: &str, at: usize) -> Option<Protected> {
    match pattern {
        "@" => email_or_handle(text, at),
        "#" => hashtag(text, at),
        "://" => {
            let start = text[..at].trim_end_matches(|c: char| c.is_ascii_alphabetic()).len();
            if start == at || char_before(text, start).is_some_and(is_word_char) {
                return None;
            }
            Some(Protected {
                span: start..url_end(text, at + 3),
                kind: Kind::Url,
            })
        }
        // "www." and profile domains: a link without its scheme.
        _ => {
            if char_before(text, at).is_some_and(|c| is_word_char(c) || c == '.' || c == '/' || c == '@') {
                return None;
            }
            let end = at + pattern.len();
            if pattern != "www." && !text[end..].starts_with('/') {
                return None; // "github.com" alone names a site, not a person
            }
            let end = url_end(text, end);
            (end > at + pattern.len() + 1).then_some(Protected {
                span: at..end,
                kind: Kind::Url,
            })
        }
    }
}

fn url_end(text: &str, from: usize) -> usize {
    let rest = &text[from..];
    let mut end = rest
        .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '\u{201c}' | '\u{201d}' | '`'))
        .unwrap_or(rest.len());
    // Trailing punctuation belongs to the sentence, a closing bracket only if unbalanced.
    loop {
        let url = &rest[..end];
        match url.chars().next_back() {
            Some(c @ ('.' | ',' | ';' | ':' | '!' | '?' | '\'' | '\u{2019}' | '\u{2026}')) => end -= c.len_utf8(),
            Some(')') if url.matches('(').count() < url.matches(')').count() => end -= 1,
            Some(']') if url.matches('[').count() < url.matches(']').count() => end -= 1,
            _ => break,
        }
    }
    from + end
}

fn is_local_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '%' | '+' | '-')
}

fn email_or_handle(text: &str, at: usize) -> Option<Protected> {
    let local_start = text[..at].trim_end_matches(is_local_char).len();
    let local = &text[local_start..at];
    if local.is_empty() {
        // "@janedoe", "@jane.doe", "@kv-fan": a handle, where a word may start. Not inside
        // code ("`@lru_cache`", a decorator).
        if char_before(text, at).is_some_and(|c| is_word_char(c) || c == '`') {
            return None;
        }
        let rest = &text[at + 1..];
        let mut len = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-')))
            .unwrap_or(rest.len());
        while rest[..len].ends_with(['.', '-']) {
            len -= 1;
        }
        let handle = &rest[..len];
        let ok = handle.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_');
        return ok.then_some(Protected {
            span: at..at + 1 + len,
            kind: Kind::Handle,
        });
    }
    let rest = &text[at + 1..];
    let mut len = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '-'))
        .unwrap_or(rest.len());
    while rest[..len].ends_with(['.', '-']) {
        len -= 1;
    }
    let domain = &rest[..len];
    let tld_ok = domain
        .rsplit_once('.')
        .is_some_and(|(host, tld)| !host.is_empty() && tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic()));
    let local = local.trim_start_matches('.');
    if !tld_ok || local.is_empty() {
        return None;
    }
    let start = at - local.len();
    Some(Protected {
        span: start..at + 1 + len,
        kind: Kind::Email,
    })
}

fn hashtag(text: &str, at: usize) -> Option<Protected> {
    if char_before(text, at).is_some_and(is_word_char) {
        return None;
    }
    let rest = &text[at + 1..];
    let len = rest.find(|c: char| !is_word_char(c)).unwrap_or(rest.len());
    let tag = &rest[..len];
    tag.chars().any(char::is_alphabetic).then_some(Protected {
        span: at..at + 1 + len,
        kind: Kind::Hashtag,
    })
}

/// A phone number starting at `at` (a digit, `+` or `(`), or `Err(resume)` with where the
/// number that is not a phone ends.
pub(crate) fn phone(text: &str, at: usize) -> Result<Range<usize>, usize> {
    let bytes = text.as_bytes();
    // Where the number that is not a phone ends: its digits and the separators between them.
    let skip_number = |from: usize| {
        let mut i = from + 1;
        while i < bytes.len()
            && (bytes[i].is_ascii_digit()
                || (matches!(bytes[i], b'.' | b',' | b'-') && bytes.get(i + 1).is_some_and(u8::is_ascii_digit)))
        {
            i += 1;
        }
        i
    };
    if char_before(text, at).is_some_and(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '+' | '/' | ',' | '_')) {
        return Err(skip_number(at));
    }
    let mut i = at;
    let plus = bytes[i] == b'+';
    if plus {
        i += 1;
    }
    let mut groups: Vec<usize> = Vec::new();
    let mut separators: Vec<u8> = Vec::new();
    loop {
        let parenthesised = bytes.get(i) == Some(&b'(');
        let digits_start = i + usize::from(parenthesised);
        let mut j = digits_start;
        while j < bytes.len() && bytes[j].is_ascii_digit() {
            j += 1;
        }
        let n = j - digits_start;
        if n == 0 || n > 5 {
            if groups.is_empty() {
                return Err(skip_number(at));
            }
            break;
        }
        if parenthesised {
            if bytes.get(j) != Some(&b')') || n > 4 {
                return Err(skip_number(at));
            }
            j += 1;
        }
        groups.push(n);
        i = j;
        // One separator, then more digits.
        let sep = match bytes.get(i) {
            Some(&b) if matches!(b, b' ' | b'-' | b'.') => b,
            _ => break,
        };
        let next = bytes.get(i + 1);
        if !next.is_some_and(|b| b.is_ascii_digit() || *b == b'(') {
            break;
        }
        separators.push(sep);
        i += 1;
    }
    let end = i;
    let digits: usize = groups.iter().sum();
    let short_groups = groups.iter().filter(|&&n| n < 3).count();
    let dotted_quad = groups.len() == 4 && separators.iter().all(|&s| s == b'.') && groups.iter().all(|&n| n <= 3);
    let glued = char_at(text, end).is_some_and(|c| c.is_alphanumeric() || c == '_');
    let long_form =
        (10..=15).contains(&digits) && groups.len() <= 6 && (plus || (groups.len() >= 2 && short_groups <= 1));
    let local_form = digits == 7 && groups == [3, 4] && separators.iter().all(|&s| s == b'-' || s == b'.');
    if (long_form || local_form) && !dotted_quad && !glued {
        Ok(at..end)
    } else {
        Err(skip_number(at))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn is_phone(text: &str) -> bool {
        phone(text, 0) == Ok(0..text.len())
    }

    #[test]
    fn phones_and_numbers_that_are_not() {
        for yes in [
            "555-867-5309",
            "(555) 867-5309",
            "+44 20 7946 0958",
            "+1 555 867 5309",
            "555.867.5309",
            "867-5309",
            "1-800-555-0199",
        ] {
            assert!(is_phone(yes), "{yes}");
        }
        for no in [
            "2019-2021",
            "192.168.0.1",
            "3.14159",
            "1.2.3",
            "10 20 30 40 50",
            "1000000000",
            "2021-01-15",
            "10:30",
            "99.9%",
        ] {
            assert!(!is_phone(no), "{no}");
        }
    }

    #[test]
    fn emails_handles_and_links() {
        let text = "mail jane.doe+x@example.co.uk, ping @jdoe, see https://github.com/jdoe/repo). Or www.example.org.";
        let at = text.find('@').unwrap();
        let p = protect(text, "@", at).unwrap();
        assert_eq!(
            (&text[p.span.clone()], p.kind),
            ("jane.doe+x@example.co.uk", Kind::Email)
        );
        let at = text.find("@jdoe").unwrap();
        assert_eq!(&text[protect(text, "@", at).unwrap().span], "@jdoe");
        let at = text.find("://").unwrap();
        assert_eq!(
            &text[protect(text, "://", at).unwrap().span],
            "https://github.com/jdoe/repo"
        );
        let at = text.find("www.").unwrap();
        assert_eq!(&text[protect(text, "www.", at).unwrap().span], "www.example.org");
        let text = "profile: linkedin.com/in/jane-doe, github.com alone";
        let at = text.find("linkedin.com").unwrap();
        assert_eq!(
            &text[protect(text, "linkedin.com", at).unwrap().span],
            "linkedin.com/in/jane-doe"
        );
        let at = text.find("github.com").unwrap();
        assert!(protect(text, "github.com", at).is_none());
        assert!(protect("a@b", "@", 1).is_none());
        let text = "ask @kv-store.fan. Or `@lru_cache`.";
        assert_eq!(&text[protect(text, "@", 4).unwrap().span], "@kv-store.fan");
        assert!(protect(text, "@", text.rfind('@').unwrap()).is_none());
    }
}
