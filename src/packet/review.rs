//! What the coordinator reviews before the committee reads: every flag of a packet, where it
//! stands, in its sentence, and what the committee sees in its place. None of it goes into
//! the packet (it may quote a name or a sensitive fact); it goes to `<private>/review.md`.

use std::collections::BTreeMap;
use std::fmt::Write;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// What the committee sees in place of a flagged passage, as the coordinator decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    Keep,
    Redact,
    Replace(String),
}

/// One flag of a packet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewItem {
    /// The key a decision names: from the rule, the place and the sentence, so it stays the
    /// same on every rebuild while the text does.
    pub id: String,
    pub rule: String,
    /// Where, as the Markdown packet shows it: "Interview 2 · 2026-11-03, Dana Kowalski, notes".
    pub place: String,
    /// The flagged words as the note wrote them (a rule may have replaced them already).
    pub text: String,
    /// The sentence around them, the words marked `**like this**`.
    pub sentence: String,
    /// What the committee reads there.
    pub shown: String,
    /// `None`: nobody has decided yet.
    pub decision: Option<String>,
}

impl ReviewItem {
    pub fn is_open(&self) -> bool {
        self.decision.is_none()
    }
}

/// A packet's flags and the decisions that no longer match any of them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PacketReview {
    pub items: Vec<ReviewItem>,
    /// Ids decided in decisions.toml that this build did not meet (their text changed).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stale: Vec<String>,
}

impl PacketReview {
    pub fn open(&self) -> usize {
        self.items.iter().filter(|i| i.is_open()).count()
    }
}

/// The id of a flag: 10 hex digits of a hash of everything that places it.
pub fn flag_id(parts: &[&str]) -> String {
    let mut hash = Sha256::new();
    for part in parts {
        hash.update(part.as_bytes());
        hash.update([0]);
    }
    hash.finalize()[..5].iter().map(|b| format!("{b:02x}")).collect()
}

/// Whether a flag rule reports a sensitive fact (`flags.*`), as opposed to a word that
/// may be a name (`names.*`).
pub fn is_sensitive_fact(rule: &str) -> bool {
    rule.starts_with("flags.")
}

/// What stands in for flagged words nobody decided to show: a sensitive fact's kind, from
/// the rule id (`flags.family-status` → "[family status]"); "[name?]" for a word that may be
/// a name.
pub fn placeholder(rule: &str) -> String {
    match rule.strip_prefix("flags.") {
        Some(kind) => format!("[{}]", kind.replace('-', " ")),
        None => "[name?]".to_string(),
    }
}

/// For the edits of a rewrite, a lookup from a span of the rewritten text to the words of
/// the input an edit replaced there.
pub fn written_words<'a>(edits: &'a [crate::rewrite::Edit]) -> impl Fn(std::ops::Range<usize>) -> Option<&'a str> {
    let mut placed = Vec::with_capacity(edits.len());
    let mut shift: isize = 0;
    for edit in edits {
        let start = edit.span.start.saturating_add_signed(shift);
        placed.push((start..start + edit.after.len(), edit.before.as_str()));
        shift += edit.after.len() as isize - edit.span.len() as isize;
    }
    move |span| placed.iter().find(|(at, _)| *at == span).map(|(_, before)| *before)
}

/// The sentence of `text` around `span`, with the span marked, at most about 240 bytes.
pub fn sentence_around(text: &str, span: std::ops::Range<usize>) -> String {
    const REACH: usize = 120;
    let ends = |c: char| matches!(c, '.' | '!' | '?' | '\n');
    let start = text[..span.start]
        .char_indices()
        .rev()
        .take_while(|&(i, c)| !ends(c) && span.start - i <= REACH)
        .last()
        .map_or(span.start, |(i, _)| i);
    let end = text[span.end..]
        .char_indices()
        .find(|&(i, c)| ends(c) || i > REACH)
        .map_or(text.len(), |(i, c)| {
            span.end + i + if ends(c) && c != '\n' { c.len_utf8() } else { 0 }
        });
    format!(
        "{}**{}**{}",
        text[start..span.start].trim_start(),
        &text[span.clone()],
        text[span.end..end].trim_end()
    )
}

