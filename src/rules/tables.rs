//! The compiled tables of a rule set: what the builder makes of the rule files and the
//! engine reads, shared read-only by every worker.

use std::sync::Arc;

use rustc_hash::{FxHashMap, FxHashSet};

use super::pattern::Pattern;

/// The longest word, in bytes, a lookup reads: the engine lowercases each word of a text into
/// a buffer this long, so a listed word longer than this could never match. Loading refuses
/// one rather than let it do nothing.
pub const MAX_WORD_BYTES: usize = 48;

pub type WordSet = FxHashSet<Box<str>>;

/// Words around which a note may say what someone is called ("X is his nickname", "goes
/// by", "pronounced", "call her"), besides `nickname_verbs`: the name scan asks of every
/// word whether it is one, through `NameConfig::cue_filter` first.
pub const NAME_CUES: [&str; 14] = [
    "as",
    "call",
    "called",
    "calls",
    "from",
    "full",
    "in",
    "is",
    "it",
    "legal",
    "name",
    "on",
    "per",
    "pronounced",
];

/// A set of words by their shape (length, first and last byte) in 1,024 bits: a word whose
/// shape is not in it is surely none of them, at the cost of a few instructions, which a
/// scan of every word of a note can pay where a hash could not. A word that passes may
/// still be none: compare it.
#[derive(Debug, Clone, Default)]
pub struct ShapeFilter([u64; 16]);

impl ShapeFilter {
    pub fn new<'w>(words: impl IntoIterator<Item = &'w str>) -> ShapeFilter {
        let mut bits = [0u64; 16];
        for w in words {
            let h = Self::shape(w.as_bytes());
            bits[h >> 6] |= 1 << (h & 63);
        }
        ShapeFilter(bits)
    }

    fn shape(word: &[u8]) -> usize {
        match (word.first(), word.last()) {
            (Some(&first), Some(&last)) => (usize::from(first) * 31 + usize::from(last) * 7 + word.len() * 131) & 1023,
            _ => 0,
        }
    }

    pub fn may_hold(&self, word: &[u8]) -> bool {
        let h = Self::shape(word);
        self.0[h >> 6] & (1 << (h & 63)) != 0
    }
}
pub type WordMap = FxHashMap<Box<str>, Box<str>>;

/// Pronoun rules whose grammar the engine implements; a pronoun rule file may hold only these.
pub const PRONOUN_RULES: [&str; 8] = [
    "pronouns.agreement",
    "pronouns.contraction",
    "pronouns.object",
    "pronouns.pair",
    "pronouns.possessive",
    "pronouns.question",
    "pronouns.reflexive",
    "pronouns.subject",
];

/// Name rules the engine implements, one per kind of name variant.
pub const NAME_RULES: [&str; 8] = [
    "names.ambiguous",
    "names.email",
    "names.full",
    "names.handle",
    "names.nickname",
    "names.part",
    "names.proper-name",
    "names.restated",
];

/// Rule ids of the pronoun grammar; `None` when the rule file leaves the rule out.
#[derive(Debug)]
pub(crate) struct PronounRuleIds {
    pub agreement: Option<Arc<str>>,
    pub contraction: Option<Arc<str>>,
    pub object: Option<Arc<str>>,
    pub pair: Option<Arc<str>>,
    pub possessive: Option<Arc<str>>,
    pub question: Option<Arc<str>>,
    pub reflexive: Option<Arc<str>>,
    pub subject: Option<Arc<str>>,
}

#[derive(Debug)]
pub(crate) struct PronounConfig {
    pub ids: PronounRuleIds,
    pub reflexive: String,
    pub agreement: WordMap,
    /// Every closed-class word and the lists (`class::*` bits) it is in.
    pub classes: FxHashMap<Box<str>, u32>,
    /// The length in bytes of the longest word of `classes` as a text may write it (’ for '):
    /// longer words need no lookup.
    pub longest: usize,
    /// The `[cues]` of pronouns.toml, each read by one decision of the grammar.
    pub has_after: WordSet,
    pub predicate_joiners: WordSet,
    pub comparatives: WordSet,
    pub reflexives: WordSet,
    pub intensifiers: WordSet,
    pub ing_objects: WordSet,
    pub ordinal_times: WordSet,
    pub time_nouns: WordSet,
    pub hedges: WordSet,
}

