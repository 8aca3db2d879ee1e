//! The coordinator's decisions on flags, kept in `<private>/decisions.toml` and applied on
//! every rebuild, by `packets` and by `listen` alike:
//!
//! ```toml
//! [7K3QXM2A]              # a packet label
//! 3f9a0c12d4 = "keep"     # the committee sees the words
//! 81be77a0c5 = "redact"   # the words become "[redacted]"
//! c0ffee1234 = { replace = "a relative" }
//! ```
//!
//! A flag's id comes from its rule, its place and the sentence it stands in (see
//! `review.md`): if the sentence changes, the decision matches no flag and is reported as
//! stale rather than applied to other words.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use crate::packet::Decision;

pub(super) const FILE: &str = "decisions.toml";

#[derive(Debug, thiserror::Error)]
#[error("{path}:{line}: {message}")]
pub struct DecisionError {
    pub path: String,
    pub line: usize,
    pub message: String,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Written {
    Word(String),
    Replace(ReplaceTable),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReplaceTable {
    replace: String,
}

type File = BTreeMap<Spanned<String>, BTreeMap<Spanned<String>, Spanned<toml::Value>>>;

/// Every decision, by packet label, then flag id.
#[derive(Debug, Default, Clone)]
pub struct Decisions {
    by_label: BTreeMap<String, BTreeMap<String, Decision>>,
}

impl Decisions {
    /// Read the file if there is one. `labels` are the packets the private map knows: a
    /// decision for any other is a mistake, said with its line.
    pub fn read(private: &Path, labels: &dyn Fn(&str) -> bool) -> Result<Decisions, DecisionError> {
        let path = private.join(FILE);
        let shown = path.display().to_string();
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Decisions::default()),
            Err(e) => {
                return Err(DecisionError {
                    path: shown,
                    line: 0,
                    message: e.to_string(),
                });
            }
        };
        Decisions::parse(&shown, &text, labels)
    }

    pub fn parse(path: &str, text: &str, labels: &dyn Fn(&str) -> bool) -> Result<Decisions, DecisionError> {
        let line_of = |offset: usize| 1 + text[..offset.min(text.len())].matches('\n').count();
        let fail = |offset: usize, message: String| DecisionError {
            path: path.to_string(),
            line: line_of(offset),
            message,
        };
        let file: File = toml::from_str(text).map_err(|e| {
            let offset = e.span().map_or(0, |s| s.start);
            fail(offset, e.message().to_string())
        })?;
        let mut by_label = BTreeMap::new();
        for (label, flags) in file {
            if !labels(label.get_ref()) {
                return Err(fail(
                    label.span().start,
                    format!(
                        "`{}` is not the label of a packet of this private folder (labels are in review.md)",
                        label.get_ref()
                    ),
                ));
            }
            let mut decided = BTreeMap::new();
            for (id, value) in flags {
                let bad = || {
                    fail(
                        value.span().start,
                        format!(
                            "flag {}: write \"keep\", \"redact\" or {{ replace = \"...\" }}",
                            id.get_ref()
                        ),
                    )
                };
                let written = Written::deserialize(value.get_ref().clone()).map_err(|_| bad())?;
                let decision = match written {
                    Written::Word(word) if word == "keep" => Decision::Keep,
                    Written::Word(word) if word == "redact" => Decision::Redact,
                    Written::Word(_) => return Err(bad()),
                    Written::Replace(table) => Decision::Replace(table.replace),
                };
                decided.insert(id.into_inner(), decision);
            }
            by_label.insert(label.into_inner(), decided);
        }
        Ok(Decisions { by_label })
    }

    /// The decisions on one packet's flags, by flag id.
    pub fn of(&self, label: &str) -> Option<&BTreeMap<String, Decision>> {
        self.by_label.get(label)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Decisions, DecisionError> {
        Decisions::parse("decisions.toml", text, &|label| label == "7K3QXM2A")
    }

    #[test]
    fn keep_redact_and_replace() {
        let decisions =
            parse("[7K3QXM2A]\naaaa = \"keep\"\nbbbb = \"redact\"\ncccc = { replace = \"a relative\" }\n").unwrap();
        let of = decisions.of("7K3QXM2A").unwrap();
        assert_eq!(of["aaaa"], Decision::Keep);
        assert_eq!(of["bbbb"], Decision::Redact);
        assert_eq!(of["cccc"], Decision::Replace("a relative".into()));
        assert!(decisions.of("OTHER").is_none());
    }

    #[test]
    fn mistakes_name_the_file_and_line() {
        let cases = [
            (
                "[7K3QXM2A]\naaaa = \"kept\"\n",
                "decisions.toml:2: flag aaaa: write \"keep\", \"redact\" or { replace = \"...\" }",
            ),
            (
                "[7K3QXM2A]\naaaa = { replace = \"x\", why = \"y\" }\n",
                "decisions.toml:2: flag aaaa: write \"keep\", \"redact\" or { replace = \"...\" }",
            ),
            (
                "\n[NOPE]\naaaa = \"keep\"\n",
                "decisions.toml:2: `NOPE` is not the label of a packet of this private folder (labels are in review.md)",
            ),
            (
                "[7K3QXM2A]\naaaa = \n",
                "decisions.toml:2: string values must be quoted, expected literal string",
            ),
        ];
        for (text, want) in cases {
            let got = parse(text).map(|_| ()).unwrap_err().to_string();
            assert_eq!(got, want, "{text:?}");
        }
    }
}
