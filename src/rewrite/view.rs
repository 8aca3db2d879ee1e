//! The views of a text the automata search, and the way back to the text's own offsets.
//!
//! - `base`: the text lowercased, and accent-folded when it is not ASCII ("José" -> "jose").
//!   Names are matched here.
//! - `skeleton`: `base` with every byte that cannot be part of a word turned into a space,
//!   after one leading space. Word rules are compiled as `" " + word`, so the automaton only
//!   ever reports candidates where a word starts ("he" is never found inside "the"); each
//!   candidate is then checked against the text itself.

use std::ops::Range;

use crate::fold::Folded;

pub(crate) struct View {
    /// The lowercased text when it is ASCII; otherwise `folded` holds the base.
    lower: String,
    folded: Option<Folded>,
    pub skeleton: Vec<u8>,
}

/// The skeleton byte of a lowercase ASCII byte. `#` and `@` stay: "#he" is a tag and "@he" a
/// handle, neither a word to rewrite.
fn skeleton_byte(b: u8) -> u8 {
    if b.is_ascii_alphanumeric() || matches!(b, b'_' | b'#' | b'@') {
        b
    } else {
        b' '
    }
}

/// The skeleton of a rule's word or phrase, without the leading space: "ex-wife" -> "ex wife",
/// "mr." -> "mr".
pub(crate) fn skeleton_of(phrase: &str) -> String {
    let bytes: Vec<u8> = phrase.bytes().map(|b| skeleton_byte(b.to_ascii_lowercase())).collect();
    String::from_utf8_lossy(&bytes).trim_end().to_string()
}

impl View {
    pub fn new(text: &str, want_skeleton: bool) -> View {
        let (lower, folded) = if text.is_ascii() {
            (text.to_ascii_lowercase(), None)
        } else {
            (String::new(), Some(Folded::new(text)))
        };
        let mut view = View {
            lower,
            folded,
            skeleton: Vec::new(),
        };
        if want_skeleton {
            let base = view.base().as_bytes();
            let mut skeleton = Vec::with_capacity(base.len() + 1);
            skeleton.push(b' ');
            skeleton.extend(base.iter().map(|&b| skeleton_byte(b)));
            // Word rules are English: another script's letters, transliterated for names
            // ("ヘ" -> "he"), are no words of theirs.
            for range in view.folded.iter().flat_map(|f| &f.foreign) {
                skeleton[range.start + 1..range.end + 1].fill(b' ');
            }
            view.skeleton = skeleton;
        }
        view
    }

    /// The lowercase (and, for non-ASCII text, accent-folded) text names are matched in.
    pub fn base(&self) -> &str {
        self.folded.as_ref().map_or(&self.lower, |f| &f.text)
    }

    /// The span of the text that `base[start..end]` came from, unless it cuts a character.
    pub fn original(&self, start: usize, end: usize) -> Option<Range<usize>> {
        match &self.folded {
            None => Some(start..end),
            Some(folded) => folded.original_span(start, end),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skeletons_keep_words_and_sigils() {
        let view = View::new("He said: “she’s #1 @kv”, Mr. O'Neil.", true);
        assert_eq!(
            String::from_utf8(view.skeleton).unwrap(),
            " he said   she s #1 @kv   mr  o neil "
        );
        assert_eq!(skeleton_of("Ex-Wife"), "ex wife");
        assert_eq!(skeleton_of("mr."), "mr");
    }

    #[test]
    fn other_scripts_are_no_english_words() {
        let view = View::new("ヘ Ше José", true);
        assert_eq!(view.base(), "he she jose");
        assert_eq!(String::from_utf8(view.skeleton).unwrap().trim(), "jose");
    }

    #[test]
    fn maps_folded_offsets_back() {
        let text = "Zoë said he";
        let view = View::new(text, true);
        assert_eq!(view.base(), "zoe said he");
        let start = view.base().find("he").unwrap();
        assert_eq!(&text[view.original(start, start + 2).unwrap()], "he");
    }
}
