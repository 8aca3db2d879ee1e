//! A deterministic synthetic batch of live-interview feedback, with ground truth for every
//! note: the export the name-handling harness (tests/batch.rs) feeds to `blindfold packets`,
//! and that examples/batch.rs writes for benchmarks.
//!
//! SYNTHETIC DATA: every person, note, email and number here is invented. The sentence
//! templates below were written for this file.
//!
//! A batch is N candidates x 4 interviews x 2 feedback notes, written by 15 interviewers,
//! the way a company's notes read: small name pools, so candidates share given names and
//! surnames with each other and with interviewers; names that are ordinary English words
//! ("Will", "June", "Price"), used as names and in their ordinary sense in the same batch and
//! often in the same note; referrals and comparisons naming other candidates; interviewers
//! named in the text; the candidate's names in every shape (possessive, lowercase, ALL CAPS,
//! headers, bullets, nicknames, email); hurried notes (lowercase, no punctuation, line
//! breaks, run-on sentences); he/she pronouns about the candidate.
//!
//! Ground truth per note ([`NoteTruth`]): the name-sense mentions of candidates, the
//! ordinary-sense uses of the words in [`ORDINARY`] (counted from the text around the names,
//! so every such word the templates use is accounted for), and the interviewer mentions that
//! must survive verbatim. benches/support/scan.rs checks packets against it.
//!
//! The truth is meant to be what a careful reader would say, so nothing is left to chance
//! that a reader could not decide: an interviewer named by given name alone ("Grace and I")
//! never shares it with a candidate the note names; every ordinary-sense sentence shows its
//! sense; in hurried notes, a name or a word that can be one at either side of a run-on join
//! gets a line break instead ("lean hire for rose will need" would read as Rose who will
//! need); a draw where an interviewer mention recurs by chance is drawn again.
//!
//! Shared with `#[path]`: tests, examples and benches include this file as a module named
//! `batch` (scan.rs, when included beside it, refers to it as `crate::batch`). The same
//! candidate count and seed always give the same batch, byte for byte.

#![allow(dead_code)]

use std::collections::{BTreeMap, HashMap};
use std::io::{self, Write};

pub const DEFAULT_CANDIDATES: usize = 500;
pub const DEFAULT_SEED: u64 = 0x5eed_b17d;
pub const INTERVIEWS_PER_CANDIDATE: usize = 4;
pub const NOTES_PER_INTERVIEW: usize = 2;

/// Given names of candidates: half of them ordinary English words.
pub const GIVEN: &[&str] = &[
    "Will",
    "Grace",
    "June",
    "Mark",
    "Rose",
    "Hope",
    "Faith",
    "Grant",
    "Hunter",
    "Bill",
    "Joy",
    "Sky",
    "Autumn",
    "Dawn",
    "Chase",
    "Ruby",
    "Julia",
    "Robert",
    "William",
    "Elizabeth",
    "Alexander",
    "Priya",
    "José",
    "Zoë",
    "Mei",
    "Kwame",
    "Fatima",
    "Ingrid",
    "Diego",
    "Siobhan",
    "Noor",
    "Tomás",
];

/// Surnames of candidates: ordinary words and brands, and some that are not.
pub const SURNAMES: &[&str] = &[
    "Young",
    "Swift",
    "Banks",
    "Chase",
    "Wells",
    "Price",
    "Rich",
    "Stone",
    "Fox",
    "Hill",
    "Cook",
    "Grant",
    "Hunter",
    "Raman",
    "Álvarez-Núñez",
    "O'Connell",
    "Nguyen",
    "Okafor",
    "Kowalski",
    "Tanaka",
    "Haddad",
    "Lindqvist",
    "Chen",
    "Petrov",
    "Adeyemi",
];

/// Nicknames the notes use for some given names.
pub const NICKNAMES: &[(&str, &[&str])] = &[
    ("Robert", &["Bob"]),
    ("William", &["Bill", "Will"]),
    ("Elizabeth", &["Liz"]),
    ("Alexander", &["Alex"]),
];

/// Interviewers: some share a given name with candidates (Mark, Will, Priya, Grace, Joy,
/// Hope), some a surname (Tanaka, Price, Stone, Chen, Fox, Banks, Young, Hunter).
pub const INTERVIEWERS: &[(&str, &str)] = &[
    ("Mark", "Tanaka"),
    ("Dana", "Price"),
    ("Hiro", "Sato"),
    ("Will", "Ferreira"),
    ("Priya", "Holm"),
    ("Sam", "Stone"),
    ("Grace", "Lindahl"),
    ("Omar", "Chen"),
    ("Lena", "Fox"),
    ("Ravi", "Banks"),
    ("Joy", "Martins"),
    ("Tobias", "Young"),
    ("Ellen", "Hunter"),
    ("Kenji", "Abe"),
    ("Hope", "Nakamura"),
];

/// Name words that are also ordinary English words (folded). Only these may appear in a
/// note outside a name mention; every use there is an ordinary-sense use.
pub const ORDINARY: &[&str] = &[
    "autumn", "banks", "bill", "chase", "cook", "dawn", "faith", "fox", "grace", "grant", "hill", "hope", "hunter",
    "joy", "julia", "june", "mark", "price", "rich", "rose", "ruby", "sky", "stone", "swift", "wells", "will", "young",
];

