//! Property tests of the rewriter (DESIGN.md, "The rewriter"):
//!
//! 1. any text, with or without subjects: no panic, and the output is consistent with its
//!    record (edit spans sorted, on char boundaries, `before` is what they cover, applying
//!    them gives the text; flag spans point at their text in the output);
//! 2. `rewrite(rewrite(x)) == rewrite(x)` on interview-like sentences;
//! 3. no form of a subject's name or email survives the rewrite;
//! 4. text with nothing to change comes out byte-identical, with no edits.

use std::sync::{Arc, LazyLock};

use blindfold::rewrite::{Rewriter, Rewritten, Role, SubjectSpec, Subjects, fold};
use blindfold::rules::{FamilySet, RuleSet};
use proptest::prelude::*;
use proptest::sample::select;
use proptest::test_runner::TestCaseError;

/// Cases per property: the whole file stays well under 20 s in a debug build. Set
/// `BLINDFOLD_PROPTEST_CASES` to search harder locally.
fn config() -> ProptestConfig {
    let cases = std::env::var("BLINDFOLD_PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1024);
    ProptestConfig {
        cases,
        // Failures print their input; no regression file is written next to the tests.
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

static REWRITER: LazyLock<Rewriter> = LazyLock::new(|| {
    let rules = Arc::new(RuleSet::embedded().expect("embedded rules compile"));
    Rewriter::new(rules, FamilySet::all()).expect("rewriter builds")
});

fn spec(role: Role, name: Option<&str>, email: Option<&str>, label: Option<&str>) -> SubjectSpec {
    SubjectSpec {
        role,
        name: name.map(Into::into),
        email: email.map(Into::into),
        label: label.map(Into::into),
    }
}

fn compile(specs: &[SubjectSpec]) -> Subjects {
    REWRITER
        .subjects(specs)
        .unwrap_or_else(|e| panic!("subjects {specs:?}: {e}"))
}

/// The candidate Priya Raman and another candidate, José Álvarez-Núñez.
static BATCH: LazyLock<Subjects> = LazyLock::new(|| {
    compile(&[
        spec(
            Role::Candidate,
            Some("Priya Raman"),
            Some("priya.raman@example.com"),
            None,
        ),
        spec(
            Role::OtherCandidate,
            Some("José Álvarez-Núñez"),
            Some("jose.alvarez@example.org"),
            None,
        ),
    ])
});

/// Subject sets for the robustness property: none, one, two, email only, with a label.
static SUBJECT_SETS: LazyLock<Vec<(&'static str, Subjects)>> = LazyLock::new(|| {
    vec![
        ("none", Subjects::none()),
        (
            "Priya Raman",
            compile(&[spec(
                Role::Candidate,
                Some("Priya Raman"),
                Some("priya.raman@example.com"),
                None,
            )]),
        ),
        ("Priya Raman + José Álvarez-Núñez", BATCH.clone()),
        (
            "email only",
            compile(&[spec(Role::Candidate, None, Some("jdoe@example.com"), None)]),
        ),
        (
            "Siobhan O'Connell labelled",
            compile(&[spec(
                Role::Candidate,
                Some("Siobhan O'Connell"),
                None,
                Some("Candidate A"),
            )]),
        ),
        (
            "names that are words, with an interviewer",
            compile(&[
                spec(Role::Candidate, Some("Ruby Bill"), None, None),
                spec(Role::OtherCandidate, Some("Raman K. Priya"), None, None),
                spec(Role::Interviewer, Some("Priya Cut"), None, None),
            ]),
        ),
    ]
});

/// Checks everything the output promises about itself.
fn check_consistent(input: &str, out: &Rewritten) -> Result<(), TestCaseError> {
    let mut rebuilt = String::with_capacity(out.text.len());
    let mut last = 0;
    for e in &out.edits {
        let span = e.span.clone();
        prop_assert!(
            span.start <= span.end && span.end <= input.len(),
            "edit span {span:?} outside the input\n input: {input:?}\n output: {out:#?}"
        );
        prop_assert!(
            input.is_char_boundary(span.start) && input.is_char_boundary(span.end),
            "edit span {span:?} not on char boundaries\n input: {input:?}\n output: {out:#?}"
        );
        prop_assert!(
            span.start >= last,
            "edits unsorted or overlapping at {span:?}\n input: {input:?}\n output: {out:#?}"
        );
        prop_assert_eq!(
            &input[span.clone()],
            e.before.as_str(),
            "edit `before` is not the input at its span\n input: {:?}\n output: {:#?}",
            input,
            out
        );
        rebuilt.push_str(&input[last..span.start]);
        rebuilt.push_str(&e.after);
        last = span.end;
    }
    rebuilt.push_str(&input[last..]);
    prop_assert_eq!(
        &rebuilt,
        &out.text,
        "applying the edits does not give the text\n input: {:?}\n output: {:#?}",
        input,
        out
    );
    for f in &out.flags {
        let span = f.span.clone();
        prop_assert!(
            span.start <= span.end && span.end <= out.text.len(),
            "flag span {span:?} outside the output\n input: {input:?}\n output: {out:#?}"
        );
        prop_assert!(
            out.text.is_char_boundary(span.start) && out.text.is_char_boundary(span.end),
            "flag span {span:?} not on char boundaries\n input: {input:?}\n output: {out:#?}"
        );
        prop_assert_eq!(
            &out.text[span],
            f.text.as_str(),
            "flag text is not the output at its span\n input: {:?}\n output: {:#?}",
            input,
            out
        );
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// 1. Robustness and consistency on arbitrary text.
// ---------------------------------------------------------------------------------------

#[rustfmt::skip]
const MIXED_TOKENS: &[&str] = &[
    // interview-note words
    "the", "candidate", "code", "was", "is", "has", "does", "doesn't", "codes", "tries", "fixes",
    "clean", "tests", "quickly", "always", "and", "but", "because", "a", "hint", "gave", "asked",
    "been", "tired", "done", "there", "other", "whether", "shell", "history", "man", "wife", "Mr.",
    "Ms", "mom", "guy", "female", "engineer", "married", "Nigerian", "years", "old", "born", "in",
    "Class", "of", "'15", "2009", "his", "50s", "prayer", "ex-wife",
    // pronouns
    "he", "she", "his", "her", "hers", "him", "himself", "herself", "He's", "she’s", "HER", "SHE",
    "He", "She", "he'd", "she'll", "Was", "Does", "s/he", "he/she", "(s)he",
    // names
    "Priya", "Raman", "Priya's", "PRIYA", "José", "Jose\u{301}", "Álvarez-Núñez", "Núñez",
    "O'Connell", "Siobhan", "priyaraman", "P.", "priya.raman@example.com",
    // words the name rules read around: aliases, initials, writers, headers
    "nickname", "name", "full", "legal", "calls", "what", "writes", "it", "per", "on", "(me)",
    "w/", "with", "I", "me", "K.", "R", "v", "Ó", "Ní", "Ruby", "Bill", "cut", "scope", "ok",
    "Гриша", "张伟", "Raman)", "(Priya",
    // punctuation, quotes, marks
    ".", ",", ";", ":", "!", "?", "(", ")", "-", "—", "'", "\"", "’", "‘", "“", "”", "…",
    "e\u{301}", "\u{301}", "\u{200d}", "\u{feff}", "\u{a0}",
    // emoji, CJK, other scripts
    "😂", "👩‍💻", "🇺🇸", "日本語", "她", "他", "Ελένη", "Łukasz", "ß", "æ", "ǅ", "İ", "ﬁ",
    // newlines and digits
    "\n", "\r\n", "\t", "0", "42", "555-867-5309", "+44 20 7946 0958", "(555)", "867", "5309",
    "1.2", "2019-2021", "192.168.0.1", "10", "ten",
    // contact-ish pieces
    "@", "#", "/", "https://", "http://", "www.", "github.com/", "janedoe", "@jdoe", "#hashtag",
    "example.com", "x.com/", "t.co/his", "mailto:",
];

const SEPARATORS: &[&str] = &["", " ", " ", " ", "\n", "  "];

fn mixed_text() -> impl Strategy<Value = String> {
    prop::collection::vec((select(MIXED_TOKENS), select(SEPARATORS)), 0..40).prop_map(|parts| {
        parts.into_iter().fold(String::new(), |mut s, (token, sep)| {
            s.push_str(token);
            s.push_str(sep);
            s
        })
    })
}

fn subject_set() -> impl Strategy<Value = usize> {
    0..SUBJECT_SETS.len()
}

fn check_robust(input: &str, set: usize) -> Result<(), TestCaseError> {
    let (name, subjects) = &SUBJECT_SETS[set];
    let out = REWRITER.rewrite(input, subjects);
    check_consistent(input, &out).map_err(|e| TestCaseError::fail(format!("subjects: {name}\n{e}")))
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn arbitrary_unicode_is_rewritten_consistently(input in any::<String>(), set in subject_set()) {
        check_robust(&input, set)?;
    }

    #[test]
    fn mixed_tokens_are_rewritten_consistently(input in mixed_text(), set in subject_set()) {
        check_robust(&input, set)?;
    }
}

// ---------------------------------------------------------------------------------------
// Interview-like sentences (properties 2 and 3).
// ---------------------------------------------------------------------------------------

#[rustfmt::skip]
const PRONOUN_SUBJECTS: &[&str] = &[
    "he", "she", "He", "She", "HE", "SHE", "the candidate", "her manager", "His code", "Her tests",
];
#[rustfmt::skip]
const NAME_SUBJECTS: &[&str] = &[
    "Priya", "Priya Raman", "Priya's manager", "Raman", "Ms. Raman", "José", "Álvarez-Núñez",
    "PRIYA", "priya",
];
#[rustfmt::skip]
const ADVERBS: &[&str] = &[
    "", "", "", "always", "quickly", "never", "also", "often", "carefully", "still",
];
const VERBS: &[&str] = &[
    "codes", "tries", "fixes", "is", "was", "has", "doesn't", "does", "writes", "explains", "asks", "wasn't", "isn't",
    "hasn't", "pushes", "misses", "goes", "gave", "helped",
];
#[rustfmt::skip]
const OBJECTS: &[&str] = &[
    "", "well", "clean", "the bug", "her code", "his tests", "him", "her", "herself", "himself",
    "a hint", "hers", "his", "calm", "tests", "it", "to her", "with him", "her a hint", "done",
    "them", "her through it", "him later", "ready",
];
const NAME_OBJECTS: &[&str] = &["Priya's design", "Raman", "to Priya", "José's tests"];
const QUESTIONS: &[&str] = &["Does", "Was", "Is", "Has", "Doesn't", "Wasn't", "does", "was"];
const QUESTION_PRONOUNS: &[&str] = &["he", "she", "He", "SHE"];
#[rustfmt::skip]
const QUESTION_TAILS: &[&str] = &[
    "code", "ready", "tried", "fix it", "know", "been tested", "explain her plan",
];
#[rustfmt::skip]
const CONTRACTIONS: &[&str] = &[
    "He's been", "She’s tired", "he's", "she's", "he'd", "she'll", "He'll", "she’d", "He's got",
    "she's fixed",
];
const ENDS: &[&str] = &[".", ".", "!", "?", ",", ";", " and", " but", " because", " so", ".\n"];

/// One clause: "S [adverb] verb [object]", a question, or a contraction, then its end.
fn clause(names: bool) -> impl Strategy<Value = String> {
    let subjects: Vec<&'static str> = if names {
        PRONOUN_SUBJECTS.iter().chain(NAME_SUBJECTS).copied().collect()
    } else {
        PRONOUN_SUBJECTS.to_vec()
    };
    let objects: Vec<&'static str> = if names {
        OBJECTS.iter().chain(NAME_OBJECTS).copied().collect()
    } else {
        OBJECTS.to_vec()
    };
    let statement = (
        select(subjects),
        select(ADVERBS),
        select(VERBS),
        select(objects.clone()),
    )
        .prop_map(|(s, adverb, verb, object)| {
            [s, adverb, verb, object]
                .into_iter()
                .filter(|w| !w.is_empty())
                .collect::<Vec<_>>()
                .join(" ")
        });
    let question = (select(QUESTIONS), select(QUESTION_PRONOUNS), select(QUESTION_TAILS))
        .prop_map(|(q, p, tail)| format!("{q} {p} {tail}"));
    let contraction =
        (select(CONTRACTIONS), select(objects)).prop_map(|(c, object)| format!("{c} {object}").trim_end().to_string());
    (
        prop_oneof![4 => statement, 1 => question, 1 => contraction],
        select(ENDS),
    )
        .prop_map(|(c, end)| c + end)
}

fn sentences(names: bool) -> impl Strategy<Value = String> {
    prop::collection::vec(clause(names), 1..5).prop_map(|clauses| clauses.join(" "))
}

// ---------------------------------------------------------------------------------------
// 2. Idempotence.
// ---------------------------------------------------------------------------------------

fn check_idempotent(input: &str, subjects: &Subjects) -> Result<(), TestCaseError> {
    let once = REWRITER.rewrite(input, subjects);
    let twice = REWRITER.rewrite(&once.text, subjects);
    prop_assert_eq!(
        &twice.text,
        &once.text,
        "rewrite is not idempotent\n input: {:?}\n  once: {:?}\n twice: {:?}\n second edits: {:#?}",
        input,
        once.text,
        twice.text,
        twice.edits
    );
    Ok(())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn rewrite_is_idempotent(input in sentences(true)) {
        check_idempotent(&input, &BATCH)?;
    }

    #[test]
    fn rewrite_is_idempotent_without_subjects(input in sentences(false)) {
        check_idempotent(&input, &Subjects::none())?;
    }
}

// ---------------------------------------------------------------------------------------
// 3. No leak of a subject's name or email.
// ---------------------------------------------------------------------------------------

/// Given names: none is an English word, a pronoun, or a word capitalised without being a name.
#[rustfmt::skip]
const FIRST_NAMES: &[&str] = &[
    "Priya", "José", "Zoë", "Siobhan", "Mei-Ling", "D'Andre", "Björn", "Renée", "Łukasz", "Ngozi",
    "Kwame", "Yusuf", "Leila", "Noémi", "Aiyana", "Oluwaseun", "Thandiwe", "Dmitri", "Keiko",
];
/// Family names, with accents, apostrophes, hyphens and particles.
#[rustfmt::skip]
const FAMILY_NAMES: &[&str] = &[
    "Raman", "Chen", "Núñez", "O'Connell", "Álvarez-Núñez", "van der Berg", "da Silva", "Okafor",
    "Nakamura", "Eriksson", "O'Brien", "Nguyễn", "Müller", "Lindqvist", "Kowalski", "Fitzgerald",
];
/// Never matched alone: see `particles` in rules/names.toml.
const PARTICLES: &[&str] = &["van", "der", "da", "de", "von", "la", "le", "el", "al", "di", "du"];

#[derive(Debug, Clone, Copy)]
enum Form {
    Full,
    Part,
    PossessivePart,
    PossessiveFull,
    CurlyPossessive,
    UpperFull,
    UpperPart,
    LowerFull,
    LowerPart,
    FoldedFull,
    FoldedPart,
    Decomposed,
    Email,
    UpperEmail,
    Titled,
    Initial,
}

const FORMS: &[Form] = &[
    Form::Full,
    Form::Part,
    Form::PossessivePart,
    Form::PossessiveFull,
    Form::CurlyPossessive,
    Form::UpperFull,
    Form::UpperPart,
    Form::LowerFull,
    Form::LowerPart,
    Form::FoldedFull,
    Form::FoldedPart,
    Form::Decomposed,
    Form::Email,
    Form::UpperEmail,
    Form::Titled,
    Form::Initial,
];

/// Accent-folded, keeping the case: "Núñez" -> "Nunez".
fn strip_accents(s: &str) -> String {
    s.chars()
        .map(|c| {
            let f = fold(&c.to_string());
            if c.is_uppercase() { f.to_uppercase() } else { f }
        })
        .collect()
}

/// NFD-style spelling of the accented letters the name lists use.
fn decompose(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            'é' => "e\u{301}".to_string(),
            'É' => "E\u{301}".to_string(),
            'á' => "a\u{301}".to_string(),
            'Á' => "A\u{301}".to_string(),
            'ú' => "u\u{301}".to_string(),
            'ñ' => "n\u{303}".to_string(),
            'ë' => "e\u{308}".to_string(),
            'ö' => "o\u{308}".to_string(),
            'ü' => "u\u{308}".to_string(),
            'ễ' => "e\u{302}\u{303}".to_string(),
            c => c.to_string(),
        })
        .collect()
}