/// `<private>/review.md`: every packet with flags, the open ones first, each flag with a
/// line to copy into decisions.toml.
pub fn render_review(reviews: &BTreeMap<String, PacketReview>) -> String {
    let mut out = String::from("# Review before the committee\n\n");
    let open: usize = reviews.values().map(PacketReview::open).sum();
    let drafts = reviews.values().filter(|r| r.open() > 0).count();
    let _ = writeln!(
        out,
        "{open} open flag{} in {drafts} packet{}. This file holds names and sensitive facts: it \
         stays in the private folder.\n",
        if open == 1 { "" } else { "s" },
        if drafts == 1 { "" } else { "s" },
    );
    out.push_str(
        "To decide, copy a packet's lines into `decisions.toml` beside this file and set each to \
         \"keep\" (the committee reads the words), \"redact\" (they read \"[redacted]\") or \
         { replace = \"...\" }; then run `blindfold packets` again (or let `listen` rebuild). \
         Until then, a sensitive fact reads as its kind, such as \"[age]\", and a kept name-like \
         word stays as the rewrite left it.\n",
    );
    let mut labels: Vec<(&String, &PacketReview)> = reviews
        .iter()
        .filter(|(_, r)| !r.items.is_empty() || !r.stale.is_empty())
        .collect();
    labels.sort_by_key(|(label, review)| (review.open() == 0, label.as_str()));
    for (label, review) in labels {
        let state = match review.open() {
            0 => "ready".to_string(),
            n => format!("draft, {n} open"),
        };
        let _ = writeln!(out, "\n## {label} ({state})\n");
        for item in &review.items {
            let decided = item.decision.as_deref().unwrap_or("open");
            let _ = writeln!(
                out,
                "- `{}` {} ({decided}), {}: {} → reads \"{}\"",
                item.id,
                item.rule,
                item.place,
                one_line(&item.sentence),
                one_line(&item.shown)
            );
        }
        for id in &review.stale {
            let _ = writeln!(
                out,
                "- `{id}`: a decision in decisions.toml that matches no flag any more (its text changed); remove it"
            );
        }
        let open: Vec<&ReviewItem> = review.items.iter().filter(|i| i.is_open()).collect();
        if !open.is_empty() {
            let _ = writeln!(out, "\n```toml\n[{label}]");
            for item in open {
                let _ = writeln!(out, "{} = \"keep\"  # {}: {}", item.id, item.rule, one_line(&item.text));
            }
            out.push_str("```\n");
        }
    }
    out
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sentence_around_a_flag() {
        let text = "Solid session. She said she is 52 years old and asked about it! Next.";
        let at = text.find("52 years old").unwrap();
        assert_eq!(
            sentence_around(text, at..at + 12),
            "She said she is **52 years old** and asked about it!"
        );
        assert_eq!(sentence_around("52 years old", 0..12), "**52 years old**");
    }

    #[test]
    fn placeholders_name_the_kind() {
        assert_eq!(placeholder("flags.age"), "[age]");
        assert_eq!(placeholder("flags.family-status"), "[family status]");
        assert_eq!(placeholder("flags.family-tie"), "[family tie]");
        assert_eq!(placeholder("flags.military-service"), "[military service]");
        assert_eq!(placeholder("flags.national-origin"), "[national origin]");
        assert_eq!(placeholder("flags.work-authorization"), "[work authorization]");
        assert_eq!(placeholder("names.part"), "[name?]");
    }

    /// The committee reads a withheld fact as its kind: every flag rule's id must make a
    /// placeholder of plain lowercase words, or the packet would show "[name?]" or a
    /// stray id for it.
    #[test]
    fn every_flag_rule_has_a_readable_placeholder() {
        let rules = crate::rules::RuleSet::embedded().unwrap();
        let flags: Vec<_> = rules
            .rules()
            .iter()
            .filter(|r| r.family == crate::rules::Family::Flags)
            .collect();
        assert!(flags.len() >= 10, "{} flag rules", flags.len());
        for rule in flags {
            let shown = placeholder(&rule.id);
            let kind = shown.strip_prefix('[').and_then(|s| s.strip_suffix(']'));
            assert!(
                kind.is_some_and(|k| !k.is_empty() && k.chars().all(|c| c.is_ascii_lowercase() || c == ' ')),
                "{} reads as {shown:?}",
                rule.id
            );
        }
    }

    #[test]
    fn ids_change_with_any_part() {
        let a = flag_id(&["L", "li1", "notes", "flags.age", "She is 52."]);
        assert_eq!(a.len(), 10);
        assert_eq!(a, flag_id(&["L", "li1", "notes", "flags.age", "She is 52."]));
        assert_ne!(a, flag_id(&["L", "li1", "notes", "flags.age", "She is 53."]));
        assert_ne!(flag_id(&["ab", "c"]), flag_id(&["a", "bc"]));
    }
}
