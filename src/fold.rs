//! Accent folding for name matching: "José Núñez", "Jose\u{301}" and "JOSE NUNEZ" all fold to
//! "jose nunez", with a map from folded offsets back to the original text. A leaf: the rule
//! set folds the names of its lexicons and the engine folds the text, so both must fold
//! alike, and neither owns it.
//!
//! Folding goes through `deunicode`, which transliterates per character (é -> e, ø -> o,
//! ß -> ss, combining marks -> nothing), so NFC and NFD spellings of a name fold alike.

/// Fold a name or a piece of text to lowercase ASCII.
pub fn fold(text: &str) -> String {
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        push_folded(c, &mut out);
    }
    out
}

fn push_folded(c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
    } else if is_invisible(c) {
        // Nothing: "Pri\u{200b}ya" is "Priya" to a reader.
    } else if matches!(c, '\u{2019}' | '\u{2018}' | '\u{2bb}' | '\u{2bc}') {
        // Curly quotes, and the ʻokina and modifier apostrophe that Hawaiian and other names
        // are written with ("Keʻalohilani", which forms drop: "Kealohilani").
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

/// Characters that show nothing: zero-width spaces and joiners, the soft hyphen, the
/// byte-order mark, the word joiner.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{ad}' | '\u{200b}'..='\u{200f}' | '\u{2060}'..='\u{2064}' | '\u{feff}')
}

/// A letter of a script other than Latin ("Д", "张", "ا"): such a word is matched as
/// written, not folded.
pub(crate) fn is_other_script(c: char) -> bool {
    c.is_alphabetic() && !c.is_ascii() && !is_latin(c)
}

/// Letters of the Latin script beyond ASCII: accented letters, ligatures, fullwidth forms.
fn is_latin(c: char) -> bool {
    matches!(c, '\u{c0}'..='\u{24f}' | '\u{1e00}'..='\u{1eff}' | '\u{fb00}'..='\u{fb06}' | '\u{ff21}'..='\u{ff5a}')
}

/// The words of a name or phrase as the scanner sees them: folded, split at anything but
/// letters, digits and an apostrophe inside a word ("dijkstra's algorithm", "bellman-ford").
pub fn name_words(phrase: &str) -> Vec<Box<str>> {
    let folded = fold(phrase);
    let mut words = Vec::new();
    let mut word = String::new();
    let chars: Vec<char> = folded.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let inner_apostrophe =
            c == '\'' && !word.is_empty() && chars.get(i + 1).is_some_and(|n| n.is_ascii_alphabetic());
        if c.is_ascii_alphanumeric() || inner_apostrophe {
            word.push(c);
        } else if !word.is_empty() {
            words.push(std::mem::take(&mut word).into_boxed_str());
        }
    }
    if !word.is_empty() {
        words.push(word.into_boxed_str());
    }
    words
}

/// A folded copy of a text and where its bytes came from. ASCII runs keep their length, so
/// only the non-ASCII characters are recorded: offsets map back by one binary search.
#[derive(Debug, Default)]
pub struct Folded {
    pub text: String,
    /// One entry per non-ASCII character: (folded start, folded end, original start,
    /// original end), in order.
    segments: Vec<(u32, u32, u32, u32)>,
    /// Folded ranges that transliterate letters of other scripts ("ヘ" -> "he").
    pub foreign: Vec<std::ops::Range<usize>>,
}

impl Folded {
    pub fn new(original: &str) -> Folded {
        let mut folded = Folded {
            text: String::with_capacity(original.len() + 16),
            segments: Vec::new(),
            foreign: Vec::new(),
        };
        let bytes = original.as_bytes();
        let mut pos = 0;
        while pos < bytes.len() {
            let run = bytes[pos..]
                .iter()
                .position(|b| !b.is_ascii())
                .unwrap_or(bytes.len() - pos);
            // ASCII is its own folding, lowercased.
            folded.text.push_str(&original[pos..pos + run].to_ascii_lowercase());
            pos += run;
            if let Some(c) = original[pos..].chars().next() {
                let start = folded.text.len();
                push_folded(c, &mut folded.text);
                let end = pos + c.len_utf8();
                folded
                    .segments
                    .push((start as u32, folded.text.len() as u32, pos as u32, end as u32));
                if c.is_alphabetic() && !is_latin(c) {
                    folded.foreign.push(start..folded.text.len());
                }
                pos = end;
            }
        }
        folded
    }

    /// The original offset of folded offset `at`, if `at` falls between original characters.
    fn original(&self, at: usize) -> Option<usize> {
        let at = at as u32;
        // The last segment that starts at or before `at`.
        let i = self.segments.partition_point(|s| s.0 <= at);
        let Some(&(fs, fe, os, oe)) = i.checked_sub(1).map(|i| &self.segments[i]) else {
            return Some(at as usize);
        };
        // A combining mark folds to nothing and belongs with the letter before it.
        if at >= fe {
            Some((oe + (at - fe)) as usize)
        } else if at == fs {
            Some(os as usize)
        } else {
            None // inside one character's expansion
        }
    }

    /// The original span of a folded span, if both ends fall between original characters.
    /// A match that would cut through one character's expansion ("ae" of "æ") is no match.
    pub fn original_span(&self, start: usize, end: usize) -> Option<std::ops::Range<usize>> {
        Some(self.original(start)?..self.original(end)?)
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
        let decomposed = "Jose\u{301} said";
        let folded = Folded::new(decomposed);
        assert_eq!(&decomposed[folded.original_span(0, 4).unwrap()], "Jose\u{301}");
    }
}