#[derive(Debug)]
pub(crate) struct NameRuleIds {
    pub ambiguous: Option<Arc<str>>,
    pub email: Option<Arc<str>>,
    pub full: Option<Arc<str>>,
    pub handle: Option<Arc<str>>,
    pub nickname: Option<Arc<str>>,
    pub part: Option<Arc<str>>,
    pub proper_name: Option<Arc<str>>,
    pub restated: Option<Arc<str>>,
}

/// An idiom, as words, and the place in it of the word it is filed under.
pub(crate) type IdiomPlace = (Vec<Box<str>>, usize);

#[derive(Debug)]
pub(crate) struct NameConfig {
    pub ids: NameRuleIds,
    pub candidate: String,
    pub other_candidate: String,
    pub email: String,
    pub interviewer: String,
    pub other_interviewer: String,
    pub proper_name: String,
    pub nickname: String,
    pub titles: WordSet,
    pub particles: WordSet,
    pub suffixes: WordSet,
    /// The length of the longest title, particle or suffix: a longer word (most name
    /// parts) is none of them, without hashing it.
    pub affix_longest: usize,
    pub proper_words: WordSet,
    pub months: WordSet,
    pub date_words: WordSet,
    pub range_words: WordSet,
    pub range_ends: WordSet,
    pub date_nouns: WordSet,
    pub tool_cues: WordSet,
    pub skill_words: WordSet,
    pub skill_prepositions: WordSet,
    pub tool_nouns: WordSet,
    pub tools: WordSet,
    pub restating: WordSet,
    pub absorbed: WordSet,
    pub greetings: WordSet,
    pub naming_nouns: WordSet,
    pub before_person: WordSet,
    pub imperative_openers: WordSet,
    pub quantity_nouns: WordSet,
    pub words_too: WordSet,
    pub clause_verbs: WordSet,
    pub naming_verbs: WordSet,
    pub nickname_verbs: WordSet,
    /// The same words as a list, sorted: the scan compares many short words with these,
    /// which costs less than iterating or hashing the set.
    pub nickname_verb_list: Vec<Box<str>>,
    /// The cue words of the name scan and `nickname_verbs`, by their shape.
    pub cue_filter: ShapeFilter,
    pub signing_verbs: WordSet,
    pub name_kinds: WordSet,
    pub colleague_marks: WordSet,
    pub versus_words: WordSet,
    pub plural_prepositions: WordSet,
    pub thing_predicates: WordSet,
    pub thing_nouns: WordSet,
    pub acronyms: WordSet,
    pub clipped_prefixes: WordSet,
    pub verdicts: WordSet,
    pub interview_nouns: WordSet,
    /// Word of an idiom -> each idiom it is in.
    pub idioms: FxHashMap<Box<str>, Vec<IdiomPlace>>,
    pub adverbial_nouns: WordSet,
    pub split_prefixes: Vec<Box<str>>,
}

#[derive(Debug)]
pub(crate) struct TermEntry {
    pub rule: Arc<str>,
    pub replacement: String,
    pub not_before: WordSet,
    pub not_after: WordSet,
    pub before_name: bool,
    pub before_word: bool,
}

#[derive(Debug)]
pub(crate) struct TermConfig {
    /// lowercase word or phrase -> what replaces it, sorted by word.
    pub entries: Vec<(String, TermEntry)>,
    pub an_before: Vec<String>,
    pub a_before: Vec<String>,
}

#[derive(Debug)]
pub(crate) struct ContactConfig {
    pub email: Option<(Arc<str>, String)>,
    pub url: Option<(Arc<str>, String)>,
    pub phone: Option<(Arc<str>, String)>,
    pub handle: Option<(Arc<str>, String)>,
    pub profile_domains: Vec<String>,
    pub link_tlds: WordSet,
}

#[derive(Debug)]
pub(crate) struct FlagPattern {
    pub rule: Arc<str>,
    pub pattern: Pattern,
}

#[derive(Debug)]
pub(crate) struct FlagConfig {
    pub patterns: Vec<FlagPattern>,
    pub number_words: WordSet,
    pub decade_words: WordSet,
}

#[derive(Debug)]
pub(crate) struct VerbForm {
    pub base: Box<str>,
    pub kind: VerbKind,
}