/// Ordinary-sense sentences for each word of [`ORDINARY`]; a careful reader can tell from
/// each sentence that the word is not a name.
const ORDINARY_SENTENCES: &[(&str, &[&str])] = &[
    (
        "autumn",
        &[
            "This would be for the autumn start.",
            "Autumn hiring is slower, so there is no rush on the decision.",
        ],
    ),
    (
        "banks",
        &[
            "Our biggest customers are banks, so the audit-log question was relevant.",
            "The data set was transfers between banks.",
        ],
    ),
    (
        "bill",
        &[
            "The cloud bill would explode with that design.",
            "The bill for an extra replica adds up fast, and {he} saw that.",
        ],
    ),
    (
        "chase",
        &[
            "We had to chase down the race condition together.",
            "The recursion question turned into a wild goose chase for a while.",
            "Chase the failing test first: that instinct was right.",
        ],
    ),
    (
        "cook",
        &[
            "{He} let the idea cook for a minute before typing, which I liked.",
            "Could cook up a quick script for the data fix.",
        ],
    ),
    (
        "dawn",
        &[
            "The batch job runs at dawn, which came up in the design discussion.",
            "It took a while for it to dawn on {him} that the input was sorted.",
        ],
    ),
    (
        "faith",
        &[
            "The questions were asked in good faith.",
            "I have faith in the overall approach.",
            "Faith in the test suite was a bit blind, to be honest.",
        ],
    ),
    (
        "fox",
        &[
            "The test string was the usual quick brown fox.",
            "The quick brown fox example broke the tokenizer at first.",
        ],
    ),
    (
        "grace",
        &[
            "There is a grace period of one week for the take-home.",
            "The service should fail with some grace when the cache is down, and {he} got there.",
        ],
    ),
    (
        "grant",
        &[
            "We should grant access to the sandbox before the next round.",
            "Grant read access to the repo for the take-home.",
            "I grant that the problem was long for an hour.",
        ],
    ),
    (
        "hill",
        &[
            "Not a hill to die on, but the naming was inconsistent.",
            "The learning curve on our stack is a hill, and that is fine.",
            "Hill climbing came up as an approach for the scheduling question.",
        ],
    ),
    (
        "hope",
        &[
            "Hope this helps the committee.",
            "I hope the next round covers system design.",
            "There is still hope for the take-home.",
        ],
    ),
    (
        "hunter",
        &[
            "A natural bug hunter: went straight for the logs.",
            "The kind of bug hunter every on-call rotation needs.",
        ],
    ),
    (
        "joy",
        &[
            "It was a joy to watch the debugging.",
            "No joy with the first approach, so {he} switched to a heap.",
        ],
    ),
    (
        "julia",
        &[
            "The simulation part was prototyped in Julia before the rewrite.",
            "{He} has two years of Julia from a research lab.",
            "Julia and Python are both on {his} CV.",
        ],
    ),
    (
        "june",
        &[
            "We can revisit this in June.",
            "The June cohort had the same trouble with this question.",
            "June is when the team moves to the new stack, so timing matters.",
            "Start date would be early June.",
        ],
    ),
    (
        "mark",
        &[
            "Mark this one as a strong signal for design.",
            "I would mark the testing section as weak.",
            "The first estimate was off the mark by an order of magnitude.",
            "I left a question mark next to the error handling.",
        ],
    ),
    (
        "price",
        &[
            "We talked about the price of a full table scan.",
            "The price of the extra index was explained well.",
            "Price was the one axis the design did not consider.",
        ],
    ),
    (
        "rich",
        &[
            "A rich set of test cases by the end.",
            "The API design was rich but not overbuilt.",
            "Rich error messages would have helped.",
        ],
    ),
    (
        "rose",
        &[
            "Latency rose sharply once the cache was cold, and {he} spotted it quickly.",
            "The error rate rose after the second change, which {he} caught in review.",
        ],
    ),
    (
        "ruby",
        &[
            "Most of {his} backend work was in Ruby.",
            "The Ruby code {he} showed me was idiomatic.",
            "{He} knows Ruby and Go well.",
        ],
    ),
    (
        "sky",
        &[
            "Memory use went sky high with the naive cache.",
            "The sky is not falling: one weak answer out of four.",
        ],
    ),
    (
        "stone",
        &[
            "The first solution was a stepping stone to the real one.",
            "Nothing is set in stone on the level.",
            "Stone-cold calm under the last question.",
        ],
    ),
    (
        "swift",
        &[
            "{He} built the iOS client in Swift.",
            "A swift fix for the flaky test, no fuss.",
            "The Swift app crashed on launch, and {he} found why.",
        ],
    ),
    (
        "wells",
        &[
            "The sample data was readings from oil wells.",
            "The sensor data from the test wells was noisy on purpose.",
        ],
    ),
    (
        "will",
        &[
            "I will need to rewatch the recording before I settle on a level.",
            "Will need a second opinion on the concurrency part.",
            "The tests will pass once the boundary check is fixed.",
            "We will see how the take-home goes.",
        ],
    ),
    (
        "young",
        &[
            "Would fit well in a young team.",
            "The codebase is young and needs people who write tests.",
            "Young services like ours need that instinct.",
        ],
    ),
];

/// First sentence of a note. Placeholders: `{G}` `{S}` `{F}` `{N}` `{E}` the candidate's
/// given name, surname, full name, nickname, email; `{OG}` `{OS}` `{OF}` `{OE}` another
/// candidate's; `{PF}` a third candidate's full name; `:l` lowercase, `:u` capitals; a
/// following `'s` belongs to the name. `{he}` `{He}` `{him}` `{his}` `{His}` `{himself}`:
/// the candidate's pronouns. `[[kind:...]]` an interviewer mention, with `{IF}` a colleague's
/// full name and `{IG}` a colleague's given name.
const OPENINGS: &[&str] = &[
    "{G} joined a couple of minutes early and had {his} editor set up before we started.",
    "{F} interviewed for the backend role; this was the coding round.",
    "Coding round with {F}.",
    "{G} was calm from the start and asked what the input sizes looked like.",
    "Spent the hour with {G} on the rate-limiter question.",
    "I interviewed {F} for the platform team.",
    "{G}'s session started ten minutes late because of a calendar mix-up.",
];

const BODY: &[&str] = &[
    "{He} solved the interval-merge problem in about twenty minutes and talked through {his} approach before typing.",
    "{He} sorted the input first without being prompted and explained why that keeps the merge linear.",
    "When I asked {him} about empty input, {he} paused, wrote a quick test, and fixed the guard {himself}.",
    "{His} variable names were clear and {he} kept every function small.",
    "{He} did not write tests until I nudged {him}, which is the main gap I saw.",
    "{He} reached for a heap, then switched to a sorted array once {he} saw the constraints.",
    "The complexity analysis was solid: {he} knew the sort dominates.",
    "{He} got stuck on an off-by-one for a while but found it {himself} with a print statement.",
    "{He} asked good clarifying questions about duplicates and negative numbers.",
    "The final code was readable, though {his} error handling was thin.",
    "{He} was a little nervous at first but settled down after the first test passed.",
    "I gave {him} a hint about the two-pointer trick and {he} ran with it.",
    "{He} explained the trade-off between the hash map and the sorted array without being asked.",
    "On the follow-up {he} handled the streaming version by keeping a bounded buffer.",
];

/// The candidate's own names in other places and shapes.
const OWN: &[&str] = &[
    "Overall I liked {G}'s approach to testing.",
    "The cleanest part of the session was {G}'s refactor of the parser.",
    "I would be happy to work with {G} on my team.",
    "By the end {S} had a working solution and two edge-case tests.",
    "honestly {G:l} was the strongest today.",
    "STRONG YES FOR {G:u}.",
    "Thanks to {G} for staying ten minutes over to finish the tests.",
    "{F}'s take-home is attached to the ticket.",
    "I asked {G} about the last incident {he} handled.",
    "Asked {F:l} to walk me through the code again at the end.",
    "{S:u} WAS THE ONLY ONE TO FINISH THE BONUS.",
];

