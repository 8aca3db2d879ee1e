//! Word classes the rewriter reasons with, read from the rule set's lexicons: is this word an
//! adverb, a finite verb, the start of an object? Lookups only; no allocation.

use super::case::restore_case;
use super::text::{self, Token, is_apostrophe, lower, next_token};
use crate::rules::{MAX_WORD_BYTES, RuleSet, VerbKind, class};

/// The rule set seen as a grammar of English.
#[derive(Clone, Copy)]
pub(crate) struct Grammar<'r> {
    pub rules: &'r RuleSet,
}

/// Look `word` up lowercased; words too long for any lexicon answer `false`.
fn is_in(word: &str, test: impl FnOnce(&str) -> bool) -> bool {
    let mut buf = [0u8; MAX_WORD_BYTES];
    lower(word, &mut buf).is_some_and(test)
}

impl<'r> Grammar<'r> {
    pub fn new(rules: &'r RuleSet) -> Self {
        Grammar { rules }
    }

    /// The closed-class lists (`class::*` bits) `word` is in; 0 for open-class words.
    pub fn classes(&self, word: &str) -> u32 {
        if word.len() > self.rules.pronouns.longest {
            return 0; // no listed word is longer
        }
        let mut buf = [0u8; MAX_WORD_BYTES];
        lower(word, &mut buf)
            .and_then(|w| self.rules.pronouns.classes.get(w))
            .copied()
            .unwrap_or(0)
    }

    /// The closed-class lists `word` is in: 0 for content words, even those the lists of
    /// verbs and nouns (`class::OPEN`) name.
    pub fn closed_classes(&self, word: &str) -> u32 {
        self.classes(word) & !class::OPEN
    }

    /// Is `word` in any of the lists of `mask`?
    pub fn is(&self, word: &str, mask: u32) -> bool {
        self.classes(word) & mask != 0
    }

    /// "always", "really", "quickly": may stand between a subject and its verb.
    pub fn is_adverb(&self, word: &str) -> bool {
        self.is(word, class::ADVERB) || is_in(word, |w| self.rules.lexicon.ly_adverbs.contains(w))
    }

