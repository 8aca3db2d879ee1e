//! Contact details and links: emails, URLs, profile links, @handles and phone numbers.
//!
//! Emails, links, handles and hashtags are also *protected*: whatever family is on, nothing
//! inside them is rewritten as a word ("t.co/his" is no pronoun).

use std::ops::Range;
use std::sync::LazyLock;

use super::text::{char_at, char_before, is_word_char};
use crate::rules::WordSet;

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

/// Emails, links, handles and hashtags of `text`, in order, not overlapping. Found from their
/// tell-tale bytes with memchr: `@`, `#`, `/` (of `://`, or after a host without a scheme:
/// one of `profile_domains`, or one ending in a top-level domain of `link_tlds`) and `www.`.
pub(crate) fn find_protected(text: &str, profile_domains: &[String], link_tlds: &WordSet) -> Vec<Protected> {
    let bytes = text.as_bytes();
    let mut found: Vec<Protected> = Vec::new();
    let mut covered = 0;
    for at in memchr::memchr3_iter(b'@', b'#', b'/', bytes) {
        if at < covered {
            continue;
        }
        let protected = match bytes[at] {
            b'@' => email_or_handle(text, at),
            b'#' => hashtag(text, at),
            _ if at > 0 && bytes[at - 1] == b':' && bytes.get(at + 1) == Some(&b'/') => scheme_url(text, at - 1),
            _ => bare_url(text, at, profile_domains, link_tlds),
        };
        if let Some(p) = protected {
            covered = p.span.end;
            found.push(p);
        }
    }
    // Built once: a searcher costs more to set up than most notes take to search.
    static WWW: LazyLock<[memchr::memmem::Finder<'static>; 2]> = LazyLock::new(|| {
        [
            memchr::memmem::Finder::new(b"www."),
            memchr::memmem::Finder::new(b"WWW."),
        ]
    });
    let www = WWW[0].find_iter(bytes).chain(WWW[1].find_iter(bytes));
    for at in www {
        if !char_before(text, at).is_some_and(|c| is_word_char(c) || c == '.' || c == '/' || c == '@') {
            let end = url_end(text, at + 4);
            if end > at + 5 {
                found.push(Protected {
                    span: at..end,
                    kind: Kind::Url,
                });
            }
        }
    }
    found.sort_by_key(|p| p.span.start);
    let mut merged: Vec<Protected> = Vec::with_capacity(found.len());
    for p in found {
        match merged.last_mut() {
            Some(last) if p.span.start < last.span.end => last.span.end = last.span.end.max(p.span.end),
            _ => merged.push(p),
        }
    }
    merged
}

/// `https://...` with `://` at `at`.
fn scheme_url(text: &str, at: usize) -> Option<Protected> {
    let start = text[..at].trim_end_matches(|c: char| c.is_ascii_alphabetic()).len();
    if start == at || char_before(text, start).is_some_and(is_word_char) {
        return None;
    }
    Some(Protected {
        span: start..url_end(text, at + 3),
        kind: Kind::Url,
    })
}

