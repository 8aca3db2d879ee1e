//! The closed-class word lists of pronouns.toml's `[words]`, defined once: each list's key
//! in the file, the field serde reads it into, the reason it exists and the bit the engine
//! tests. A word's bits are one lookup that tells every list it is in.

/// Declares the lists: `BIT = key`, each with the reason the list exists.
macro_rules! word_classes {
    ($($(#[doc = $reason:literal])+ $bit:ident = $key:ident,)+) => {
        /// A list's place among the bits; only its position matters.
        #[allow(non_camel_case_types, clippy::upper_case_acronyms)]
        enum Place {
            $($bit,)+
        }

        $($(#[doc = $reason])+ pub const $bit: u32 = 1 << Place::$bit as u32;)+

        /// How many lists `[words]` has; [`AGREEMENT`] takes the next bit.
        const LISTS: usize = [$(stringify!($key)),+].len();

        /// The `[words]` table of pronouns.toml: every list required, no other key allowed.
        #[derive(Debug, serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct WordLists {
            $($(#[doc = $reason])+ pub $key: Vec<String>,)+
        }

        impl WordLists {
            /// Each list with its key in the file and its bit.
            pub fn lists(&self) -> [(&'static str, &[String], u32); LISTS] {
                [$((stringify!($key), &self.$key, $bit)),+]
            }
        }
    };
}

word_classes! {
    /// May stand between a subject and its verb: "she always writes" -> "they always write".
    ADVERB = adverbs,
    /// Begin a noun phrase: after "her" they show an object ("gave her a hint" -> them).
    DETERMINER = determiners,
    /// Stand for a whole noun phrase: after "her" they show an object ("gave her something").
    OBJECT_PRONOUN = object_pronouns,
    /// Open a phrase of their own: "her" before one ends its noun phrase ("lent her to us").
    PREPOSITION = prepositions,
    /// Verb particles: "walked her through" -> them.
    PARTICLE = particles,
    /// Open a clause: a name-like word before one ends its phrase ("asked Will because").
    CONJUNCTION = conjunctions,
    /// Join verbs that share one subject: "fell behind and is anxious" -> "and are".
    COORDINATOR = coordinators,
    /// Pick out a noun as readily as a verb: after "and" they show no verb ("and mostly tests").
    FOCUS_ADVERB = focus_adverbs,
    /// Adverbs of time and place that end a phrase: "see her tomorrow" -> them.
    TIME_WORD = time_words,
    /// Adjectives that never come before a noun: "left her alone" -> them.
    PREDICATIVE = predicative,
    /// Continue a noun phrase after "her"/"his" although they look like other lists: "her own".
    NOUN_MODIFIER = noun_modifiers,
    /// A base verb or participle after these makes "her" an object: "let her finish".
    CAUSATIVE = causatives,
    /// An object and its complement: "found her stuck", "kept her really busy" -> them.
    COMPLEMENT = complements,
    /// Two objects, a person and a thing: "gave her bad advice" -> them.
    DITRANSITIVE = ditransitive,
    /// An object and a to-infinitive: "warned her not to rush" -> them.
    OBJECT_INFINITIVE = object_infinitive,
    /// Count or measure what follows: "showed her two approaches" -> them.
    QUANTIFIER = quantifiers,
    /// Nouns without an article: "gave her feedback" -> them, as before a plural.
    MASS_NOUN = mass_nouns,
    /// Follow an object, never a noun phrase's first word: "found her not ready" -> them.
    AFTER_OBJECT = after_object,
    /// Begin a second object: "gave her tests a second look" -> their.
    SECOND_OBJECT = second_objects,
    /// Put first, these invert the auxiliary and its subject: "Rarely does he" -> "do they".
    INVERTER = inverters,
    /// "her" is an object when a verb or an -ing form follows: "saw her debugging" -> them.
    PERCEPTION = perception,
    /// Finite verbs that do not change with the subject: "Will can" shows a clause.
    AUXILIARY = auxiliaries,
    /// Ask or open a clause: "Why does he" is a question; "asked Will what" ends a phrase.
    WH_WORD = wh_words,
    /// Start a clause with a subject of its own: a verb after them is not the pronoun's.
    SUBJECT_PRONOUN = subject_pronouns,
    /// Open a clause with its own subject: "checks that you follow, and adjusts".
    CLAUSE_OPENER = clause_openers,
    /// A full stop after these does not end a sentence.
    ABBREVIATION = abbreviations,
}

/// A key of the agreement table: "is", "has", "doesn't".
pub const AGREEMENT: u32 = 1 << LISTS;
/// Verbs after which "her" may be a person object with something after it.
pub const TAKES_PERSON: u32 = CAUSATIVE | PERCEPTION | COMPLEMENT | DITRANSITIVE | OBJECT_INFINITIVE;
/// Lists of open-class words (verbs, nouns): a word in only these is still a content word.
pub const OPEN: u32 = DITRANSITIVE | OBJECT_INFINITIVE | MASS_NOUN;

// Every list and AGREEMENT need a bit of the u32 a word's classes are held in.
const _: () = assert!(LISTS < u32::BITS as usize);