/// How often a verb's third-person form ("tests", "trees") is rather a plural noun.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum VerbKind {
    /// Mostly a noun: "trees", "names".
    MostlyNoun,
    /// Either: "tests", "struggles" is as often a noun.
    Either,
    /// Hardly ever a noun: "adjusts", "laughs".
    MostlyVerb,
}

/// Facts about English words, derived from public word databases (see rules/lexicon/).
#[derive(Debug)]
pub(crate) struct Lexicon {
    pub third_person: FxHashMap<Box<str>, VerbForm>,
    pub bases: WordSet,
    pub past: WordSet,
    /// past participle -> also used as an adjective.
    pub participles: FxHashMap<Box<str>, bool>,
    /// Words a name may also be: "will", "grace", "mark".
    pub common_words: WordSet,
    /// Adverbs in -ly ("quickly"); "family" ends in -ly too.
    pub ly_adverbs: WordSet,
    /// Words mostly used as adjectives ("calm", "ready").
    pub adjectives: WordSet,
    /// Both directions: formal name -> nicknames and nickname -> formal names.
    pub nicknames: FxHashMap<Box<str>, Vec<Box<str>>>,
    pub proper_names: ProperNames,
    /// Every word a name may also be (common words, proper words, months): most name
    /// forms are none, and are told so without three lookups.
    pub name_words: WordFilter,
}

/// A Bloom filter of words: no false negatives, a few percent false positives. Blocked: a
/// word's bits all sit in one 64-bit word, so a lookup costs one memory access, which is
/// most of its cost in a filter of a few hundred kilobytes.
#[derive(Debug, Default)]
pub(crate) struct WordFilter {
    bits: Vec<u64>,
}

impl NameConfig {
    /// "mr", "prof", "jr", "phd": a word dropped from a name before matching.
    pub fn is_title_or_suffix(&self, word: &str) -> bool {
        word.len() <= self.affix_longest && (self.titles.contains(word) || self.suffixes.contains(word))
    }

    /// "van", "de", "al": a particle of a name.
    pub fn is_particle(&self, word: &str) -> bool {
        word.len() <= self.affix_longest && self.particles.contains(word)
    }
}

impl WordFilter {
    pub fn new<'a>(words: impl Iterator<Item = &'a str> + Clone) -> WordFilter {
        // 16 bits a word, rounded up to a power of two blocks.
        let blocks = (words.clone().count() / 4).next_power_of_two().max(1);
        let mut filter = WordFilter { bits: vec![0; blocks] };
        for word in words {
            let (block, mask) = filter.slot(word);
            filter.bits[block] |= mask;
        }
        filter
    }

    /// The word's block, and its three bits in that block.
    fn slot(&self, word: &str) -> (usize, u64) {
        use std::hash::BuildHasher;
        let hash = rustc_hash::FxBuildHasher.hash_one(word.as_bytes());
        let block = hash as usize & (self.bits.len() - 1);
        let mask = (1 << ((hash >> 46) & 63)) | (1 << ((hash >> 52) & 63)) | (1 << ((hash >> 58) & 63));
        (block, mask)
    }

    /// Could `word` be one of the words? Always, for an empty filter.
    pub fn may_contain(&self, word: &str) -> bool {
        if self.bits.is_empty() {
            return true;
        }
        let (block, mask) = self.slot(word);
        self.bits[block] & mask == mask
    }
}

/// Proper names a person's name part may be a word of (lexicon/proper-names.toml).
#[derive(Debug, Default)]
pub(crate) struct ProperNames {
    /// A word -> the famous names and organisations of two or more words it is in, as
    /// folded words ("ada lovelace" -> ["ada", "lovelace"]).
    pub phrases: FxHashMap<Box<str>, Vec<Vec<Box<str>>>>,
    pub regions: WordSet,
    pub institutions: WordSet,
}

#[cfg(test)]
mod word_filter_tests {
    use super::WordFilter;

    #[test]
    fn holds_every_word_and_few_others() {
        let words: Vec<String> = (0..5000).map(|i| format!("word{i}")).collect();
        let filter = WordFilter::new(words.iter().map(String::as_str));
        assert!(words.iter().all(|w| filter.may_contain(w)));
        let others = (0..5000).filter(|i| filter.may_contain(&format!("other{i}"))).count();
        assert!(others < 150, "{others} of 5000 false positives");
        assert!(WordFilter::default().may_contain("anything"));
    }
}