fn email_of(first: &str, last: &str) -> String {
    let clean = |s: &str| fold(s).chars().filter(char::is_ascii_alphanumeric).collect::<String>();
    format!("{}.{}@example.com", clean(first), clean(last))
}

/// The name parts that must not survive, folded: every part but particles, the pieces of
/// hyphenated parts, and apostrophe parts with and without the apostrophe.
fn folded_parts(name: &str) -> Vec<String> {
    let mut parts = Vec::new();
    for token in fold(name).split_whitespace() {
        if PARTICLES.contains(&token) {
            continue;
        }
        parts.push(token.to_string());
        if token.contains('-') {
            parts.extend(token.split('-').map(str::to_string));
        }
        if token.contains('\'') {
            parts.push(token.replace('\'', ""));
        }
    }
    parts
}

/// Whether folded `needle` occurs in folded `hay` as a whole word (no letter or digit on
/// either side).
fn contains_word(hay: &str, needle: &str) -> bool {
    hay.match_indices(needle).any(|(at, _)| {
        let before = hay[..at].chars().next_back();
        let after = hay[at + needle.len()..].chars().next();
        !before.is_some_and(|c| c.is_alphanumeric()) && !after.is_some_and(|c| c.is_alphanumeric())
    })
}

fn form_of(first: &str, last: &str, form: Form, pick_last: bool) -> String {
    let full = format!("{first} {last}");
    let part = if pick_last {
        // A main part of the family name: "van der Berg" -> "Berg".
        last.split_whitespace()
            .rfind(|t| !PARTICLES.contains(&t.to_lowercase().as_str()))
            .unwrap_or(last)
    } else {
        first
    };
    match form {
        Form::Full => full,
        Form::Part => part.to_string(),
        Form::PossessivePart => format!("{part}'s"),
        Form::PossessiveFull => format!("{full}'s"),
        Form::CurlyPossessive => format!("{part}\u{2019}s"),
        Form::UpperFull => full.to_uppercase(),
        Form::UpperPart => part.to_uppercase(),
        Form::LowerFull => full.to_lowercase(),
        Form::LowerPart => part.to_lowercase(),
        Form::FoldedFull => strip_accents(&full),
        Form::FoldedPart => strip_accents(part),
        Form::Decomposed => decompose(&full),
        Form::Email => email_of(first, last),
        Form::UpperEmail => email_of(first, last).to_uppercase(),
        Form::Titled => format!("Dr. {last}"),
        Form::Initial => format!("{}. {last}", first.chars().next().unwrap_or('X')),
    }
}