/// Sensitive facts an interviewer should not have written, one sentence each, by kind:
/// `(kind, sentence, core)`. The core is what tells the fact; nobody decided the committee
/// may read it, so no packet may hold it. `{AGE}` and `{YEAR}` are drawn per note. Written
/// from the kinds of fact a hiring committee must not weigh, not from the rule files; no word
/// of them is in [`ORDINARY`] and no core holds punctuation (hurried notes lose it).
pub const FACTS: &[(&str, &str, &str)] = &[
    (
        "age",
        "{He} mentioned {he} just turned {AGE} last month.",
        "turned {AGE}",
    ),
    (
        "age",
        "At {AGE} years old {he} is switching careers from teaching.",
        "{AGE} years old",
    ),
    (
        "age",
        "{He} said {he} is in {his} late fifties and wants a last big move.",
        "late fifties",
    ),
    (
        "graduation year",
        "{He} graduated in {YEAR} and has been in industry since.",
        "graduated in {YEAR}",
    ),
    (
        "graduation year",
        "Per the resume {he} is class of {YEAR}.",
        "class of {YEAR}",
    ),
    (
        "pregnancy",
        "{He} told us {he} is pregnant and would start after the leave.",
        "pregnant",
    ),
    (
        "pregnancy",
        "{He} is expecting a baby in the spring so the start date may move.",
        "expecting a baby",
    ),
    (
        "family status",
        "{He} has two small kids so evenings are hard for onsite loops.",
        "two small kids",
    ),
    (
        "family status",
        "{He} is a single parent and asked about flexible hours.",
        "single parent",
    ),
    (
        "family status",
        "{He} needs to pick up {his} children from daycare by four.",
        "children",
    ),
    (
        "family status",
        "{He} mentioned being recently divorced when we talked about relocating.",
        "divorced",
    ),
    (
        "national origin",
        "{He} is originally from Nigeria and moved for a master's.",
        "Nigeria",
    ),
    (
        "national origin",
        "{He} said {he} would need visa sponsorship to start.",
        "visa sponsorship",
    ),
    (
        "national origin",
        "{He} grew up in Brazil and still visits every summer.",
        "Brazil",
    ),
    (
        "national origin",
        "{He} is Vietnamese and joked about the timezone.",
        "Vietnamese",
    ),
    (
        "religion",
        "{He} observes Ramadan so mornings work best for the onsite.",
        "Ramadan",
    ),
    (
        "religion",
        "{He} is a devout Catholic and mentioned it during small talk.",
        "Catholic",
    ),
    ("religion", "{He} leaves early on Fridays for synagogue.", "synagogue"),
    (
        "disability",
        "{He} uses a wheelchair so we booked the accessible room.",
        "wheelchair",
    ),
    (
        "disability",
        "{He} is hard of hearing and asked for captions on the call.",
        "hard of hearing",
    ),
    (
        "disability",
        "{He} mentioned {his} ADHD diagnosis when we talked about focus.",
        "ADHD",
    ),
    (
        "military service",
        "{He} served in the army for six years before the bootcamp.",
        "served in the army",
    ),
    (
        "military service",
        "{He} is a veteran and led a logistics unit.",
        "veteran",
    ),
    (
        "family tie",
        "{His} brother interned with us in the summer.",
        "interned with us",
    ),
    (
        "family tie",
        "{His} father works on our payments team.",
        "works on our payments team",
    ),
];

/// The candidate's nickname (only for candidates who have one).
const NICKNAME: &[&str] = &[
    "{G} goes by {N} on the team.",
    "{N} said the last project was a payments migration.",
    "Everyone on the panel called {him} {N} by the end.",
];

const EMAIL: &[&str] = &[
    "{He} sent the follow-up from {E}.",
    "Recruiter note: reach {him} at {E} for scheduling.",
];

/// Referrals and comparisons: other candidates of the batch.
const OTHERS_FULL: &[&str] = &[
    "{OF} referred {him} from the data team.",
    "Referred by {OF}.",
    "Not to be confused with {OF}, who interviewed for the same role.",
    "Compared with candidate {OF}, {he} tested more and talked less.",
    "{He} mentioned that {OF} and {he} worked together at a previous job.",
    "Ranks above {OF} for me and below {PF}.",
    "{He} asked whether {OF:l} got an offer, which I did not answer.",
    "Both {OF} and {PF} got the same question this month.",
];
const OTHERS_GIVEN: &[&str] = &[
    "{He} was stronger than {OG} on the same question last week.",
    "{OG} got further on this problem, but {G} wrote cleaner code.",
    "If we only have one slot, I would pick {G} over {OG}.",
];
const OTHERS_SURNAME: &[&str] = &[
    "Similar approach to {OS}'s, but faster.",
    "{OS} had the same bug in the same place yesterday.",
];

/// Interviewers named in the text; `{IG}` only where the given name is unambiguous in the note.
const INTERVIEWERS_FULL: &[&str] = &[
    "I [[paired with:paired with {IF}]] for this one.",
    "[[will follow up:{IF} will follow up]] on the system design part.",
    "[[full name:{IF}]] asked the concurrency question at the end.",
    "Shadowed by [[full name:{IF}]] today.",
];
const INTERVIEWERS_GIVEN: &[&str] = &[
    "[[and I:{IG} and I]] both pushed on the testing gap.",
    "[[and I:{IG} and I]] agree on the level.",
];

const CLOSINGS: &[&str] = &[
    "Would hire {him}.",
    "Lean hire for {G}.",
    "I would move {him} forward to the onsite.",
    "No hire for now; {he} needs more practice with testing.",
    "Hire. {He} would do well here.",
    "Recommend {F} for the next round.",
];

const HEADERS: &[&str] = &[
    "## Notes on {F}",
    "## {G} - coding round",
    "# Interview notes: {F}",
    "### {G}",
];
const VERDICT_HEADERS: &[&str] = &["## Verdict", "### Summary", "## Recommendation"];

const ATTRIBUTE_NOTES: &[&str] = &[
    "Sorted first, single merge pass",
    "One off-by-one, found it with a test",
    "Clear names, small functions",
    "Only after a nudge",
    "Knew the sort dominates",
    "Asked about duplicates early",
];
const LEVELS: &[&str] = &["L3", "L4", "L4", "L5"];
const EVALUATIONS: &[&str] = &["Hire", "Lean hire", "Strong hire", "No hire", "Lean no hire"];

#[derive(Debug, Clone)]
pub struct Candidate {
    pub given: String,
    pub surname: String,
    /// "Given Surname", as the export's candidateName.
    pub name: String,
    pub email: String,
    /// The nicknames of the given name (the notes may use any of them).
    pub nicknames: Vec<String>,
    pub she: bool,
}

#[derive(Debug, Clone)]
pub struct Interviewer {
    pub id: String,
    pub username: String,
    pub given: String,
    pub surname: String,
    pub name: String,
    pub email: String,
}

