//! Case restoration: a replacement takes the case pattern of the word it replaces.

/// The case pattern of a word as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Case {
    Lower,
    /// First letter capital, the rest not all capitals: "She", "McKay".
    Title,
    /// Two or more letters, all capitals: "SHE". A lone capital ("I", "A") is Title.
    Upper,
}

pub fn case_of(word: &str) -> Case {
    let mut letters = word.chars().filter(|c| c.is_alphabetic());
    let Some(first) = letters.next() else {
        return Case::Lower;
    };
    if !first.is_uppercase() {
        return Case::Lower;
    }
    let mut rest = letters.peekable();
    if rest.peek().is_none() {
        return Case::Title;
    }
    if rest.all(char::is_uppercase) {
        Case::Upper
    } else {
        Case::Title
    }
}

/// `replacement` (written in lowercase) in the given case pattern.
pub fn apply_case(replacement: &str, case: Case) -> String {
    match case {
        Case::Lower => replacement.to_string(),
        Case::Upper => replacement.to_uppercase(),
        Case::Title => {
            let mut chars = replacement.chars();
            match chars.next() {
                Some(first) => first.to_uppercase().chain(chars).collect(),
                None => String::new(),
            }
        }
    }
}

/// `replacement` in the case of `original`.
pub fn restore_case(original: &str, replacement: &str) -> String {
    apply_case(replacement, case_of(original))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn restores_case_from_table() {
        let table = [
            ("she", "they", "they"),
            ("She", "they", "They"),
            ("SHE", "they", "THEY"),
            ("HE'S", "they're", "THEY'RE"),
            ("He’s", "they’ve", "They’ve"),
            ("Wife", "spouse", "Spouse"),
            ("WIVES", "spouses", "SPOUSES"),
            ("I", "they", "They"),
            ("hIS", "their", "their"),
            ("McKay", "the candidate", "The candidate"),
            ("Maternity leave", "parental leave", "Parental leave"),
            ("Ärger", "ärger", "Ärger"),
            ("", "x", "x"),
            ("42", "x", "x"),
        ];
        for (original, replacement, expected) in table {
            assert_eq!(
                restore_case(original, replacement),
                expected,
                "{original} -> {replacement}"
            );
        }
    }
}