/// What may stand right before and after a mention: quotes, brackets, punctuation.
const OPENERS: &[&str] = &["", "", "", "", "(", "\"", "\u{201c}", "'", "\u{2018}", "[", "-"];
#[rustfmt::skip]
const CLOSERS: &[&str] = &[
    "", "", "", "", ",", ".", ")", ":", ";", "!", "?", "\"", "\u{201d}", "'", "\u{2019}", "...",
    "\u{2026}", "/",
];

/// One mention of the name, dressed in what may stand around it.
fn mention(first: &'static str, last: &'static str) -> impl Strategy<Value = String> {
    (select(FORMS), any::<bool>(), select(OPENERS), select(CLOSERS)).prop_map(
        move |(form, pick_last, opener, closer)| format!("{opener}{}{closer}", form_of(first, last, form, pick_last)),
    )
}

/// A subject (name, email) and a sentence with `count` mentions of them inserted at random
/// word positions, or side by side ("Priya Raman priya.raman@example.com") when `together`.
#[derive(Debug, Clone)]
struct LeakCase {
    name: String,
    email: String,
    input: String,
    mentions: Vec<String>,
}

fn leak_case(count: std::ops::RangeInclusive<usize>) -> impl Strategy<Value = LeakCase> {
    (select(FIRST_NAMES), select(FAMILY_NAMES)).prop_flat_map(move |(first, last)| {
        (
            prop::collection::vec(mention(first, last), count.clone()),
            any::<bool>(),
            sentences(false),
            prop::collection::vec(any::<prop::sample::Index>(), 3),
        )
            .prop_map(move |(mentions, together, sentence, places)| {
                let mut words: Vec<String> = sentence.split(' ').map(str::to_string).collect();
                if together {
                    words.insert(places[0].index(words.len() + 1), mentions.join(" "));
                } else {
                    for (m, at) in mentions.iter().zip(&places) {
                        words.insert(at.index(words.len() + 1), m.clone());
                    }
                }
                LeakCase {
                    name: format!("{first} {last}"),
                    email: email_of(first, last),
                    input: words.join(" "),
                    mentions,
                }
            })
    })
}