/// A name-sense mention of a candidate, as inserted.
#[derive(Debug, Clone)]
pub struct Mention {
    pub candidate: usize,
    /// Whose and which form: "own given possessive", "other surname lowercase", ...
    pub kind: String,
    /// Where in the note: "opening", "own", "referral", "header", "bullet", "closing"...
    pub place: &'static str,
    pub text: String,
    /// Byte offset in the note.
    pub start: usize,
}

/// An interviewer mention, as inserted: `text` must survive verbatim.
#[derive(Debug, Clone)]
pub struct InterviewerMention {
    pub interviewer: usize,
    /// "full name", "paired with", "and I", "will follow up".
    pub kind: &'static str,
    pub text: String,
    /// Byte offset in the note.
    pub start: usize,
}

/// What a note holds, for checking its rewritten form.
#[derive(Debug, Clone, Default)]
pub struct NoteTruth {
    pub mentions: Vec<Mention>,
    /// Folded word of [`ORDINARY`] -> uses in the ordinary sense (outside every mention).
    pub ordinary: BTreeMap<String, usize>,
    /// Byte span in the note of each ordinary-sense use counted in `ordinary`.
    pub ordinary_spans: Vec<(usize, usize)>,
    pub interviewers: Vec<InterviewerMention>,
    /// "prose", "structured" or "hurried".
    pub style: &'static str,
    /// Sensitive facts of [`FACTS`] in the note: kind and core, lowercase.
    pub facts: Vec<(&'static str, String)>,
}

#[derive(Debug, Clone)]
pub struct Feedback {
    pub author: usize,
    pub notes: String,
    pub truth: NoteTruth,
    pub level: &'static str,
    pub evaluation: &'static str,
    pub scores: [i64; 3],
    pub attribute_notes: [Option<&'static str>; 3],
}

#[derive(Debug, Clone)]
pub struct Interview {
    pub id: String,
    pub candidate: usize,
    pub start_ms: i64,
    pub feedback: Vec<Feedback>,
}

#[derive(Debug, Clone)]
pub struct Batch {
    pub seed: u64,
    pub candidates: Vec<Candidate>,
    pub interviewers: Vec<Interviewer>,
    /// In export order (shuffled: neither by candidate nor by date).
    pub interviews: Vec<Interview>,
}

/// Lowercase, accents stripped, curly apostrophes straight: how the harness compares words.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        let plain = match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => 'a',
            'ç' | 'ć' | 'č' => 'c',
            'ď' | 'đ' => 'd',
            'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => 'e',
            'ì' | 'í' | 'î' | 'ï' | 'ī' | 'į' | 'ı' => 'i',
            'ł' | 'ľ' => 'l',
            'ñ' | 'ń' | 'ň' => 'n',
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => 'o',
            'ř' => 'r',
            'ś' | 'š' | 'ş' => 's',
            'ť' | 'ţ' => 't',
            'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' => 'u',
            'ý' | 'ÿ' => 'y',
            'ź' | 'ż' | 'ž' => 'z',
            '\u{2019}' | '\u{2018}' => '\'',
            'ß' => {
                out.push_str("ss");
                continue;
            }
            other => other,
        };
        out.push(plain);
    }
    out
}

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '\u{2019}'
}

/// A word of a text: its byte span in the text, and its folded form without a final "'s".
#[derive(Debug, Clone)]
pub struct Word {
    pub start: usize,
    pub end: usize,
    pub folded: String,
}

/// The words of a text: runs of letters and digits, with apostrophes between letters
/// ("O'Connell", "Grace's"); a possessive "'s" is dropped from the folded form.
pub fn words(text: &str) -> Vec<Word> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    // The char at byte `i` and its length; ASCII without decoding.
    let at = |i: usize| -> (char, usize) {
        if bytes[i] < 0x80 {
            (bytes[i] as char, 1)
        } else {
            let c = text[i..].chars().next().unwrap_or(' ');
            (c, c.len_utf8())
        }
    };
    let mut i = 0;
    while i < bytes.len() {
        let (c, n) = at(i);
        if !c.is_alphanumeric() {
            i += n;
            continue;
        }
        let start = i;
        let mut end = i + n;
        while end < bytes.len() {
            let (c, n) = at(end);
            let joins = is_apostrophe(c) && end + n < bytes.len() && at(end + n).0.is_alphanumeric();
            if c.is_alphanumeric() || joins {
                end += n;
            } else {
                break;
            }
        }
        let word = &text[start..end];
        let mut folded = if word.is_ascii() {
            word.to_ascii_lowercase()
        } else {
            fold(word)
        };
        if folded.ends_with("'s") {
            folded.truncate(folded.len() - 2);
        }
        out.push(Word { start, end, folded });
        i = end;
    }
    out
}

/// Runs that can be an email or its local part: ASCII letters, digits and `._+-`, cut at `@`,
/// trimmed of dots and dashes at the ends, holding a digit or one of `._+-`; folded. Each
/// with its byte start.
pub fn email_runs(text: &str) -> Vec<(usize, String)> {
    let bytes = text.as_bytes();
    // Emails are ASCII: anything else ends a run (so runs start and end on char boundaries).
    let is_part = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'+' | b'-');
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if !is_part(bytes[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && is_part(bytes[i]) {
            i += 1;
        }
        let raw = &text[start..i];
        let run = raw.trim_matches(['.', '-']);
        // A run of letters alone is a word, which `words` sees.
        let compound = run
            .bytes()
            .any(|b| b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'+' | b'-'));
        if compound {
            let offset = start + (raw.len() - raw.trim_start_matches(['.', '-']).len());
            out.push((offset, fold(run)));
        }
    }
    out
}

/// Whether a folded word is in [`ORDINARY`].
pub fn is_ordinary(folded: &str) -> bool {
    ORDINARY.contains(&folded)
}

/// The single-word forms of a name part ("Álvarez-Núñez" -> alvarez, nunez;
/// "O'Connell" -> o'connell, oconnell).
pub fn part_forms(part: &str) -> Vec<String> {
    let mut forms = Vec::new();
    for w in words(part) {
        if w.folded.contains('\'') {
            forms.push(w.folded.replace('\'', ""));
        }
        forms.push(w.folded);
    }
    forms
}

