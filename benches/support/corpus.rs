//! A deterministic synthetic corpus of interview notes, for benchmarks.
//!
//! Every note is made up from templates: fictitious candidates with names of every shape,
//! gendered pronouns, kinship words, contact details, and a lot of ordinary technical prose,
//! as real notes have. The same size and seed always give the same corpus.

#![allow(dead_code)]

pub struct Candidate {
    pub name: String,
    pub email: String,
}

pub struct Note {
    pub candidate: usize,
    pub text: String,
}

pub struct Corpus {
    pub candidates: Vec<Candidate>,
    pub notes: Vec<Note>,
}

impl Corpus {
    pub fn bytes(&self) -> usize {
        self.notes.iter().map(|n| n.text.len()).sum()
    }
}

const GIVEN: &[&str] = &[
    "Priya",
    "José",
    "Liam",
    "Zoë",
    "Mei",
    "Oluwaseun",
    "Anne-Marie",
    "Siobhan",
    "Grace",
    "Will",
    "Robert",
    "Elizabeth",
    "Mohammed",
    "Aleksandra",
    "Kwame",
    "Yuki",
    "Fatima",
    "Dmitri",
    "Ana",
    "Chloé",
    "Rahul",
    "Ingrid",
    "Tomás",
    "Hye-jin",
    "Mark",
    "Noor",
    "Björn",
    "Camille",
    "Diego",
    "Ada",
];
const FAMILY: &[&str] = &[
    "Raman",
    "Álvarez-Núñez",
    "O'Connell",
    "Nguyen",
    "Okafor",
    "Kowalski",
    "Tanaka",
    "Haddad",
    "Smith",
    "van der Berg",
    "Müller",
    "Chen",
    "Adeyemi",
    "Fernández",
    "Kim",
    "Petrov",
    "Grant",
    "Lindqvist",
    "Mensah",
    "Dubois",
    "Sato",
    "Ivanova",
    "Rossi",
    "Park",
    "Abebe",
    "Nakamura",
];

/// Sentences with slots: {Name} full name, {First} given name, {he}/{He}, {his}/{His}, {him},
/// {himself}, {he_is} ("she's"), {email}, {phone}, {kin}.
const GENDERED: &[&str] = &[
    "{First} joined on time and {he} was calm while we set up the shared editor.",
    "{He} asked clarifying questions about the input size before writing any code.",
    "I gave {him} a hint about the invariant and {he} picked it up quickly.",
    "{His} first approach was a brute force in O(n^2); {he} then moved to a hash map.",
    "{He} doesn't test edge cases unless prompted, but {he} fixes bugs fast.",
    "{he_is} clearly worked with distributed queues before and {he} knows the tradeoffs.",
    "Was {he} nervous? A little at first, but {he} recovered and explained {his} reasoning.",
    "{First}'s solution passed all the hidden tests; the code was clean and {his} names were clear.",
    "{He} mentioned {his} {kin} also works in tech, which was unprompted.",
    "I asked {him} to walk me through the complexity and {he} did so without notes.",
    "{He} corrected {himself} twice when tracing the recursion, which I liked.",
    "{Name} can be reached at {email} or {phone} for the follow-up.",
    "Compared with {Other} yesterday, {he} was stronger on system design.",
    "{He} tries the simple thing first and refactors once the tests are green.",
    "The design was {his}, and {he} defended it well when I pushed on consistency.",
    "{He} always writes the signature first and then {he} reads the constraints again.",
];
const NEUTRAL: &[&str] = &[
    "We covered a rate limiter with a sliding window and discussed Redis versus an in-memory map.",
    "The second question was a graph traversal; BFS was the right call because edges are unweighted.",
    "Communication was clear and the trade-offs between consistency and availability were well argued.",
    "The candidate used a min-heap to merge the k sorted lists, which brings it to O(n log k).",
    "Testing: wrote unit tests for the empty input, a single element and duplicate keys.",
    "There was some confusion about the API contract, resolved after re-reading the prompt.",
    "Overall the code quality was high: small functions, good names, no dead branches.",
    "We spent the last ten minutes on questions about the team, on-call and the release process.",
    "Recommend moving forward to the onsite; strong signal on problem solving and collaboration.",
    "Debugging was methodical: print the state, bisect the input, then fix the off-by-one.",
    "The schema design normalised the orders table and added an index on (customer_id, created_at).",
    "Concurrency: identified the race on the shared counter and proposed an atomic or a mutex.",
];
const KIN: &[&str] = &["wife", "husband", "sister", "brother", "mom", "dad", "daughter", "son"];

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*: fast, deterministic, good enough to vary templates.
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
}

fn ascii_local(name: &str) -> String {
    blindfold::rewrite::fold(name)
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == ' ')
        .collect::<String>()
        .replace(' ', ".")
}

/// Notes totalling at least `target_bytes`, for 500 candidates, each note about one of them.
pub fn generate(target_bytes: usize, seed: u64) -> Corpus {
    let mut rng = Rng(seed | 1);
    let candidates: Vec<Candidate> = (0..500)
        .map(|i| {
            let given = GIVEN[i % GIVEN.len()];
            let family = FAMILY[(i / GIVEN.len() + i) % FAMILY.len()];
            let name = format!("{given} {family}");
            let email = format!("{}{}@example.com", ascii_local(&name), i);
            Candidate { name, email }
        })
        .collect();
    let mut notes = Vec::new();
    let mut total = 0;
    while total < target_bytes {
        let candidate = (rng.next() % candidates.len() as u64) as usize;
        let c = &candidates[candidate];
        let other = &candidates[(candidate + 1) % candidates.len()];
        let she = rng.next().is_multiple_of(2);
        let (he, his, him, himself, he_is) = if she {
            ("she", "her", "her", "herself", "She's")
        } else {
            ("he", "his", "him", "himself", "He's")
        };
        let first = c.name.split(' ').next().unwrap_or(&c.name);
        let mut text = String::new();
        let sentences = 6 + rng.next() % 10;
        for _ in 0..sentences {
            let template = if rng.next().is_multiple_of(3) {
                rng.pick(GENDERED)
            } else {
                rng.pick(NEUTRAL)
            };
            let phone = format!("555-{:03}-{:04}", rng.next() % 1000, rng.next() % 10000);
            let sentence = template
                .replace("{Name}", &c.name)
                .replace("{First}", first)
                .replace("{Other}", &other.name)
                .replace("{He}", &capitalise(he))
                .replace("{His}", &capitalise(his))
                .replace("{he_is}", he_is)
                .replace("{himself}", himself)
                .replace("{he}", he)
                .replace("{his}", his)
                .replace("{him}", him)
                .replace("{email}", &c.email)
                .replace("{phone}", &phone)
                .replace("{kin}", rng.pick(KIN));
            if !text.is_empty() {
                text.push(if rng.next().is_multiple_of(4) { '\n' } else { ' ' });
            }
            text.push_str(&sentence);
        }
        total += text.len();
        notes.push(Note { candidate, text });
    }
    Corpus { candidates, notes }
}

fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}
