//! Closed-class word lists of pronouns.toml, as bits: one lookup tells every list a word is in.

pub const ADVERB: u32 = 1 << 0;
pub const DETERMINER: u32 = 1 << 1;
pub const OBJECT_PRONOUN: u32 = 1 << 2;
pub const PREPOSITION: u32 = 1 << 3;
pub const PARTICLE: u32 = 1 << 4;
pub const CONJUNCTION: u32 = 1 << 5;
pub const COORDINATOR: u32 = 1 << 6;
pub const TIME_WORD: u32 = 1 << 7;
pub const PREDICATIVE: u32 = 1 << 8;
pub const NOUN_MODIFIER: u32 = 1 << 9;
pub const CAUSATIVE: u32 = 1 << 10;
pub const PERCEPTION: u32 = 1 << 11;
pub const AUXILIARY: u32 = 1 << 12;
pub const WH_WORD: u32 = 1 << 13;
pub const SUBJECT_PRONOUN: u32 = 1 << 14;
pub const CLAUSE_OPENER: u32 = 1 << 15;
pub const ABBREVIATION: u32 = 1 << 16;
/// A key of the agreement table: "is", "has", "doesn't".
pub const AGREEMENT: u32 = 1 << 17;
pub const COMPLEMENT: u32 = 1 << 18;
pub const INVERTER: u32 = 1 << 19;
pub const DITRANSITIVE: u32 = 1 << 20;
pub const OBJECT_INFINITIVE: u32 = 1 << 21;
pub const QUANTIFIER: u32 = 1 << 22;
pub const MASS_NOUN: u32 = 1 << 23;
pub const AFTER_OBJECT: u32 = 1 << 24;
pub const SECOND_OBJECT: u32 = 1 << 25;
pub const FOCUS_ADVERB: u32 = 1 << 26;
/// Verbs after which "her" may be a person object with something after it.
pub const TAKES_PERSON: u32 = CAUSATIVE | PERCEPTION | COMPLEMENT | DITRANSITIVE | OBJECT_INFINITIVE;
/// Lists of open-class words (verbs, nouns): a word in only these is still a content word.
pub const OPEN: u32 = DITRANSITIVE | OBJECT_INFINITIVE | MASS_NOUN;