fn check_no_leak(case: &LeakCase) -> Result<(), TestCaseError> {
    let LeakCase {
        name,
        email,
        input,
        mentions,
    } = case;
    let subjects = compile(&[spec(Role::Candidate, Some(name), Some(email), None)]);
    let out = REWRITER.rewrite(input, &subjects);
    let folded = fold(&out.text);
    for part in folded_parts(name) {
        prop_assert!(
            !contains_word(&folded, &part),
            "name part {part:?} of {name:?} survived (mentions {mentions:?})\n input: {input:?}\n output: {:?}",
            out.text
        );
    }
    prop_assert!(
        !folded.contains(&fold(email)),
        "email {email:?} survived (mentions {mentions:?})\n input: {input:?}\n output: {:?}",
        out.text
    );
    check_consistent(input, &out)
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn no_name_or_email_survives(case in leak_case(1..=1)) {
        check_no_leak(&case)?;
    }

    /// Several mentions, sometimes side by side: "Priya Raman priya.raman@example.com".
    #[test]
    fn no_name_or_email_survives_several_mentions(case in leak_case(2..=3)) {
        check_no_leak(&case)?;
    }
}

// ---------------------------------------------------------------------------------------
// 4. Nothing to change: byte-identical, no edits.
// ---------------------------------------------------------------------------------------

