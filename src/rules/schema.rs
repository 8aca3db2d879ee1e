//! The shape of the rule files, exactly as written in TOML. Unknown keys are errors everywhere:
//! a misspelt key would otherwise switch a rule off without a word.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use super::class::WordLists;
use crate::subject::SubjectSpec;

/// An example a rule carries: the input, and what must come out of it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Example {
    pub input: String,
    /// The rewritten text. Omitted for flag rules, whose examples list `flags` instead.
    pub expect: Option<String>,
    /// The matched texts the rule must report as flags, in order.
    pub flags: Option<Vec<String>>,
    /// Subjects for name rules; defaults to the file's `example_subjects`.
    pub subjects: Option<Vec<SubjectSpec>>,
}

/// The fields every rule has, whatever its family.
#[derive(Debug, Clone)]
pub struct RuleMeta {
    pub id: String,
    pub note: String,
    pub examples: Vec<Example>,
    pub unchanged: Vec<String>,
}

macro_rules! raw_rule {
    ($(#[$attr:meta])* $name:ident { $($(#[$fattr:meta])* $field:ident : $ty:ty,)* }) => {
        $(#[$attr])*
        #[derive(Debug, Clone, Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct $name {
            pub id: String,
            pub note: String,
            #[serde(default)]
            pub examples: Vec<Example>,
            #[serde(default)]
            pub unchanged: Vec<String>,
            $($(#[$fattr])* pub $field: $ty,)*
        }

        impl $name {
            pub fn meta(&self) -> RuleMeta {
                RuleMeta {
                    id: self.id.clone(),
                    note: self.note.clone(),
                    examples: self.examples.clone(),
                    unchanged: self.unchanged.clone(),
                }
            }
        }
    };
}

raw_rule!(
    /// A pronoun rule: the grammar is code, keyed by the rule id; the file holds its examples.
    PronounRule {}
);

raw_rule!(
    /// A name rule: which variants of a subject's name it removes is fixed by its id.
    NameRule {}
);

raw_rule!(
    /// A gendered word or phrase and its neutral replacement.
    TermRule {
        /// lowercase word or phrase -> replacement; "" drops the word.
        words: BTreeMap<String, String>,
        /// The rule does not apply when the next word is one of these.
        #[serde(default)]
        not_before: Vec<String>,
        /// The rule does not apply when the previous word is one of these.
        #[serde(default)]
        not_after: Vec<String>,
        /// The rule applies only before a capitalised word (titles: "Mr. Jones").
        #[serde(default)]
        before_name: bool,
        /// The rule applies only when another word follows ("a female engineer").
        #[serde(default)]
        before_word: bool,
    }
);

raw_rule!(
    /// A kind of contact detail and the placeholder that replaces it.
    ContactRule {
        kind: ContactKind,
        placeholder: String,
    }
);

raw_rule!(
    /// Words and patterns that are reported for a human to review, never rewritten.
    FlagRule {
        #[serde(default)]
        words: Vec<String>,
        /// Token patterns: literal words, `a|b` alternatives, `{num}`, `{year}`, `{decade}`.
        #[serde(default)]
        patterns: Vec<String>,
    }
);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ContactKind {
    Email,
    Url,
    Phone,
    Handle,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PronounsFile {
    /// "themself" or "themselves".
    pub reflexive: String,
    /// Third-person singular form -> the form that agrees with "they".
    pub agreement: BTreeMap<String, String>,
    pub words: WordLists,
    pub cues: PronounCues,
    pub rule: Vec<Spanned<PronounRule>>,
}

/// Words the pronoun grammar looks for at one place each. Unlike the `[words]` lists they
/// make no word a closed-class word: listing one changes only the decision named.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PronounCues {
    /// After "he's"/"she's", these show the 's is "has": "she's been" -> "they've been".
    pub has_after: Vec<String>,
    /// Coordinators that join predicates, never the nouns of a list: "then", "but". Each
    /// must be in `words.coordinators` too.
    pub predicate_joiners: Vec<String>,
    /// Comparatives that end the phrase after "her": "love her more than" -> them.
    pub comparatives: Vec<String>,
    /// Reflexives that may stand between a subject and its verb: "she herself writes".
    pub reflexives: Vec<String>,
    /// Degree words before an adjective or adverb that are no adverbs of their own:
    /// "made her very nervous" -> them.
    pub intensifiers: Vec<String>,
    /// Verbs after which "her" and an -ing form are the object and what it does: "caught
    /// her cheating" -> them.
    #[serde(default)]
    pub ing_objects: Vec<String>,
    /// Noun modifiers that, ending the phrase after an object, tell when: "interviewed her
    /// first." -> them.
    #[serde(default)]
    pub ordinal_times: Vec<String>,
    /// Times after "last" or "next": "met her last week" -> them.
    #[serde(default)]
    pub time_nouns: Vec<String>,
    /// Words, or two words, that may stand between a subject and its verb without being
    /// adverbs: "she kind of knows" -> "they kind of know".
    #[serde(default)]
    pub hedges: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NamesFile {
    pub example_subjects: Vec<SubjectSpec>,
    pub replacement: NameReplacement,
    /// Courtesy titles that belong to the name they precede ("Ms. Raman").
    pub titles: Vec<String>,
    /// Name particles never matched alone ("van", "de").
    pub particles: Vec<String>,
    /// Generational suffixes dropped from names ("Jr.").
    pub suffixes: Vec<String>,
    /// Words usually capitalised in notes without being names (languages, tools).
    pub proper_words: Vec<String>,
    /// Months: a name that is one ("June", "May") is a date after these words or by a number.
    #[serde(default)]
    pub months: Vec<String>,
    /// Words before a month that make it a date ("in June", "since May").
    #[serde(default)]
    pub date_words: Vec<String>,
    /// Words before a month that make it a date only if a range end or a number follows
    /// ("from April to June").
    #[serde(default)]
    pub range_words: Vec<String>,
    /// Words after "from" and a month that make it a date ("to", "onwards").
    #[serde(default)]
    pub range_ends: Vec<String>,
    /// Nouns of time before "of" and a month that make it a date ("the end of June").
    #[serde(default)]
    pub date_nouns: Vec<String>,
    /// Words right before a proper word that show the thing, not the person ("in Ruby").
    #[serde(default)]
    pub tool_cues: Vec<String>,
    /// Words before "with", "of" or "in" and a proper word that show a skill ("experience
    /// with Go").
    #[serde(default)]
    pub skill_words: Vec<String>,
    /// Prepositions between a skill word and a proper word ("experience with Go").
    #[serde(default)]
    pub skill_prepositions: Vec<String>,
    /// Nouns that show a proper word before them, or the subject of "is" before them, is the
    /// thing ("Ruby code", "Ruby is their language").
    #[serde(default)]
    pub tool_nouns: Vec<String>,
    /// Languages and tools that are nobody's name: in a list with one, a proper word is one.
    #[serde(default)]
    pub tools: Vec<String>,
    /// Words that only restate a name in a parenthetical or appositive ("goes by", "aka").
    #[serde(default)]
    pub restating: Vec<String>,
    /// Words right before a name that its placeholder says again ("a", "the", "our").
    #[serde(default)]
    pub absorbed: Vec<String>,
    /// Greetings before a name called out ("Hi Yusuf,", "Thanks Svetlana!"): the name goes,
    /// with no placeholder.
    #[serde(default)]
    pub greetings: Vec<String>,
    /// Nouns that say a name follows "is" ("her slack name is kwab"): a word there that
    /// may be a person's is the person's.
    #[serde(default)]
    pub naming_nouns: Vec<String>,
    /// Words after which a lowercase name-like word stands in a person's place, directly
    /// ("asked will") or after a preposition ("spoke with faith", "a call with june").
    #[serde(default)]
    pub before_person: Vec<String>,
    /// Nouns of a quantity before "of" ("a lot of fields"): the word after is the thing.
    #[serde(default)]
    pub quantity_nouns: Vec<String>,
    /// Verbs that take a clause ("hope she isn't"): before a subject pronoun, the verb.
    #[serde(default)]
    pub clause_verbs: Vec<String>,
    /// English words the lexicon's counts miss that are names too ("dev", "iris").
    #[serde(default)]
    pub words_too: Vec<String>,
    /// Words before an imperative ("pls move ..."): the word after one is a verb.
    #[serde(default)]
    pub imperative_openers: Vec<String>,
    /// Fixed phrases in which a name-like word is the English word ("set in stone", "leap of
    /// faith"), written in lowercase.
    #[serde(default)]
    pub idioms: Vec<String>,
    /// Prepositions that take two or more ("between"): a name-like word after one, not
    /// followed by "and", is a plural noun ("between banks").
    #[serde(default)]
    pub plural_prepositions: Vec<String>,
    /// Words after "is"/"was" that show its subject is no person ("June is when").
    #[serde(default)]
    pub thing_predicates: Vec<String>,
    /// Nouns no person is called: after "is"/"was" and an article, they show its subject is
    /// a thing ("Price was the one axis we ignored").
    #[serde(default)]
    pub thing_nouns: Vec<String>,
    /// Abbreviations written in capitals that are no one's initials ("PR", "QA").
    #[serde(default)]
    pub acronyms: Vec<String>,
    /// Prefixes of given names that colleagues leave off ("Adebayo" -> "Bayo").
    #[serde(default)]
    pub clipped_prefixes: Vec<String>,
    /// Words of a hiring verdict ("strong hire"), which follow a name in hurried notes.
    #[serde(default)]
    pub verdicts: Vec<String>,
    /// Nouns of an interview loop that head a note after the candidate's name ("Chase round 2").
    #[serde(default)]
    pub interview_nouns: Vec<String>,
    /// Verbs that give a person a name: after one and an object pronoun, a name-like word is
    /// the name ("called her joy").
    #[serde(default)]
    pub naming_verbs: Vec<String>,
    /// Words alone in brackets after a name that make it a colleague's ("Mark (ours)").
    #[serde(default)]
    pub colleague_marks: Vec<String>,
    /// Words that weigh one name against another ("june vs may").
    #[serde(default)]
    pub versus_words: Vec<String>,
    /// Words before "name" that make the words after it a name ("preferred name Leo").
    #[serde(default)]
    pub name_kinds: Vec<String>,
    /// Verbs before a person's initials ("initialled VS").
    #[serde(default)]
    pub signing_verbs: Vec<String>,
    /// Verbs before "by" and a name that say what the person is called ("goes by Will").
    #[serde(default)]
    pub nickname_verbs: Vec<String>,
    /// Nouns that close a time adverbial ("by the end"): a name-like word right after one,
    /// before a verb, opens a clause ("by the end banks had") rather than a compound.
    #[serde(default)]
    pub adverbial_nouns: Vec<String>,
    /// Prefixes of family names that are also written apart ("MacLeod", "Mac Leod").
    #[serde(default)]
    pub split_prefixes: Vec<String>,
    pub rule: Vec<Spanned<NameRule>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NameReplacement {
    pub candidate: String,
    pub other_candidate: String,
    pub email: String,
    /// An interviewer when packets drop interviewers' names.
    #[serde(default = "default_interviewer")]
    pub interviewer: String,
    /// An interviewer named in a packet that labels interviewers but who wrote none of it.
    #[serde(default = "default_other_interviewer")]
    pub other_interviewer: String,
    /// A name part inside another proper name ("[name] University").
    #[serde(default = "default_proper_name")]
    pub proper_name: String,
    /// A name said to be what someone is called ("goes by Will").
    #[serde(default = "default_nickname")]
    pub nickname: String,
}

fn default_interviewer() -> String {
    "an interviewer".into()
}

fn default_other_interviewer() -> String {
    "another interviewer".into()
}

fn default_proper_name() -> String {
    "[name]".into()
}

fn default_nickname() -> String {
    "a nickname".into()
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TermsFile {
    /// Words after which "a" becomes "an" although they start with a consonant, and so on.
    pub articles: Articles,
    pub rule: Vec<Spanned<TermRule>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Articles {
    pub an_before: Vec<String>,
    pub a_before: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContactFile {
    /// Sites whose links point at a person's profile, matched even without `https://`.
    pub profile_domains: Vec<String>,
    /// Top-level domains of links written without `https://`: "t.co/x", "bit.ly/y".
    pub link_tlds: Vec<String>,
    pub rule: Vec<Spanned<ContactRule>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FlagsFile {
    /// Number words `{num}` accepts besides digits.
    pub number_words: Vec<String>,
    /// Decade words `{decade}` accepts besides "30s" and "30's".
    pub decade_words: Vec<String>,
    pub rule: Vec<Spanned<FlagRule>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VerbsFile {
    /// "base third-person past participle [tags]"; tags: n (mostly a noun), v (hardly ever a
    /// noun), a (participle is also an adjective).
    pub forms: Vec<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WordsFile {
    pub words: Vec<String>,
    pub adverbs: Vec<String>,
    pub adjectives: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NicknamesFile {
    pub nicknames: BTreeMap<String, Vec<String>>,
}

/// Hand-curated nicknames of other languages, in groups that say where they come from.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NicknameGroupsFile {
    pub group: Vec<NicknameGroup>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NicknameGroup {
    pub language: String,
    pub source: String,
    pub nicknames: BTreeMap<String, Vec<String>>,
}

/// Proper names that contain words which may be a person's name.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProperNamesFile {
    /// Famous people and eponyms ("ada lovelace", "poisson distribution").
    pub famous: Vec<String>,
    /// Regions that follow a city ("Austin, Texas").
    pub regions: Vec<String>,
    /// Words that make the name part before them an institution ("Raman University").
    pub institutions: Vec<String>,
    /// Companies, products and places that contain names ("wells fargo").
    pub organisations: Vec<String>,
}
