//! Token patterns of flag rules: `{num} years old`, `class of {year}`, `in her|his {decade}`.

use std::fmt;

/// One position of a pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Element {
    /// One of these lowercase words (a single word unless written `a|b`).
    Words(Vec<String>),
    /// A punctuation character, such as the hyphens of `{num}-year-old`.
    Punct(char),
    /// Digits (1 to 3 of them) or a number word.
    Num,
    /// A year: 1900 to 2099, or an apostrophe and two digits ('09).
    Year,
    /// A decade of life: 20s, 30's, twenties...
    Decade,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    pub elements: Vec<Element>,
    /// Index of the first `Words` element: the words the scanner looks for.
    pub anchor: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternError(pub String);

impl fmt::Display for PatternError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Pattern {
    pub fn parse(source: &str) -> Result<Pattern, PatternError> {
        let mut elements = Vec::new();
        let mut chars = source.char_indices().peekable();
        while let Some(&(start, c)) = chars.peek() {
            if c.is_whitespace() {
                chars.next();
            } else if c == '{' {
                let end = source[start..]
                    .find('}')
                    .map(|i| start + i)
                    .ok_or_else(|| PatternError(format!("pattern `{source}`: `{{` is not closed")))?;
                elements.push(match &source[start + 1..end] {
                    "num" => Element::Num,
                    "year" => Element::Year,
                    "decade" => Element::Decade,
                    other => {
                        return Err(PatternError(format!(
                            "pattern `{source}`: unknown placeholder `{{{other}}}` (expected {{num}}, {{year}} or {{decade}})"
                        )));
                    }
                });
                while chars.next_if(|&(i, _)| i <= end).is_some() {}
            } else if c.is_alphanumeric() || c == '\'' {
                let mut end = start;
                while let Some(&(i, c)) = chars.peek() {
                    if c.is_alphanumeric() || c == '\'' || c == '|' {
                        end = i + c.len_utf8();
                        chars.next();
                    } else {
                        break;
                    }
                }
                let word = &source[start..end];
                if word != word.to_lowercase() {
                    return Err(PatternError(format!(
                        "pattern `{source}`: `{word}` must be lowercase (matching ignores case)"
                    )));
                }
                let words: Vec<String> = word.split('|').map(str::to_string).collect();
                if words.iter().any(String::is_empty) {
                    return Err(PatternError(format!(
                        "pattern `{source}`: empty alternative in `{word}`"
                    )));
                }
                elements.push(Element::Words(words));
            } else {
                elements.push(Element::Punct(c));
                chars.next();
            }
        }
        // The scanner looks for the anchor's words, so anchor on the rarest: the element
        // whose shortest choice is longest ("early|mid|late" rather than "in").
        let anchor = elements
            .iter()
            .enumerate()
            .filter_map(|(i, e)| match e {
                Element::Words(words) => Some((i, words.iter().map(String::len).min().unwrap_or(0))),
                _ => None,
            })
            .max_by_key(|&(i, shortest)| (shortest, std::cmp::Reverse(i)))
            .map(|(i, _)| i)
            .ok_or_else(|| PatternError(format!("pattern `{source}` has no literal word to look for")))?;
        Ok(Pattern { elements, anchor })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_placeholders_words_and_punctuation() {
        let p = Pattern::parse("{num}-year-old").unwrap();
        assert_eq!(
            p.elements,
            vec![
                Element::Num,
                Element::Punct('-'),
                Element::Words(vec!["year".into()]),
                Element::Punct('-'),
                Element::Words(vec!["old".into()]),
            ]
        );
        assert_eq!(p.anchor, 2);
        let p = Pattern::parse("in his|her {decade}").unwrap();
        assert_eq!(p.anchor, 1, "anchored on the longer words, not on `in`");
        let p = Pattern::parse("in his|her|their {decade}").unwrap();
        assert_eq!(
            p.elements[1],
            Element::Words(vec!["his".into(), "her".into(), "their".into()])
        );
    }

    #[test]
    fn rejects_bad_patterns() {
        assert!(
            Pattern::parse("{age} old")
                .unwrap_err()
                .0
                .contains("unknown placeholder `{age}`")
        );
        assert!(Pattern::parse("{num}").unwrap_err().0.contains("no literal word"));
        assert!(Pattern::parse("Years old").unwrap_err().0.contains("lowercase"));
    }
}