/// Technical words with no gendered word, name, flag or contact detail, several of which
/// contain a trigger inside them ("there", "shell", "history", "manual").
#[rustfmt::skip]
const NEUTRAL_WORDS: &[&str] = &[
    "the", "The", "THE", "hash", "map", "returns", "there", "There", "when", "When", "shell",
    "history", "manual", "other", "whether", "help", "helper", "O(n)", "O(n log n)", "cache",
    "cached", "then", "a", "an", "list", "sorted", "in", "function", "loop", "it", "where", "these",
    "those", "theme", "threshold", "heap", "hence", "heuristic", "human", "command", "demand",
    "reason", "window", "person", "persons", "mandatory", "shelf", "therefore", "thereby",
    "rehearsed", "chemistry", "is", "was", "has", "does", "queue", "stack", "tree", "graph", "edge",
    "node", "binary", "search", "recursion", "pointer", "bug", "test", "tests", "passes", "fails",
    "latency", "throughput", "p99", "v2", "x86", "2x", "10ms", "3.5", "99.9%", "(2019-2021)",
    "they", "their", "them", "themself", "code", "clean", "quickly", "always", "explained",
    "whereas",
];
const NEUTRAL_NOUNS: &[&str] = &["entries", "lines", "nodes", "tests", "requests", "buckets", "steps"];
const NEUTRAL_SEPARATORS: &[&str] = &[" ", " ", " ", ", ", ". ", "; ", ": ", " - ", " — ", "\n", "? ", "! "];