impl Candidate {
    /// Every single-word form of the candidate's names, with what it is: "given",
    /// "surname", "nickname".
    pub fn forms(&self) -> Vec<(String, &'static str)> {
        let mut forms: Vec<(String, &'static str)> = Vec::new();
        forms.extend(part_forms(&self.given).into_iter().map(|f| (f, "given")));
        forms.extend(part_forms(&self.surname).into_iter().map(|f| (f, "surname")));
        for n in &self.nicknames {
            forms.extend(part_forms(n).into_iter().map(|f| (f, "nickname")));
        }
        forms
    }

    pub fn local_part(&self) -> &str {
        self.email.split('@').next().unwrap_or("")
    }
}

fn pick<T: Copy>(rng: &mut fastrand::Rng, items: &[T]) -> T {
    items[rng.usize(..items.len())]
}

fn slug(text: &str) -> String {
    fold(text).chars().filter(char::is_ascii_alphanumeric).collect()
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[derive(Debug, Clone)]
enum What {
    Plain,
    Name {
        candidate: usize,
        kind: String,
        place: &'static str,
    },
    Interviewer {
        interviewer: usize,
        kind: &'static str,
    },
}

#[derive(Debug, Clone)]
struct Seg {
    text: String,
    what: What,
}

/// Who a note is about and who it may name.
struct Scene<'a> {
    candidates: &'a [Candidate],
    interviewers: &'a [Interviewer],
    own: usize,
    other: usize,
    second: usize,
    /// Named by full name.
    colleague: usize,
    /// Named by given name alone: one whose given name no candidate of the note shares.
    partner: Option<usize>,
}

impl Scene<'_> {
    fn pronoun(&self, key: &str) -> Option<&'static str> {
        let she = self.candidates[self.own].she;
        Some(match (key, she) {
            ("he", false) => "he",
            ("he", true) => "she",
            ("He", false) => "He",
            ("He", true) => "She",
            ("him", false) => "him",
            ("him", true) => "her",
            ("his", false) => "his",
            ("his", true) => "her",
            ("His", false) => "His",
            ("His", true) => "Her",
            ("himself", false) => "himself",
            ("himself", true) => "herself",
            _ => return None,
        })
    }

    /// A template as segments; `place` says where in the note it stands.
    fn expand(&self, template: &str, place: &'static str) -> Vec<Seg> {
        let mut segs = Vec::new();
        let mut plain = String::new();
        let flush = |plain: &mut String, segs: &mut Vec<Seg>| {
            if !plain.is_empty() {
                segs.push(Seg {
                    text: std::mem::take(plain),
                    what: What::Plain,
                });
            }
        };
        let mut i = 0;
        while i < template.len() {
            let rest = &template[i..];
            if let Some(inner) = rest.strip_prefix("[[") {
                let end = inner.find("]]").expect("unclosed [[ in a template");
                let (kind, body) = inner[..end].split_once(':').expect("[[kind:text]]");
                let (interviewer, text) = if body.contains("{IG}") {
                    let p = self.partner.expect("a template with {IG} needs a partner");
                    (p, body.replace("{IG}", &self.interviewers[p].given))
                } else {
                    let c = self.colleague;
                    (c, body.replace("{IF}", &self.interviewers[c].name))
                };
                let kind: &'static str = match kind {
                    "paired with" => "paired with",
                    "will follow up" => "will follow up",
                    "and I" => "and I",
                    _ => "full name",
                };
                flush(&mut plain, &mut segs);
                segs.push(Seg {
                    text,
                    what: What::Interviewer { interviewer, kind },
                });
                i += 2 + end + 2;
            } else if let Some(inner) = rest.strip_prefix('{') {
                let end = inner.find('}').expect("unclosed { in a template");
                let key = &inner[..end];
                i += 1 + end + 1;
                if let Some(p) = self.pronoun(key) {
                    plain.push_str(p);
                    continue;
                }
                let (name, case) = key.split_once(':').unwrap_or((key, ""));
                let possessive = template[i..].starts_with("'s");
                if possessive {
                    i += 2;
                }
                let own = &self.candidates[self.own];
                let other = &self.candidates[self.other];
                let second = &self.candidates[self.second];
                let (candidate, who, form, text) = match name {
                    "G" => (self.own, "own", "given", own.given.clone()),
                    "S" => (self.own, "own", "surname", own.surname.clone()),
                    "F" => (self.own, "own", "full name", own.name.clone()),
                    "N" => (
                        self.own,
                        "own",
                        "nickname",
                        own.nicknames.first().cloned().unwrap_or_else(|| own.given.clone()),
                    ),
                    "E" => (self.own, "own", "email", own.email.clone()),
                    "OG" => (self.other, "other", "given", other.given.clone()),
                    "OS" => (self.other, "other", "surname", other.surname.clone()),
                    "OF" => (self.other, "other", "full name", other.name.clone()),
                    "OE" => (self.other, "other", "email", other.email.clone()),
                    "PF" => (self.second, "other", "full name", second.name.clone()),
                    _ => panic!("unknown placeholder {{{key}}}"),
                };
                let mut text = match case {
                    "l" => text.to_lowercase(),
                    "u" => text.to_uppercase(),
                    _ => text,
                };
                let mut kind = format!("{who} {form}");
                if possessive {
                    text.push_str("'s");
                    kind.push_str(" possessive");
                }
                match case {
                    "l" => kind.push_str(" lowercase"),
                    "u" => kind.push_str(" caps"),
                    _ => {}
                }
                flush(&mut plain, &mut segs);
                segs.push(Seg {
                    text,
                    what: What::Name { candidate, kind, place },
                });
            } else {
                // Up to the next placeholder or mention (`{` and `[` are ASCII: a char boundary).
                let n = rest[1..].find(['{', '[']).map_or(rest.len(), |n| n + 1);
                plain.push_str(&rest[..n]);
                i += n;
            }
        }
        flush(&mut plain, &mut segs);
        segs
    }
}

