//! Accent folding for name matching: "José Núñez", "Jose\u{301}" and "JOSE NUNEZ" all fold to
//! "jose nunez", with a map from folded offsets back to the original text.
//!
//! Folding goes through `deunicode`, which transliterates per character (é -> e, ø -> o,
//! ß -> ss, combining marks -> nothing), so NFC and NFD spellings of a name fold alike.

/// Fold a name or a piece of text to lowercase ASCII.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        push_folded(c, &mut out);
    }
    out
}

fn push_folded(c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
    } else if c == '\u{2019}' || c == '\u{2018}' {
        out.push('\'');
    } else if let Some(ascii) = deunicode::deunicode_char(c) {
        // deunicode spells symbols out ("😂" -> "joy"); only letters may fold to letters,
        // or an emoji could match a candidate called Joy.
        if c.is_alphabetic() || !ascii.bytes().any(|b| b.is_ascii_alphanumeric()) {
            out.extend(ascii.chars().map(|a| a.to_ascii_lowercase()));
        } else {
            out.push(' ');
        }
    } else {
        out.push(' ');
    }
}

/// A folded copy of a text and where each of its bytes came from.
#[derive(Debug, Default)]
pub struct Folded {
    pub text: String,
    /// `origin[i]` is the offset in the original text of the character that produced folded
    /// byte `i`; one extra entry maps the end.
    origin: Vec<u32>,
    /// `boundary[i]`: folded byte `i` starts the expansion of an original character.
    boundary: Vec<bool>,
}

impl Folded {
    pub fn new(original: &str) -> Folded {
        let mut folded = Folded {
            text: String::with_capacity(original.len() + 16),
            origin: Vec::with_capacity(original.len() + 17),
            boundary: Vec::with_capacity(original.len() + 17),
        };
        for (offset, c) in original.char_indices() {
            let before = folded.text.len();
            push_folded(c, &mut folded.text);
            for i in before..folded.text.len() {
                folded.origin.push(offset as u32);
                folded.boundary.push(i == before);
            }
        }
        folded.origin.push(original.len() as u32);
        folded.boundary.push(true);
        folded
    }

    /// The original span of a folded span, if both ends fall between original characters.
    /// A match that would cut through one character's expansion ("ae" of "æ") is no match.
    pub fn original_span(&self, start: usize, end: usize) -> Option<std::ops::Range<usize>> {
        if !self.boundary[start] || !self.boundary[end] {
            return None;
        }
        Some(self.origin[start] as usize..self.origin[end] as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_accents_case_and_decomposed_marks() {
        assert_eq!(fold("José Álvarez-Núñez"), "jose alvarez-nunez");
        assert_eq!(fold("Jose\u{301}"), "jose");
        assert_eq!(fold("Søren Łukasz Straße"), "soren lukasz strasse");
        assert_eq!(fold("O’Connell"), "o'connell");
        assert_eq!(fold("Joy😂joy"), "joy joy");
    }

    #[test]
    fn maps_folded_spans_back() {
        let original = "Dr. Núñez-Søren and Æsa";
        let folded = Folded::new(original);
        assert_eq!(folded.text, "dr. nunez-soren and aesa");
        let start = folded.text.find("nunez").unwrap();
        let span = folded.original_span(start, start + 5).unwrap();
        assert_eq!(&original[span], "Núñez");
        let start = folded.text.find("soren").unwrap();
        let span = folded.original_span(start, start + 5).unwrap();
        assert_eq!(&original[span], "Søren");
        let start = folded.text.find("aesa").unwrap();
        assert_eq!(&original[folded.original_span(start, start + 4).unwrap()], "Æsa");
        // "esa" would cut through Æ's expansion.
        assert_eq!(folded.original_span(start + 1, start + 4), None);
    }
}