/// Words, and numbers that are always followed by a noun (so no run of numbers makes a phone).
fn neutral_text() -> impl Strategy<Value = String> {
    let token = prop_oneof![
        4 => select(NEUTRAL_WORDS).prop_map(str::to_string),
        1 => (0u32..100_000, select(NEUTRAL_NOUNS)).prop_map(|(n, noun)| format!("{n} {noun}")),
    ];
    (
        prop::collection::vec((token, select(NEUTRAL_SEPARATORS)), 1..30),
        select(&[".", "", "?", "\n"][..]),
    )
        .prop_map(|(parts, end)| {
            let mut text: String = parts.into_iter().map(|(t, sep)| t + sep).collect();
            text.truncate(text.trim_end().len());
            text + end
        })
}

fn check_identity(input: &str, subjects: &Subjects) -> Result<(), TestCaseError> {
    let out = REWRITER.rewrite(input, subjects);
    prop_assert_eq!(
        &out.text,
        input,
        "text with nothing to change was changed\n input: {:?}\n edits: {:#?}",
        input,
        out.edits
    );
    prop_assert!(
        out.edits.is_empty(),
        "edits on unchanged text {input:?}: {:#?}",
        out.edits
    );
    Ok(())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn neutral_text_is_byte_identical(input in neutral_text()) {
        check_identity(&input, &Subjects::none())?;
    }

    #[test]
    fn neutral_text_is_byte_identical_with_subjects(input in neutral_text()) {
        check_identity(&input, &BATCH)?;
    }
}

// ---------------------------------------------------------------------------------------
// Bugs the properties found and that are fixed live as table cases, with their smallest
// input, in tests/cases/regressions.toml. Here: the known limits, ignored until fixed.
// ---------------------------------------------------------------------------------------

fn rewrite_checked(input: &str, subjects: &Subjects) -> Rewritten {
    let out = REWRITER.rewrite(input, subjects);
    if let Err(e) = check_consistent(input, &out) {
        panic!("{e}");
    }
    out
}

/// Known limit: a title is only rewritten before a capitalised name, so "Ms female Jones"
/// keeps "Ms" until a second pass.
#[test]
#[ignore = "minor: unusual input, a gendered title survives and rewrite is not idempotent"]
fn title_before_a_dropped_adjective_becomes_mx() {
    assert_eq!(rewrite_checked("Ms female Jones", &Subjects::none()).text, "Mx Jones");
}