/// A note being written: sentences of segments.
struct Draft {
    sentences: Vec<(Vec<Seg>, &'static str)>,
}

const MONDAY_2026_09_07_MS: i64 = 1_788_739_200_000;
const DAY_MS: i64 = 86_400_000;

impl Batch {
    /// A batch of `candidates` candidates; the same arguments always give the same batch.
    /// Full names are unique up to 716 candidates; past that they repeat (emails never).
    pub fn generate(candidates: usize, seed: u64) -> Batch {
        let mut rng = fastrand::Rng::with_seed(seed);
        let interviewers: Vec<Interviewer> = INTERVIEWERS
            .iter()
            .enumerate()
            .map(|(i, (given, surname))| Interviewer {
                id: format!("usr_{:04x}", 0x1a2b + i * 37),
                username: format!("{}{}", slug(given).chars().next().unwrap_or('x'), slug(surname)),
                given: given.to_string(),
                surname: surname.to_string(),
                name: format!("{given} {surname}"),
                email: format!("{}.{}@company.example", slug(given), slug(surname)),
            })
            .collect();
        let mut combos: Vec<(usize, usize)> = Vec::new();
        for (g, given) in GIVEN.iter().enumerate() {
            for (s, surname) in SURNAMES.iter().enumerate() {
                let taken = interviewers.iter().any(|i| i.given == *given && i.surname == *surname);
                if given != surname && !taken {
                    combos.push((g, s));
                }
            }
        }
        rng.shuffle(&mut combos);
        let people: Vec<Candidate> = (0..candidates)
            .map(|i| {
                let (g, s) = combos[i % combos.len()];
                let (given, surname) = (GIVEN[g], SURNAMES[s]);
                let (gs, ss) = (slug(given), slug(surname));
                let email = match rng.usize(..3) {
                    0 => format!("{gs}.{ss}{i}@example.com"),
                    1 => format!("{}{ss}{i}@example.net", &gs[..1]),
                    _ => format!("{ss}.{gs}{i}@example.org"),
                };
                Candidate {
                    given: given.to_string(),
                    surname: surname.to_string(),
                    name: format!("{given} {surname}"),
                    email,
                    nicknames: NICKNAMES
                        .iter()
                        .find(|(formal, _)| *formal == given)
                        .map(|(_, nicks)| nicks.iter().map(|n| n.to_string()).collect())
                        .unwrap_or_default(),
                    she: rng.bool(),
                }
            })
            .collect();
        // Who shares a name part with whom, for comparisons that collide.
        let mut by_part: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, c) in people.iter().enumerate() {
            by_part.entry(c.given.as_str()).or_default().push(i);
            by_part.entry(c.surname.as_str()).or_default().push(i);
        }
        let forms: Vec<Vec<(String, &'static str)>> = people.iter().map(Candidate::forms).collect();
        let mut interviews = Vec::new();
        for own in 0..candidates {
            let mut days: Vec<i64> = (0..INTERVIEWS_PER_CANDIDATE as i64).collect();
            rng.shuffle(&mut days);
            for (k, day) in days.into_iter().enumerate() {
                let mut authors: Vec<usize> = Vec::new();
                while authors.len() < NOTES_PER_INTERVIEW {
                    let a = rng.usize(..interviewers.len());
                    if !authors.contains(&a) {
                        authors.push(a);
                    }
                }
                let feedback = authors
                    .iter()
                    .map(|&author| {
                        let (notes, truth) = loop {
                            let note = write_note(
                                &mut rng,
                                &people,
                                &forms,
                                &interviewers,
                                &by_part,
                                own,
                                author,
                                &authors,
                            );
                            if let Some(note) = note {
                                break note;
                            }
                        };
                        let mut attribute_notes = [None; 3];
                        for n in &mut attribute_notes {
                            if rng.bool() {
                                *n = Some(pick(&mut rng, ATTRIBUTE_NOTES));
                            }
                        }
                        Feedback {
                            author,
                            notes,
                            truth,
                            level: pick(&mut rng, LEVELS),
                            evaluation: pick(&mut rng, EVALUATIONS),
                            scores: [1 + rng.i64(0..4), 1 + rng.i64(0..4), 1 + rng.i64(0..4)],
                            attribute_notes,
                        }
                    })
                    .collect();
                interviews.push(Interview {
                    id: format!("li_{:06}", own * INTERVIEWS_PER_CANDIDATE + k),
                    candidate: own,
                    start_ms: MONDAY_2026_09_07_MS
                        + (own as i64 % 60) * DAY_MS / 4
                        + day * 3 * DAY_MS
                        + rng.i64(0..8) * 3_600_000,
                    feedback,
                });
            }
        }
        rng.shuffle(&mut interviews);
        Batch {
            seed,
            candidates: people,
            interviewers,
            interviews,
        }
    }

    /// This candidate's interviews in packet order: by start, then id.
    pub fn interviews_of(&self, candidate: usize) -> Vec<&Interview> {
        let mut list: Vec<&Interview> = self.interviews.iter().filter(|i| i.candidate == candidate).collect();
        list.sort_by(|a, b| (a.start_ms, &a.id).cmp(&(b.start_ms, &b.id)));
        list
    }

    /// Every candidate's interviews in packet order, indexed by candidate.
    pub fn by_candidate(&self) -> Vec<Vec<&Interview>> {
        let mut all: Vec<Vec<&Interview>> = vec![Vec::new(); self.candidates.len()];
        for interview in &self.interviews {
            all[interview.candidate].push(interview);
        }
        for list in &mut all {
            list.sort_by(|a, b| (a.start_ms, &a.id).cmp(&(b.start_ms, &b.id)));
        }
        all
    }

    pub fn note_count(&self) -> usize {
        self.interviews.iter().map(|i| i.feedback.len()).sum()
    }

    pub fn source(&self) -> String {
        format!(
            "SYNTHETIC test data from benches/support/batch.rs (seed {}, {} candidates): every person, note, \
             email and number is invented",
            self.seed,
            self.candidates.len()
        )
    }

    /// The export, as `blindfold fetch` writes it: one interview a line.
    pub fn write_export(&self, out: &mut impl Write) -> io::Result<()> {
        let envelope = serde_json::json!({
            "blindfold_export": 1,
            "source": self.source(),
            "fetched_at": "2026-11-20T09:00:00Z",
        });
        let head = serde_json::to_string(&envelope)?;
        out.write_all(&head.as_bytes()[..head.len() - 1])?;
        out.write_all(b",\"live_interviews\":[\n")?;
        for (n, interview) in self.interviews.iter().enumerate() {
            let candidate = &self.candidates[interview.candidate];
            let feedback: Vec<serde_json::Value> = interview
                .feedback
                .iter()
                .map(|f| {
                    let author = &self.interviewers[f.author];
                    let attribute = |name: &str, i: usize| {
                        serde_json::json!({"name": name, "score": f.scores[i], "notes": f.attribute_notes[i]})
                    };
                    serde_json::json!({
                        "author": {
                            "id": author.id,
                            "username": author.username,
                            "profile": {"name": author.name, "email": author.email},
                        },
                        "notes": f.notes,
                        "categories": [
                            {"name": "Problem solving", "attributes": [attribute("Approach", 0), attribute("Complexity analysis", 1)]},
                            {"name": "Code quality", "attributes": [attribute("Correctness", 2)]},
                        ],
                        "recommendedLevel": f.level,
                        "evaluation": f.evaluation,
                    })
                })
                .collect();
            let value = serde_json::json!({
                "id": interview.id,
                "candidateEmail": candidate.email,
                "candidateName": candidate.name,
                "status": "over",
                "startDate": interview.start_ms,
                "finishDate": interview.start_ms + 3_600_000,
                "interviewersFeedback": feedback,
            });
            serde_json::to_writer(&mut *out, &value)?;
            out.write_all(if n + 1 < self.interviews.len() { b",\n" } else { b"\n" })?;
        }
        out.write_all(b"]}\n")
    }