    /// The next token after `pos` that is not an adverb.
    pub fn skip_adverbs<'t>(&self, text: &'t str, mut pos: usize) -> Option<Token<'t>> {
        loop {
            let token = next_token(text, pos)?;
            match token {
                Token::Word(ref span, w) if self.is_adverb(w) => pos = span.end,
                _ => return Some(token),
            }
        }
    }

    /// A verb form that shows a clause: "is", "was", "codes", "wrote", "can", "didn't".
    pub fn is_finite_verb(&self, word: &str) -> bool {
        let lex = &self.rules.lexicon;
        self.is_auxiliary(word)
            || is_in(word, |w| {
                lex.third_person.contains_key(w) || (lex.past.contains(w) && !lex.bases.contains(w))
            })
    }

    /// Finite and not also a past participle: "wrote" is finite for sure, "tested" may not be.
    pub fn is_surely_finite(&self, word: &str) -> bool {
        let lex = &self.rules.lexicon;
        self.is_auxiliary(word)
            || is_in(word, |w| {
                lex.third_person.contains_key(w)
                    || (lex.past.contains(w) && !lex.bases.contains(w) && !lex.participles.contains_key(w))
            })
    }

    /// A finite verb that starts a clause's predicate and cannot modify a noun: "of his
    /// referred him", "for her reached". Past forms used as adjectives ("his proposed
    /// design") and base forms ("his cut") are not.
    pub fn is_clause_verb(&self, word: &str) -> bool {
        let lex = &self.rules.lexicon;
        is_in(word, |w| {
            lex.past.contains(w) && !lex.bases.contains(w) && lex.participles.get(w) != Some(&true)
        })
    }

    /// "is", "was", "has", "doesn't": the forms the agreement table turns plural.
    pub fn is_agreement_form(&self, word: &str) -> bool {
        self.is(word, class::AGREEMENT)
    }

    /// "finish", "explain": a verb's base form.
    pub fn is_base(&self, word: &str) -> bool {
        is_in(word, |w| self.rules.lexicon.bases.contains(w))
    }

    pub fn is_past(&self, word: &str) -> bool {
        is_in(word, |w| self.rules.lexicon.past.contains(w))
    }

    /// "is", "has", "can", "did", "won't".
    pub fn is_auxiliary(&self, word: &str) -> bool {
        self.is(word, class::AUXILIARY | class::AGREEMENT)
    }

    /// Words that begin an object: "the", "a", "it", "them", "something", "two", or a number.
    pub fn starts_object(&self, word: &str) -> bool {
        word.starts_with(|c: char| c.is_ascii_digit())
            || self.is(word, class::DETERMINER | class::OBJECT_PRONOUN | class::QUANTIFIER)
    }

    /// A form of a verb the lexicon knows, -ing forms included: "use", "uses", "used", "using".
    pub fn is_verb_form(&self, word: &str) -> bool {
        let lex = &self.rules.lexicon;
        is_in(word, |w| {
            lex.bases.contains(w)
                || lex.third_person.contains_key(w)
                || lex.past.contains(w)
                || lex.participles.contains_key(w)
                // "testing", "using", "getting", "lying".
                || w.strip_suffix("ing").is_some_and(|stem| stem_of(stem, "ie", |base| lex.bases.contains(base)))
        })
    }

    pub fn is_adjective(&self, word: &str) -> bool {
        is_in(word, |w| self.rules.lexicon.adjectives.contains(w))
    }

    /// An adjective, or a participle used as one: "bad", "detailed".
    pub fn is_adjectival(&self, word: &str) -> bool {
        self.is_adjective(word) || is_in(word, |w| self.rules.lexicon.participles.get(w) == Some(&true))
    }

    /// The comparative of an adjective: "longer", "harder", "bigger", "easier", "nicer".
    pub fn is_comparative(&self, word: &str) -> bool {
        let adjectives = &self.rules.lexicon.adjectives;
        is_in(word, |w| {
            w.strip_suffix("er")
                .is_some_and(|stem| stem_of(stem, "y", |base| adjectives.contains(base)))
        })
    }

    /// A past participle: "written", "failed".
    pub fn is_participle(&self, word: &str) -> bool {
        is_in(word, |w| self.rules.lexicon.participles.contains_key(w))
    }

    /// Words that cannot continue a noun phrase after "her"/"his": "told her that", "his is".
    pub fn ends_noun_phrase(&self, word: &str) -> bool {
        const ENDS: u32 = class::DETERMINER
            | class::OBJECT_PRONOUN
            | class::AUXILIARY
            | class::AGREEMENT
            | class::PREPOSITION
            | class::PARTICLE
            | class::CONJUNCTION
            | class::COORDINATOR
            | class::TIME_WORD
            | class::PREDICATIVE
            | class::WH_WORD
            | class::ADVERB
            | class::SUBJECT_PRONOUN;
        let classes = self.classes(word);
        classes & class::NOUN_MODIFIER == 0 && (classes & ENDS != 0 || word.starts_with(|c: char| c.is_ascii_digit()))
    }

    /// The form of a third-person verb that agrees with "they", in the case it was written:
    /// "is" -> "are", "Codes" -> "Code", "doesn’t" -> "don’t". `guess` also de-inflects
    /// words the lexicon does not know ("refactors").
    pub fn plural_verb(&self, word: &str, guess: bool) -> Option<String> {
        let lex = &self.rules.lexicon;
        let mut buf = [0u8; MAX_WORD_BYTES];
        let w = lower(word, &mut buf)?;
        let plural = if let Some(p) = self.rules.pronouns.agreement.get(w) {
            p.to_string()
        } else if let Some(v) = lex.third_person.get(w) {
            v.base.to_string()
        } else if guess && self.looks_third_person(w) {
            de_inflect(w)
        } else {
            return None;
        };
        Some(with_apostrophe_of(word, restore_case(word, &plural)))
    }

    /// A word the lexicon does not know that reads like a third-person verb ("refactors").
    pub fn looks_third_person(&self, w: &str) -> bool {
        let lex = &self.rules.lexicon;
        w.len() >= 4
            && w.ends_with('s')
            && !w.ends_with("ss")
            && !w.ends_with("us")
            && !w.ends_with("is")
            && w.bytes().all(|b| b.is_ascii_lowercase())
            && !lex.common_words.contains(w)
            && !self.rules.pronouns.classes.contains_key(w)
    }

    /// If `word` is a third-person verb form: how likely it is a plural noun instead.
    pub fn third_person_kind(&self, word: &str) -> Option<VerbKind> {
        let mut buf = [0u8; MAX_WORD_BYTES];
        let w = lower(word, &mut buf)?;
        self.rules.lexicon.third_person.get(w).map(|v| v.kind)
    }

    pub fn word_in(&self, word: &str, set: &crate::rules::WordSet) -> bool {
        is_in(word, |w| set.contains(w))
    }

    pub fn is_sentence_start(&self, text: &str, pos: usize) -> bool {
        let abbreviations = |w: &str| self.is(w, class::ABBREVIATION);
        text::is_sentence_start(text, pos, &abbreviations)
    }
}

