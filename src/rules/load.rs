//! Parse one rule file into its schema, turning TOML errors into `file:line: rule <id>: ...`.

use std::fmt;
use std::ops::Range;

use serde::de::DeserializeOwned;
use toml::de::{DeTable, DeValue};

/// One problem in a rule file, located as precisely as the file allows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleError {
    pub file: String,
    pub line: Option<usize>,
    pub rule: Option<String>,
    pub message: String,
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if let Some(rule) = &self.rule {
            write!(f, ": rule {rule}")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for RuleError {}

/// Every problem found in a rule set; loading reports them all at once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleErrors(pub Vec<RuleError>);

impl fmt::Display for RuleErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, error) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{error}")?;
        }
        Ok(())
    }
}

impl std::error::Error for RuleErrors {}

/// 1-based line of a byte offset.
pub fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    1 + memchr::memchr_iter(b'\n', &text.as_bytes()[..end]).count()
}

/// Deserialize a whole rule file; on error, name the line and the rule around it.
pub fn parse<T: DeserializeOwned>(file: &str, text: &str) -> Result<T, RuleError> {
    toml::from_str(text).map_err(|err| {
        let span = err.span();
        RuleError {
            file: file.to_string(),
            line: span.as_ref().map(|s| line_of(text, s.start)),
            rule: span.and_then(|s| rule_id_around(text, s)),
            message: err.message().trim().to_string(),
        }
    })
}

/// The `id` of the `[[rule]]` table that holds `span`, if the file parses that far: the
/// nearest table header (or top-level key) before the error, when it is a rule's.
fn rule_id_around(text: &str, span: Range<usize>) -> Option<String> {
    let table = DeTable::parse(text).ok()?;
    let mut nearest: Option<(usize, Option<String>)> = None;
    let mut consider = |start: usize, id: Option<String>| {
        if start <= span.start && nearest.as_ref().is_none_or(|(s, _)| start > *s) {
            nearest = Some((start, id));
        }
    };
    for (key, value) in table.get_ref().iter() {
        match value.get_ref() {
            DeValue::Array(items) if key.get_ref() == "rule" => {
                for item in items.iter() {
                    let id = match item.get_ref() {
                        DeValue::Table(fields) => fields
                            .get("id")
                            .and_then(|id| id.get_ref().as_str().map(str::to_string)),
                        _ => None,
                    };
                    consider(item.span().start, id);
                }
            }
            _ => consider(key.span().start.min(value.span().start), None),
        }
    }
    nearest.and_then(|(_, id)| id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct File {
        rule: Vec<Rule>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Rule {
        id: String,
        note: String,
    }

    #[test]
    fn unknown_key_names_file_line_and_rule() {
        let text = "[[rule]]\nid = \"terms.a\"\nnote = \"x\"\n\n[[rule]]\nid = \"terms.b\"\nnote = \"y\"\nwordz = 1\n";
        let err = parse::<File>("terms.toml", text).unwrap_err();
        assert_eq!(
            err.to_string(),
            "terms.toml:8: rule terms.b: unknown field `wordz`, expected `id` or `note`"
        );
    }

    #[test]
    fn syntax_error_names_file_and_line() {
        let err = parse::<File>("terms.toml", "[[rule]]\nid = \"terms.a\nnote = 1\n").unwrap_err();
        assert_eq!(err.file, "terms.toml");
        assert_eq!(err.line, Some(2));
        assert_eq!(err.rule, None);
    }
}