    /// JSON Lines for `blindfold rewrite`, one line per note, consecutive lines about
    /// different candidates. Subjects: the candidate; as `other_candidate` the candidates the
    /// note names and up to 8 more who share a name part with the candidate; as `interviewer`
    /// the author and the interviewers the note names.
    pub fn write_jsonl(&self, out: &mut impl Write) -> io::Result<()> {
        let by_candidate = self.by_candidate();
        let mut sharing: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, c) in self.candidates.iter().enumerate() {
            sharing.entry(c.given.as_str()).or_default().push(i);
            sharing.entry(c.surname.as_str()).or_default().push(i);
        }
        let mut rng = fastrand::Rng::with_seed(self.seed ^ 0x6a73_6f6e);
        for slot in 0..INTERVIEWS_PER_CANDIDATE * NOTES_PER_INTERVIEW {
            for (own, interviews) in by_candidate.iter().enumerate() {
                let Some(interview) = interviews.get(slot / NOTES_PER_INTERVIEW) else {
                    continue;
                };
                let Some(f) = interview.feedback.get(slot % NOTES_PER_INTERVIEW) else {
                    continue;
                };
                let candidate = &self.candidates[own];
                let mut others: Vec<usize> = f.truth.mentions.iter().map(|m| m.candidate).collect();
                let pool: Vec<usize> = [candidate.given.as_str(), candidate.surname.as_str()]
                    .iter()
                    .flat_map(|p| sharing.get(p).into_iter().flatten().copied())
                    .collect();
                for _ in 0..8 {
                    if !pool.is_empty() {
                        others.push(pool[rng.usize(..pool.len())]);
                    }
                }
                others.retain(|&o| o != own);
                others.sort_unstable();
                others.dedup();
                let mut subjects =
                    vec![serde_json::json!({"role": "candidate", "name": candidate.name, "email": candidate.email})];
                for o in others {
                    let c = &self.candidates[o];
                    subjects.push(serde_json::json!({"role": "other_candidate", "name": c.name, "email": c.email}));
                }
                let mut named: Vec<usize> = vec![f.author];
                named.extend(f.truth.interviewers.iter().map(|m| m.interviewer));
                named.dedup();
                for i in named {
                    subjects.push(serde_json::json!({"role": "interviewer", "name": self.interviewers[i].name}));
                }
                let line = serde_json::json!({
                    "id": format!("{}#{}", interview.id, slot % NOTES_PER_INTERVIEW + 1),
                    "text": f.notes,
                    "subjects": subjects,
                });
                serde_json::to_writer(&mut *out, &line)?;
                out.write_all(b"\n")?;
            }
        }
        Ok(())
    }
}

/// Whether a sentence starts, and whether it ends, with a name or a word that can be one.
fn sensitive_edges(sentence: &[Seg]) -> (bool, bool) {
    let edge = |seg: Option<&Seg>, last: bool| match seg {
        Some(Seg {
            what: What::Plain,
            text,
        }) => {
            let words = words(text);
            let word = if last { words.last() } else { words.first() };
            word.is_some_and(|w| is_ordinary(&w.folded))
        }
        Some(_) => true,
        None => false,
    };
    let mut parts = sentence.iter().filter(|s| !s.text.trim().is_empty());
    let first = parts.clone().next();
    (edge(first, false), edge(parts.next_back(), true))
}