/// A link without its scheme, `/` at `slash`: a profile site's ("github.com/janedoe") or any
/// host ending in a known top-level domain ("t.co/abc"). A site alone ("we host on
/// github.com") names no one and is left.
fn bare_url(text: &str, slash: usize, profile_domains: &[String], link_tlds: &WordSet) -> Option<Protected> {
    let host_start = text[..slash]
        .trim_end_matches(|c: char| c.is_ascii_alphanumeric() || c == '.' || c == '-')
        .len();
    let host = text[host_start..slash].to_ascii_lowercase();
    let is_profile = profile_domains.iter().any(|d| {
        host.strip_suffix(d.as_str())
            .is_some_and(|sub| sub.is_empty() || sub.ends_with('.'))
    });
    let has_tld = host
        .rsplit_once('.')
        .is_some_and(|(name, tld)| !name.is_empty() && !name.ends_with('.') && link_tlds.contains(tld));
    if !(is_profile || has_tld)
        || char_before(text, host_start).is_some_and(|c| is_word_char(c) || c == '@' || c == '/')
    {
        return None;
    }
    let end = url_end(text, slash);
    (end > slash + 1).then_some(Protected {
        span: host_start..end,
        kind: Kind::Url,
    })
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

/// The phone number starting at `at` (a digit, `+` or `(`), if it is one. Digit groups are
/// read as long as separators join them; the longest run of groups that forms a phone
/// number wins, so "555-867-5309 24 hours" is the phone and then a number.
pub(crate) fn phone(text: &str, at: usize) -> Option<Range<usize>> {
    let bytes = text.as_bytes();
    if char_before(text, at).is_some_and(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '+' | '/' | ',' | '_')) {
        return None;
    }
    let plus = bytes[at] == b'+';
    let mut i = at + usize::from(plus);
    // (digits in the group, offset after it, separator before the next group)
    let mut groups: Vec<(usize, usize, u8)> = Vec::new();
    loop {
        let parenthesised = bytes.get(i) == Some(&b'(');
        let digits_start = i + usize::from(parenthesised);
        let mut j = digits_start;
        while j < bytes.len() && bytes[j].is_ascii_digit() {
            j += 1;
        }
        let n = j - digits_start;
        if n == 0 || n > 6 || (parenthesised && (bytes.get(j) != Some(&b')') || n > 4)) {
            break;
        }
        j += usize::from(parenthesised);
        let sep = match bytes.get(j) {
            Some(&b)
                if matches!(b, b' ' | b'-' | b'.')
                    && bytes.get(j + 1).is_some_and(|n| n.is_ascii_digit() || *n == b'(') =>
            {
                b
            }
            _ => 0,
        };
        groups.push((n, j, sep));
        if sep == 0 {
            break;
        }
        i = j + 1;
    }
    (1..=groups.len()).rev().find_map(|k| {
        let groups = &groups[..k];
        let end = groups[k - 1].1;
        let digits: usize = groups.iter().map(|g| g.0).sum();
        let short = groups.iter().filter(|g| g.0 < 3).count();
        let separators = || groups[..k - 1].iter().map(|g| g.2);
        let dotted_quad = k == 4 && separators().all(|s| s == b'.') && groups.iter().all(|g| g.0 <= 3);
        // After the country or area code, one separator throughout: a change starts another
        // number ("555-867-5309 2019").
        let consistent = separators().skip(1).all(|s| Some(s) == separators().nth(1));
        let glued = char_at(text, end).is_some_and(|c| c.is_alphanumeric() || c == '_');
        let long_form = (10..=15).contains(&digits) && k <= 6 && (plus || (k >= 2 && short <= 1));
        // "07700 900123": groups of up to six digits, as British mobiles are written.
        let local_form = digits == 7 && k == 2 && groups[0].0 == 3 && separators().all(|s| s == b'-' || s == b'.');
        ((long_form || local_form) && consistent && !dotted_quad && !glued).then_some(at..end)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn is_phone(text: &str) -> bool {
        phone(text, 0) == Some(0..text.len())
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
    fn a_phone_followed_by_another_number() {
        let text = "867-5309 24 hours";
        assert_eq!(phone(text, 0), Some(0..8));
        let text = "555-867-5309 555-867-5310";
        assert_eq!(phone(text, 0), Some(0..12));
        assert_eq!(phone(text, 13), Some(13..25));
        assert_eq!(phone("555-867-5309 2019-2021", 0), Some(0..12));
    }

    #[test]
    fn emails_handles_and_links() {
        let domains = vec!["github.com".to_string(), "linkedin.com".to_string()];
        let tlds: WordSet = ["co", "com", "ly"].iter().map(|t| Box::from(*t)).collect();
        let found = |text: &str| -> Vec<(String, Kind)> {
            find_protected(text, &domains, &tlds)
                .into_iter()
                .map(|p| (text[p.span].to_string(), p.kind))
                .collect()
        };
        let text = "mail Jane.Doe+x@example.co.uk, ping @jdoe, see https://github.com/jdoe/repo). Or www.example.org.";
        assert_eq!(
            found(text),
            [
                ("Jane.Doe+x@example.co.uk".to_string(), Kind::Email),
                ("@jdoe".to_string(), Kind::Handle),
                ("https://github.com/jdoe/repo".to_string(), Kind::Url),
                ("www.example.org".to_string(), Kind::Url),
            ]
        );
        assert_eq!(
            found("profile: LinkedIn.com/in/jane-doe, github.com alone, #rust, C# and a@b"),
            [
                ("LinkedIn.com/in/jane-doe".to_string(), Kind::Url),
                ("#rust".to_string(), Kind::Hashtag)
            ]
        );
        assert_eq!(
            found("ask @kv-store.fan. Or `@lru_cache`."),
            [("@kv-store.fan".to_string(), Kind::Handle)]
        );
        assert_eq!(found("and/or he/she src/main.rs node.js/express"), []);
        assert_eq!(
            found("see t.co/his, bit.ly/x9"),
            [
                ("t.co/his".to_string(), Kind::Url),
                ("bit.ly/x9".to_string(), Kind::Url)
            ]
        );
    }
}