/// Is `stem`, what is left of a word without its suffix (-ing, -er), the stem of a word
/// `known` accepts: as it is ("test"), with its "e" back ("us" -> "use"), without a doubled
/// consonant ("gett" -> "get") or with `y_as` for a final "y"/"i" ("ly" -> "lie", "easi" -> "easy").
fn stem_of(stem: &str, y_as: &str, known: impl Fn(&str) -> bool) -> bool {
    let bytes = stem.as_bytes();
    if bytes.len() < 2 {
        return false;
    }
    let mut buf = [0u8; MAX_WORD_BYTES];
    let mut with = |cut: usize, suffix: &str| {
        let kept = &bytes[..bytes.len() - cut];
        let len = kept.len() + suffix.len();
        if len > buf.len() {
            return false;
        }
        buf[..kept.len()].copy_from_slice(kept);
        buf[kept.len()..len].copy_from_slice(suffix.as_bytes());
        std::str::from_utf8(&buf[..len]).is_ok_and(&known)
    };
    let last = bytes[bytes.len() - 1];
    let doubled = bytes.len() >= 3 && last == bytes[bytes.len() - 2];
    with(0, "") || with(0, "e") || (doubled && with(1, "")) || (matches!(last, b'y' | b'i') && with(1, y_as))
}

/// "don't" written with the apostrophe of "doesn’t".
pub(crate) fn with_apostrophe_of(original: &str, replacement: String) -> String {
    match original.chars().find(|c| is_apostrophe(*c)) {
        Some(a) if a != '\'' => replacement.replace('\'', &a.to_string()),
        _ => replacement,
    }
}

/// "tries" -> "try", "fixes" -> "fix", "codes" -> "code".
fn de_inflect(w: &str) -> String {
    if let Some(stem) = w.strip_suffix("ies") {
        return format!("{stem}y");
    }
    for suffix in ["sses", "shes", "ches", "xes", "zzes"] {
        if w.ends_with(suffix) {
            return w[..w.len() - 2].to_string();
        }
    }
    w[..w.len() - 1].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn de_inflects_unknown_verbs() {
        for (third, base) in [
            ("refactors", "refactor"),
            ("yeets", "yeet"),
            ("dockerizes", "dockerize"),
            ("tries", "try"),
            ("pushes", "push"),
        ] {
            assert_eq!(de_inflect(third), base);
        }
    }

    #[test]
    fn finds_stems() {
        let known = |w: &str| ["test", "use", "get", "lie", "easy", "big", "late"].contains(&w);
        for stem in ["test", "us", "gett", "ly", "easi", "bigg", "lat"] {
            let y_as = if stem.ends_with('i') { "y" } else { "ie" };
            assert!(stem_of(stem, y_as, known), "{stem}");
        }
        for stem in ["th", "numb", "x"] {
            assert!(!stem_of(stem, "ie", known), "{stem}");
        }
    }

    /// The minimal rule set of tests/fixtures, with `from` replaced by `to` in pronouns.toml.
    fn min_rules_with(from: &str, to: &str) -> RuleSet {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rules-min");
        let files: Vec<crate::rules::RuleFile> = crate::rules::RULE_FILES
            .iter()
            .map(|name| {
                let text = std::fs::read_to_string(dir.join(name)).unwrap();
                let text = if *name == "pronouns.toml" {
                    assert!(text.contains(from), "{from}");
                    text.replacen(from, to, 1)
                } else {
                    text
                };
                crate::rules::RuleFile {
                    name: name.to_string(),
                    display: name.to_string(),
                    text,
                }
            })
            .collect();
        RuleSet::from_files(&files).unwrap()
    }

    #[test]
    fn looks_up_the_longest_listed_word_however_its_apostrophe_is_written() {
        // "couldn't" is as long as the longest other word of the minimal set; written with
        // "’" it takes two bytes more, and must still be found.
        let rules = min_rules_with("auxiliaries = [\"can\"]", "auxiliaries = [\"can\", \"couldn't\"]");
        let g = Grammar::new(&rules);
        for written in ["couldn't", "Couldn’t", "COULDN'T"] {
            assert!(g.is(written, class::AUXILIARY), "{written}");
        }
        let rules = min_rules_with("adverbs = [\"always\"]", "adverbs = [\"always\", \"notwithstanding\"]");
        assert!(Grammar::new(&rules).is_adverb("Notwithstanding"));
    }

    #[test]
    fn keeps_typographic_apostrophes() {
        assert_eq!(with_apostrophe_of("doesn’t", "don't".into()), "don’t");
        assert_eq!(with_apostrophe_of("doesn't", "don't".into()), "don't");
    }
}