/// One note about candidate `own` by interviewer `author`, with its truth; `None` when the
/// draw made the truth ambiguous (an interviewer mention also formed by chance), to redraw.
#[allow(clippy::too_many_arguments)]
fn write_note(
    rng: &mut fastrand::Rng,
    candidates: &[Candidate],
    forms: &[Vec<(String, &'static str)>],
    interviewers: &[Interviewer],
    by_part: &HashMap<&str, Vec<usize>>,
    own: usize,
    author: usize,
    authors: &[usize],
) -> Option<(String, NoteTruth)> {
    let me = &candidates[own];
    // Another candidate: often one who shares a name part with this one.
    let other = loop {
        let o = if rng.bool() {
            let part = if rng.bool() { &me.given } else { &me.surname };
            let pool = &by_part[part.as_str()];
            pool[rng.usize(..pool.len())]
        } else {
            rng.usize(..candidates.len())
        };
        if o != own || candidates.len() == 1 {
            break o;
        }
    };
    let second = loop {
        let s = rng.usize(..candidates.len());
        if (s != own && s != other) || candidates.len() < 3 {
            break s;
        }
    };
    // A colleague: the other author of the interview, or anyone else.
    let colleague = loop {
        let c = if rng.bool() {
            *authors.iter().find(|&&a| a != author).unwrap_or(&author)
        } else {
            rng.usize(..interviewers.len())
        };
        if c != author {
            break c;
        }
    };
    // A given name standing alone must not be a given name of the note's candidates.
    let note_people = [own, other, second];
    let ambiguous = |i: usize| {
        let g = fold(&interviewers[i].given);
        note_people.iter().any(|&c| forms[c].iter().any(|(f, _)| *f == g))
    };
    let partner = (0..interviewers.len())
        .map(|k| (colleague + k) % interviewers.len())
        .find(|&i| i != author && !ambiguous(i));
    let scene = Scene {
        candidates,
        interviewers,
        own,
        other,
        second,
        colleague,
        partner,
    };

    let mut draft = Draft { sentences: Vec::new() };
    let add = |template: &str, place: &'static str, draft: &mut Draft| {
        draft.sentences.push((scene.expand(template, place), place));
    };
    let mut middle: Vec<(String, &'static str)> = Vec::new();
    for _ in 0..2 + rng.usize(..3) {
        middle.push((pick(rng, BODY).to_string(), "body"));
    }
    for _ in 0..1 + rng.usize(..2) {
        middle.push((pick(rng, OWN).to_string(), "own"));
    }
    if !me.nicknames.is_empty() && rng.usize(..3) > 0 {
        middle.push((pick(rng, NICKNAME).to_string(), "nickname"));
    }
    if rng.usize(..10) == 0 {
        middle.push((pick(rng, EMAIL).to_string(), "email"));
    }
    if candidates.len() > 2 && rng.usize(..3) > 0 {
        let o = &candidates[other];
        let template = match rng.usize(..3) {
            1 if o.given != me.given => pick(rng, OTHERS_GIVEN),
            2 if o.surname != me.surname => pick(rng, OTHERS_SURNAME),
            _ => pick(rng, OTHERS_FULL),
        };
        middle.push((template.to_string(), "referral"));
    }
    if rng.bool() {
        let template = match scene.partner {
            Some(_) if rng.usize(..3) == 0 => pick(rng, INTERVIEWERS_GIVEN),
            _ => pick(rng, INTERVIEWERS_FULL),
        };
        middle.push((template.to_string(), "interviewer"));
    }
    // Ordinary-sense uses: mostly of this candidate's own name words.
    let ordinary_forms = |c: usize| -> Vec<String> {
        forms[c]
            .iter()
            .map(|(f, _)| f.clone())
            .filter(|f| is_ordinary(f))
            .collect()
    };
    let own_words = ordinary_forms(own);
    let other_words = ordinary_forms(other);
    for _ in 0..1 + rng.usize(..2) {
        let word = match rng.usize(..10) {
            0..6 if !own_words.is_empty() => own_words[rng.usize(..own_words.len())].clone(),
            6..8 if !other_words.is_empty() => other_words[rng.usize(..other_words.len())].clone(),
            _ => pick(rng, ORDINARY).to_string(),
        };
        let sentences = ORDINARY_SENTENCES
            .iter()
            .find(|(w, _)| *w == word)
            .map(|(_, s)| *s)
            .expect("every ordinary word has sentences");
        middle.push((pick(rng, sentences).to_string(), "ordinary"));
    }
    rng.shuffle(&mut middle);
    // One note in four tells something the committee must not weigh.
    let mut facts: Vec<(&'static str, String)> = Vec::new();
    if rng.usize(..4) == 0 {
        let (kind, sentence, core) = pick(rng, FACTS);
        let age = (22 + rng.usize(..40)).to_string();
        let year = (1985 + rng.usize(..30)).to_string();
        let fill = |t: &str| t.replace("{AGE}", &age).replace("{YEAR}", &year);
        facts.push((kind, fill(core).to_lowercase()));
        let at = rng.usize(..=middle.len());
        middle.insert(at, (fill(sentence), "fact"));
    }

    let style = match rng.usize(..10) {
        0..6 => "prose",
        6..8 => "structured",
        _ => "hurried",
    };
    let mut text = String::new();
    let mut segs: Vec<Seg> = Vec::new();
    let push_plain = |segs: &mut Vec<Seg>, s: &str| {
        segs.push(Seg {
            text: s.to_string(),
            what: What::Plain,
        })
    };
    match style {
        "structured" => {
            add(pick(rng, HEADERS), "header", &mut draft);
            for (t, place) in &middle {
                add(t, if *place == "body" { "bullet" } else { place }, &mut draft);
            }
            add(pick(rng, VERDICT_HEADERS), "header", &mut draft);
            add(pick(rng, CLOSINGS), "closing", &mut draft);
            let n = draft.sentences.len();
            for (k, (sentence, _)) in draft.sentences.drain(..).enumerate() {
                if k == 0 {
                    segs.extend(sentence);
                    push_plain(&mut segs, "\n\n");
                } else if k == n - 2 {
                    push_plain(&mut segs, "\n\n");
                    segs.extend(sentence);
                    push_plain(&mut segs, "\n\n");
                } else if k == n - 1 {
                    segs.extend(sentence);
                } else {
                    if k > 1 {
                        push_plain(&mut segs, "\n");
                    }
                    push_plain(&mut segs, if rng.usize(..4) == 0 { "* " } else { "- " });
                    segs.extend(sentence);
                }
            }
        }
        _ => {
            add(pick(rng, OPENINGS), "opening", &mut draft);
            for (t, place) in &middle {
                add(t, place, &mut draft);
            }
            add(pick(rng, CLOSINGS), "closing", &mut draft);
            let hurried = style == "hurried";
            // In hurried notes, where no punctuation separates sentences, a name or a word that
            // can be one at either side of a join gets a line break: "lean hire for rose will
            // need" would read as Rose who will need.
            let mut sensitive_end = false;
            for (k, (mut sentence, _)) in draft.sentences.drain(..).enumerate() {
                if hurried {
                    for seg in &mut sentence {
                        seg.text = seg.text.to_lowercase();
                        match &mut seg.what {
                            What::Plain => seg.text.retain(|c| !matches!(c, '.' | ',' | ';' | ':' | '!' | '?')),
                            What::Name { kind, .. } => {
                                if let Some(k) = kind.strip_suffix(" caps") {
                                    *kind = k.to_string();
                                }
                                if !kind.ends_with("lowercase") && !kind.ends_with("email") {
                                    kind.push_str(" lowercase");
                                }
                            }
                            What::Interviewer { .. } => {}
                        }
                    }
                }
                let (sensitive_start, ends) = sensitive_edges(&sentence);
                if k > 0 {
                    let join = if hurried && (sensitive_end || sensitive_start) {
                        "\n"
                    } else if hurried {
                        pick(rng, &[" ", "\n", " and ", "  ", "\n"])
                    } else if rng.usize(..5) == 0 {
                        "\n\n"
                    } else {
                        " "
                    };
                    push_plain(&mut segs, join);
                }
                sensitive_end = ends;
                segs.extend(sentence);
            }
        }
    }

    let mut truth = NoteTruth {
        style,
        facts,
        ..NoteTruth::default()
    };
    for seg in &segs {
        let start = text.len();
        text.push_str(&seg.text);
        match &seg.what {
            What::Plain => {
                // Pronoun keys are expanded already; what is left is ordinary text.
                for w in words(&seg.text) {
                    if is_ordinary(&w.folded) {
                        truth.ordinary_spans.push((start + w.start, start + w.end));
                        *truth.ordinary.entry(w.folded).or_default() += 1;
                    }
                }
            }
            What::Name { candidate, kind, place } => truth.mentions.push(Mention {
                candidate: *candidate,
                kind: kind.clone(),
                place,
                text: seg.text.clone(),
                start,
            }),
            What::Interviewer { interviewer, kind } => truth.interviewers.push(InterviewerMention {
                interviewer: *interviewer,
                kind,
                text: seg.text.clone(),
                start,
            }),
        }
    }
    // A word running across two segments would make the counts lie: a name stands alone.
    let wordy = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || is_apostrophe(c));
    let mut parts = segs.iter().filter(|s| !s.text.is_empty());
    let mut previous = parts.next();
    for seg in parts {
        if previous.is_some_and(|p| wordy(p.text.chars().next_back())) && wordy(seg.text.chars().next()) {
            return None;
        }
        previous = Some(seg);
    }
    // An interviewer named in full sets whom a bare part means afterwards (issue 7): a bare
    // part of a candidate that is also a part of an interviewer named in the note has no
    // single right reading, so the draw is made again.
    let named_parts: Vec<String> = truth
        .interviewers
        .iter()
        .flat_map(|m| {
            let i = &interviewers[m.interviewer];
            [fold(&i.given), fold(&i.surname)]
        })
        .collect();
    let bare = |m: &Mention| !m.kind.contains("full") && !m.kind.contains("email");
    if truth
        .mentions
        .iter()
        .filter(|m| bare(m))
        .any(|m| words(&m.text).iter().any(|w| named_parts.contains(&w.folded)))
    {
        return None;
    }
    // Each fact must be readable in the note as inserted: once, whole.
    let lower = text.to_lowercase();
    if truth
        .facts
        .iter()
        .any(|(_, core)| lower.matches(core.as_str()).count() != 1)
    {
        return None;
    }
    // Each interviewer mention must occur exactly as often as it was inserted.
    for m in &truth.interviewers {
        let inserted = truth.interviewers.iter().filter(|n| n.text == m.text).count();
        if text.matches(m.text.as_str()).count() != inserted {
            return None;
        }
    }
    Some((text, truth))
}
