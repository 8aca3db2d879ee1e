//! The people index: everyone a text may name (the candidate, the other candidates of the
//! batch, the interviewers), with every form of their names, folded once.
//!
//! Compiling it is a few hash inserts per name form, so a caller may compile one per line
//! of input. Words of a text are looked up in it one by one (see `names.rs`); nothing is
//! built per text.

use std::borrow::Cow;
use std::sync::Arc;

use hashbrown::HashTable;
use rustc_hash::{FxBuildHasher, FxHashMap};

use super::pronouns::Pronoun;
use crate::fold::fold;
use crate::rules::RuleSet;
pub use crate::subject::{Role, SubjectError, SubjectSpec};

/// Which rule a form of a name belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum VariantKind {
    Part,
    Nickname,
    Email,
    Handle,
}

/// How sure a bare match of this form is to be the name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Ambiguity {
    /// Not an English word: every match is the name.
    None,
    /// Also a common word ("Will", "Grace", "June"): the name unless the sentence shows the
    /// ordinary sense.
    CommonWord,
    /// Usually capitalised in notes without being a person ("Ruby", "Rust"): the name
    /// unless the sentence shows the thing ("in Ruby", "Ruby and Go").
    ProperWord,
    /// A short form guessed from the given name ("Nik" of Nikhil), which the person may
    /// never be called and which may be anything ("git", "dev"): the name only where the
    /// sentence shows a person.
    Clipped,
    /// A pronoun ("He" is a surname): only next to another part of the name or a title.
    Pronoun,
}

/// One person's claim on a folded word.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Form {
    pub person: u32,
    pub kind: VariantKind,
    pub ambiguity: Ambiguity,
    /// Which part of the name: the index of the name's main token (a nickname counts as
    /// the first); `u8::MAX` for handles and emails.
    pub position: u8,
}

#[derive(Debug)]
pub(crate) struct Person {
    pub role: Role,
    /// Replaces the name, as written, whatever the role.
    pub label: Option<String>,
    /// First letters of the name's parts, in order, middle initials and the pieces of a
    /// hyphenated given name included, for initials ("P. Raman", "P.R.", "A.J. Whitmore" of
    /// Anna-Jane). Not aligned with `Form::position`: compare letters, not indices.
    pub initials: Vec<char>,
    /// Folded particles of the name ("van", "de"), which may sit between its parts.
    pub particles: Vec<String>,
    /// The first letters of the keys of `PeopleIndex::initials` that are this person's: a
    /// word starting otherwise is none of their initials.
    pub initials_start: Vec<u8>,
}

impl Person {
    /// Is `c` the initial of a part of the name other than the one written, whose own
    /// initial is `own`, wherever that part stands ("Long T" of Tran Van Long, written given
    /// name first)? Letters, not positions: hyphen pieces and middle initials shift those.
    pub fn initial_of_another_part(&self, c: char, own: Option<char>) -> bool {
        let times = self.initials.iter().filter(|&&i| i == c).count();
        times >= 2 || (times == 1 && Some(c) != own)
    }
}

/// A name written in a script without spaces between words (Chinese, Japanese, Korean),
/// or another script's word, matched in the text as written.
#[derive(Debug)]
pub(crate) struct ScriptForm {
    pub text: String,
    pub person: u32,
    /// Match anywhere, without word boundaries (CJK).
    pub anywhere: bool,
}

/// A compiled set of people, cheap to share between threads and to clone.
#[derive(Debug, Clone, Default)]
pub struct Subjects {
    pub(crate) inner: Option<Arc<PeopleIndex>>,
    /// The person who is "the candidate" of the text at hand, whatever the roles say: a
    /// batch compiles everyone once, and each packet focuses on its own candidate.
    pub(crate) focus: Option<u32>,
    /// The interviewer who wrote the text: a bare name they share with a candidate is not
    /// theirs (nobody writes of themselves by first name), so it is the candidate's.
    pub(crate) author: Option<u32>,
    /// How interviewers named in the text appear, when not as written.
    pub(crate) interviewers: Option<Arc<InterviewerNames>>,
    /// The interviewers of the interview at hand, when the people are a whole batch: only
    /// they make a candidate's bare name doubtful. `None`: every interviewer does.
    pub(crate) panel: Option<Arc<[u32]>>,
}

/// What replaces an interviewer's name: a label per person ("Interviewer 2"), and for the
/// others a phrase ("an interviewer"), or nothing (kept as written).
#[derive(Debug, Clone, Default)]
pub struct InterviewerNames {
    pub labels: FxHashMap<u32, String>,
    pub others: Option<String>,
}

#[derive(Debug, Default)]
pub(crate) struct PeopleIndex {
    pub people: Vec<Person>,
    /// Folded word -> the people it may name (a range of `forms`, sorted by person). Keyed
    /// by bytes: a word of the folded text is ASCII, and is looked up without checking it
    /// is UTF-8. The words themselves sit end to end in `word_text`: one allocation for all.
    words: HashTable<WordEntry>,
    word_text: Vec<u8>,
    /// Every word's forms, one run per word: one allocation for them all.
    forms: Vec<Form>,
    /// Per form of `forms`: its ambiguity is the word's, settled when a text names it. Most
    /// forms are never named, and settling one reads the lexicon's large tables.
    unsettled: Vec<bool>,
    /// "mac leod" for MacLeod: two words that together are a part of a name.
    pub pairs: FxHashMap<Box<str>, Vec<Form>>,
    /// First words of `pairs` (a handful: compared, not hashed).
    pub pair_heads: Vec<Box<str>>,
    /// Folded email -> whose.
    pub emails: FxHashMap<Box<str>, Vec<Form>>,
    /// Initials of candidates' names ("pr" for Priya Raman), for "P.R." and "P. R.".
    pub initials: FxHashMap<Box<str>, Vec<u32>>,
    pub script_forms: Vec<ScriptForm>,
    /// A bit per (length, first, last byte) of every word in `words`: most words of a text
    /// are ruled out without hashing them.
    filter: Vec<u64>,
}

/// The filter's size in bits for `people` people: about 256 bits a person, so a line's
/// own index (two or three people) stays small, and a batch's fills at most 4 KiB.
fn filter_bits(people: usize) -> usize {
    (people * 256).next_power_of_two().clamp(1 << 10, 1 << 15)
}

fn filter_slot(word: &[u8], bits: usize) -> usize {
    let first = word[0] as usize;
    let last = word[word.len() - 1] as usize;
    let mixed = first.wrapping_mul(131) ^ last.wrapping_mul(8191) ^ word.len().min(31).wrapping_mul(0x9e37);
    (mixed ^ (mixed >> 11)) & (bits - 1)
}

/// A word of the index: its bytes in `word_text`, and its run of `forms`.
#[derive(Debug, Clone, Copy)]
struct WordEntry {
    text: (u32, u32),
    forms: (u32, u32),
}

fn word_hash(word: &[u8]) -> u64 {
    use std::hash::BuildHasher;
    FxBuildHasher.hash_one(word)
}

impl PeopleIndex {
    /// Could `word` (folded, non-empty) be in `words`? No false negatives.
    #[inline]
    pub fn may_hold(&self, word: &[u8]) -> bool {
        let slot = filter_slot(word, self.filter.len() * 64);
        self.filter[slot / 64] & (1 << (slot % 64)) != 0
    }

    fn text_of(&self, entry: &WordEntry) -> &[u8] {
        &self.word_text[entry.text.0 as usize..entry.text.1 as usize]
    }

    /// The people `word` (folded) may name, sorted by person, each form with its ambiguity.
    pub fn forms_of(&self, rules: &RuleSet, word: &[u8]) -> Option<Cow<'_, [Form]>> {
        let entry = self.words.find(word_hash(word), |e| self.text_of(e) == word)?;
        let run = entry.forms.0 as usize..entry.forms.1 as usize;
        let forms = self.forms.get(run.clone())?;
        let unsettled = self.unsettled.get(run)?;
        if !unsettled.contains(&true) {
            return Some(Cow::Borrowed(forms));
        }
        let word_ambiguity = std::str::from_utf8(word).map_or(Ambiguity::None, |w| ambiguity(rules, w));
        Some(Cow::Owned(
            forms
                .iter()
                .zip(unsettled)
                .map(|(form, &unsettled)| {
                    if unsettled {
                        Form {
                            ambiguity: word_ambiguity,
                            ..*form
                        }
                    } else {
                        *form
                    }
                })
                .collect(),
        ))
    }

    /// Index every person's words, once, into an index that has none yet: `entries` are
    /// spans of `text`, in the order they were found, person by person. A person claims a
    /// word once (see `NameForms::of`), so a word's run of forms is its entries in order:
    /// sorted by person, without sorting.
    fn add_words(&mut self, text: Vec<u8>, entries: &[(u32, u32, Form, bool)]) {
        debug_assert!(self.words.is_empty() && self.forms.is_empty());
        let bits = self.filter.len() * 64;
        let mut counts: Vec<u32> = Vec::new();
        let mut groups: Vec<u32> = Vec::with_capacity(entries.len());
        self.words.reserve(entries.len(), |e| {
            word_hash(&text[e.text.0 as usize..e.text.1 as usize])
        });
        for &(start, end, _, _) in entries {
            let word = &text[start as usize..end as usize];
            let slot = filter_slot(word, bits);
            self.filter[slot / 64] |= 1 << (slot % 64);
            let hash = word_hash(word);
            let next = counts.len() as u32;
            let group = match self
                .words
                .find(hash, |e| &text[e.text.0 as usize..e.text.1 as usize] == word)
            {
                Some(e) => e.forms.0,
                None => {
                    self.words.insert_unique(
                        hash,
                        WordEntry {
                            text: (start, end),
                            forms: (next, 0),
                        },
                        |e| word_hash(&text[e.text.0 as usize..e.text.1 as usize]),
                    );
                    counts.push(0);
                    next
                }
            };
            counts[group as usize] += 1;
            groups.push(group);
        }
        // Each word's run starts where the runs of the words first seen before it end.
        let mut starts: Vec<u32> = Vec::with_capacity(counts.len());
        let mut at = 0;
        for count in &counts {
            starts.push(at);
            at += count;
        }
        let Some(&(_, _, first, _)) = entries.first() else {
            return;
        };
        self.forms.resize(at as usize, first);
        self.unsettled.resize(at as usize, false);
        let mut cursor = starts.clone();
        for (&group, &(_, _, form, unsettled)) in groups.iter().zip(entries) {
            let place = &mut cursor[group as usize];
            self.forms[*place as usize] = form;
            self.unsettled[*place as usize] = unsettled;
            *place += 1;
        }
        for entry in self.words.iter_mut() {
            let group = entry.forms.0 as usize;
            entry.forms = (starts[group], starts[group] + counts[group]);
        }
        self.word_text = text;
    }
}

impl Subjects {
    /// No subjects: nothing is a name.
    pub fn none() -> Subjects {
        Subjects::default()
    }

    /// The same people, with the one at `index` as "the candidate" and every other
    /// candidate as "another candidate".
    pub fn focused_on(&self, index: usize) -> Subjects {
        Subjects {
            focus: Some(index as u32),
            ..self.clone()
        }
    }

    /// The same people, for a text written by the person at `index` (an interviewer).
    pub fn written_by(&self, index: Option<usize>) -> Subjects {
        Subjects {
            author: index.map(|i| i as u32),
            ..self.clone()
        }
    }

    /// The same people, with interviewers named as `names` says.
    pub fn with_interviewer_names(&self, names: Option<Arc<InterviewerNames>>) -> Subjects {
        Subjects {
            interviewers: names,
            ..self.clone()
        }
    }

    /// The same people, where only the interviewers at `panel` (indexes as for
    /// [`Subjects::focused_on`]) interviewed the candidate at hand.
    pub fn with_panel(&self, panel: impl IntoIterator<Item = usize>) -> Subjects {
        Subjects {
            panel: Some(panel.into_iter().map(|i| i as u32).collect()),
            ..self.clone()
        }
    }

    /// Does `person`, an interviewer, sit on the panel of the text at hand?
    pub(crate) fn on_panel(&self, person: u32) -> bool {
        self.panel.as_ref().is_none_or(|p| p.contains(&person))
    }

    /// Is `person` "the candidate" here?
    pub(crate) fn is_focus(&self, person: u32) -> bool {
        match self.focus {
            Some(focus) => focus == person,
            None => self
                .inner
                .as_ref()
                .is_some_and(|i| i.people[person as usize].role == Role::Candidate),
        }
    }

    pub(crate) fn role(&self, person: u32) -> Role {
        if self.is_focus(person) {
            return Role::Candidate;
        }
        match self.inner.as_ref().map(|i| i.people[person as usize].role) {
            Some(Role::Interviewer) => Role::Interviewer,
            _ => Role::OtherCandidate,
        }
    }

    /// Compile the forms the rule set's name rules ask for (`all_forms`: every form,
    /// whatever the rules say, as the audit needs).
    pub(crate) fn compile(rules: &RuleSet, specs: &[SubjectSpec], all_forms: bool) -> Result<Subjects, SubjectError> {
        if specs.is_empty() {
            return Ok(Subjects::none());
        }
        let mut index = PeopleIndex {
            people: Vec::with_capacity(specs.len()),
            filter: vec![0; filter_bits(specs.len()) / 64],
            ..PeopleIndex::default()
        };
        // About a dozen words a person: parts, nicknames, handles.
        let mut entries: Vec<(u32, u32, Form, bool)> = Vec::with_capacity(specs.len() * 16);
        let mut text: Vec<u8> = Vec::with_capacity(specs.len() * 96);
        for (i, spec) in specs.iter().enumerate() {
            let has_name = spec.name.as_deref().is_some_and(|n| !n.trim().is_empty());
            let has_email = spec.email.as_deref().is_some_and(|e| !e.trim().is_empty());
            if !has_name && !has_email {
                return Err(SubjectError::Empty { index: i });
            }
            let person = i as u32;
            let mut forms = NameForms::of(rules, spec, all_forms, text);
            text = std::mem::take(&mut forms.text);
            if let Some(label) = &spec.label {
                let folded_label = fold(label);
                let label_words: Vec<&str> = folded_label.split(|c: char| !c.is_ascii_alphanumeric()).collect();
                if forms.words.iter().any(|&(start, end, _, _)| {
                    label_words
                        .iter()
                        .any(|w| w.as_bytes() == &text[start as usize..end as usize])
                }) {
                    return Err(SubjectError::LabelNamesSubject { index: i });
                }
            }
            for (start, end, mut form, unsettled) in forms.words {
                form.person = person;
                entries.push((start, end, form, unsettled));
            }
            for (pair, mut form) in forms.pairs {
                form.person = person;
                if let Some((head, _)) = pair.split_once(' ')
                    && !index.pair_heads.iter().any(|h| **h == *head)
                {
                    index.pair_heads.push(head.into());
                }
                index.pairs.entry(pair.into()).or_default().push(form);
            }
            if let Some(email) = forms.email {
                index.emails.entry(email.into()).or_default().push(Form {
                    person,
                    kind: VariantKind::Email,
                    ambiguity: Ambiguity::None,
                    position: u8::MAX,
                });
            }
            for (text, anywhere) in forms.script {
                index.script_forms.push(ScriptForm { text, person, anywhere });
            }
            let initials = std::mem::take(&mut forms.initials);
            let mut initials_start: Vec<u8> = Vec::new();
            if spec.role.is_candidate() && initials.len() >= 2 && initials.iter().all(char::is_ascii_alphabetic) {
                let all: String = initials.iter().collect();
                let ends: String = [initials[0], initials[initials.len() - 1]].iter().collect();
                // "A.J." for Anthony James Whitley: the given names' initials; "J.W." or
                // "JW" for Ji-woo Park, of the pieces of a hyphenated given name.
                let given: String = initials[..initials.len() - 1].iter().collect();
                let given_names = &forms.main[..forms.main.len() - 1];
                let pieces: Vec<char> = if given_names.iter().any(|t| t.contains('-')) {
                    given_names
                        .iter()
                        .flat_map(|t| t.split('-').filter_map(|p| p.chars().next()))
                        .collect()
                } else {
                    Vec::new()
                };
                let given_pieces: String = pieces.iter().collect();
                // "JPD" and "J-P" (or "J.-P.") for Jean-Pierre Dubois; the hyphen stays in
                // the key, which only a hyphenated given name has.
                let pieces_and_family: String = match initials.last() {
                    Some(&family) if !pieces.is_empty() => pieces.iter().chain([&family]).collect(),
                    _ => String::new(),
                };
                let hyphened: String = pieces.iter().map(char::to_string).collect::<Vec<_>>().join("-");
                // "JH" for Park Ji-hoon, written family name first: the pieces of a
                // hyphenated last part of two, the syllables of one given name, as its
                // lowercase piece shows ("Al-Farsi" and "Taylor-Ma" are family names).
                let syllables = spec
                    .name
                    .as_deref()
                    .and_then(|n| n.rsplit(' ').next())
                    .and_then(|last| last.split_once('-'))
                    .is_some_and(|(_, second)| second.starts_with(|c: char| c.is_lowercase()));
                let last_pieces: String = match &forms.main[..] {
                    [_, last] if syllables && last.contains('-') => {
                        last.split('-').filter_map(|p| p.chars().next()).collect()
                    }
                    _ => String::new(),
                };
                // "PvdB" for Pieter van der Berg: the particles' letters too.
                let with_particles = std::mem::take(&mut forms.particle_initials);
                let keys = [
                    all,
                    ends,
                    given,
                    given_pieces,
                    pieces_and_family,
                    hyphened,
                    with_particles,
                    last_pieces,
                ];
                for key in keys
                    .into_iter()
                    .filter(|k| k.len() >= 2 && k.chars().all(|c| c.is_ascii_alphabetic() || c == '-'))
                {
                    if let Some(&first) = key.as_bytes().first()
                        && !initials_start.contains(&first)
                    {
                        initials_start.push(first);
                    }
                    let entry = index.initials.entry(key.into()).or_default();
                    if !entry.contains(&person) {
                        entry.push(person);
                    }
                }
            }
            index.people.push(Person {
                role: spec.role,
                label: spec.label.clone(),
                initials,
                particles: forms.particles,
                initials_start,
            });
        }
        // Sorted by person, so that a mention finds one person's form in a word hundreds of
        // people share by binary search (who wins a tie is decided in names.rs, by role).
        index.add_words(text, &entries);
        for list in index.pairs.values_mut().chain(index.emails.values_mut()) {
            list.sort_by_key(|f| f.person);
        }
        Ok(Subjects {
            inner: Some(Arc::new(index)),
            ..Subjects::default()
        })
    }

    /// Number of people.
    pub fn len(&self) -> usize {
        self.inner.as_ref().map_or(0, |i| i.people.len())
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

fn name_tokens(name: &str) -> impl Iterator<Item = &str> {
    name.split(|c: char| c.is_whitespace() || c == ',')
        .map(|t| t.trim_end_matches('.'))
        .filter(|t| !t.is_empty())
}

/// "banks", "wells", "fields": the plural of an English noun, which the word lists hold in
/// the singular.
fn plural_of_word(rules: &RuleSet, form: &str) -> bool {
    let words = &rules.lexicon.common_words;
    let Some(stem) = form.strip_suffix('s') else {
        return false;
    };
    stem.len() >= 3
        && !stem.ends_with('s')
        && (words.contains(stem)
            || stem
                .strip_suffix('e')
                .is_some_and(|s| s.len() >= 3 && words.contains(s)))
}

pub(crate) fn ambiguity(rules: &RuleSet, form: &str) -> Ambiguity {
    // A name that is one of the pronouns the grammar rewrites ("Her"); they all start with
    // an "h" or an "s", which spares most forms the comparisons.
    if matches!(form.as_bytes().first(), Some(b'h' | b's'))
        && Pronoun::WORDS.iter().any(|(pronoun, _)| *pronoun == form)
    {
        Ambiguity::Pronoun
    } else if !form.ends_with('s') && !rules.lexicon.name_words.may_contain(form) {
        // Most forms are no word, which one hash tells ("banks" is the plural of one).
        Ambiguity::None
    } else if rules.names.proper_words.contains(form) {
        Ambiguity::ProperWord
    } else if rules.lexicon.common_words.contains(form)
        || rules.names.months.contains(form)
        || plural_of_word(rules, form)
    {
        Ambiguity::CommonWord
    } else {
        Ambiguity::None
    }
}

/// Scripts written without spaces between words: a name there has no word boundaries.
fn is_unspaced_script(c: char) -> bool {
    matches!(c,
        '\u{3040}'..='\u{30ff}' // Hiragana, Katakana
        | '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}' | '\u{f900}'..='\u{faff}' // Han
        | '\u{ac00}'..='\u{d7af}' | '\u{1100}'..='\u{11ff}' // Hangul
    )
}

/// Every form of one person's name and email.
struct NameForms {
    /// The folded words of every person so far, end to end (the people index's `word_text`,
    /// lent for this person's words).
    text: Vec<u8>,
    /// This person's words: spans of `text`, each with its form, and whether the form's
    /// ambiguity is the word's, to be settled when a text names it.
    words: Vec<(u32, u32, Form, bool)>,
    pairs: Vec<(String, Form)>,
    email: Option<String>,
    script: Vec<(String, bool)>,
    main: Vec<String>,
    /// First letters of the name's parts, middle initials and a given name's hyphenated
    /// pieces included, in order.
    initials: Vec<char>,
    /// First letters of every word of the name, particles included ("pvdb" of Pieter van
    /// der Berg); empty when the name has no particle.
    particle_initials: String,
    particles: Vec<String>,
}

impl NameForms {
    /// The forms of `spec`'s name; its words are added to the end of `text`.
    fn of(rules: &RuleSet, spec: &SubjectSpec, all_forms: bool, text: Vec<u8>) -> NameForms {
        let names = &rules.names;
        let ids = &names.ids;
        let wanted = |id: &Option<Arc<str>>| all_forms || id.is_some();
        let mut forms = NameForms {
            text,
            words: Vec::with_capacity(16),
            pairs: Vec::new(),
            email: None,
            script: Vec::new(),
            main: Vec::new(),
            initials: Vec::new(),
            particle_initials: String::new(),
            particles: Vec::new(),
        };
        let raw = spec.name.as_deref().unwrap_or("");
        // Another script's words are matched as written, not as transliterated: a Latin
        // name must never match inside a transliteration, and "王伟" is no "wang wei".
        let mut latin_tokens: Vec<String> = Vec::new();
        // Other spellings of a part: "Müller" is written "Mueller" too, and "Mueller" "Müller".
        let mut respelled: Vec<(String, String)> = Vec::new();
        let mut unspaced = String::new();
        for token in name_tokens(raw) {
            let foreign = token.chars().any(crate::fold::is_other_script);
            if !foreign {
                let folded = fold(token);
                if let Some(other) = respelling(token, &folded) {
                    respelled.push((folded.clone(), other));
                }
                latin_tokens.push(folded);
                continue;
            }
            // "Zhang Wei (张伟)": the script's word without its brackets or quotes.
            let lower = token.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase();
            if lower.chars().any(is_unspaced_script) {
                unspaced.push_str(&lower);
                // "张小明", "김민준", "田中優子" written whole: the family name is the first
                // one or two characters, and the given name ("小明", "민준", "優子") is used
                // alone.
                let chars: Vec<char> = lower.chars().collect();
                if chars.iter().all(|c| is_unspaced_script(*c)) && matches!(chars.len(), 3 | 4) {
                    forms.script.push((chars[chars.len() - 2..].iter().collect(), true));
                    if chars.len() == 4 {
                        forms.script.push((chars[..2].iter().collect(), true));
                    }
                }
                if lower.chars().count() >= 2 {
                    forms.script.push((lower, true));
                }
            } else {
                forms.script.push((lower, false));
                // Cyrillic and Greek transliterate well: "Дмитрий" is written "Dmitrii" too.
                latin_tokens.push(fold(token));
            }
        }
        if unspaced.chars().count() >= 2 && !forms.script.iter().any(|(t, _)| *t == unspaced) {
            forms.script.push((unspaced, true));
        }
        let tokens: Vec<&str> = latin_tokens
            .iter()
            .map(|t| t.trim_matches(|c: char| !c.is_ascii_alphanumeric()))
            .filter(|t| !t.is_empty() && !names.is_title_or_suffix(t))
            .collect();
        // A particle stands before a part of the name; one that ends the name is its family
        // name ("Hung Le", "Minh Van").
        let last = tokens.len().saturating_sub(1);
        let is_particle = |i: usize, t: &str| i < last && names.is_particle(t);
        // "Al-Rashid" written "Al Rashid": a particle joined to the part by a hyphen too.
        forms.particles = tokens
            .iter()
            .enumerate()
            .flat_map(|(i, t)| {
                let pieces = t.split('-').count();
                t.split('-')
                    .enumerate()
                    .filter(move |&(j, p)| (i < last || j + 1 < pieces) && names.is_particle(p))
            })
            .map(|(_, t)| t.to_string())
            .collect();
        // The parts that carry the name: not particles, not initials. A particle that opens
        // a name of three parts or more is its family name ("Lê Thu Hà"), not a particle.
        let family_first = tokens.len() >= 3 && !tokens.get(1).is_some_and(|t| names.is_particle(t));
        let parts = || {
            tokens
                .iter()
                .enumerate()
                .filter(move |&(i, t)| !is_particle(i, t) || (i == 0 && family_first))
                .map(|(_, t)| *t)
        };
        forms.main = parts().filter(|t| t.chars().count() > 1).map(str::to_string).collect();
        // "T.J. Mbah" has the initials t, j and m; "Rebecca J. Thornton" r, j and t;
        // "Anna-Jane Whitmore" a, j and w ("A.J. Whitmore"), a hyphenated family name one.
        let part_count = parts().count();
        forms.initials = parts()
            .enumerate()
            .flat_map(|(i, t)| {
                let given = i + 1 < part_count;
                t.split(move |c: char| c == '.' || (given && c == '-'))
                    .filter(|p| !p.is_empty())
            })
            .filter_map(|t| t.chars().next())
            .collect();
        if family_first && let Some(first) = tokens.first() {
            forms.particles.retain(|p| p != first);
        }
        if tokens.iter().enumerate().any(|(i, t)| is_particle(i, t)) && !family_first {
            forms.particle_initials = tokens.iter().filter_map(|t| t.chars().next()).collect();
        }
        // `ambiguity`: `None` for the word's own, settled when a text names it.
        let add_as =
            |forms: &mut NameForms, word: &str, kind: VariantKind, position: u8, ambiguity: Option<Ambiguity>| {
                // A few dozen forms at most: a scan costs less than hashing a copy of each, and a
                // form seen already costs no allocation.
                let text = &forms.text;
                if word.len() < 2
                    || forms
                        .words
                        .iter()
                        .any(|&(start, end, _, _)| &text[start as usize..end as usize] == word.as_bytes())
                {
                    return;
                }
                let start = forms.text.len() as u32;
                forms.text.extend_from_slice(word.as_bytes());
                forms.words.push((
                    start,
                    forms.text.len() as u32,
                    Form {
                        person: 0,
                        kind,
                        ambiguity: ambiguity.unwrap_or(Ambiguity::None),
                        position,
                    },
                    ambiguity.is_none(),
                ));
            };
        let add = |forms: &mut NameForms, word: &str, kind: VariantKind, position: u8| {
            add_as(forms, word, kind, position, None);
        };
        let main = std::mem::take(&mut forms.main);
        if wanted(&ids.part) {
            for (position, token) in main.iter().enumerate() {
                let position = position.min(200) as u8;
                // "álvarez-núñez": the text shows its pieces as words joined by a hyphen.
                let pieces: Vec<&str> = token
                    .split('-')
                    .filter(|p| !forms.particles.iter().any(|x| x == p))
                    .collect();
                for piece in pieces {
                    add(&mut forms, piece, VariantKind::Part, position);
                    if piece.contains('\'') {
                        // "o'connell" also as "oconnell".
                        add(&mut forms, &piece.replace('\'', ""), VariantKind::Part, position);
                    }
                    // "MacLeod" may be written "Mac Leod".
                    for prefix in &names.split_prefixes {
                        // The first byte rules out most prefixes without a call to compare.
                        if prefix.as_bytes().first() != piece.as_bytes().first() {
                            continue;
                        }
                        if let Some(rest) = piece.strip_prefix(&**prefix)
                            && rest.len() >= 3
                            && !rest.starts_with('\'')
                        {
                            forms.pairs.push((
                                [prefix, " ", rest].concat(),
                                Form {
                                    person: 0,
                                    kind: VariantKind::Part,
                                    ambiguity: Ambiguity::None,
                                    position,
                                },
                            ));
                        }
                    }
                }
                if token.contains('-') {
                    // "Young-min" is written "Youngmin" too, "Al-Rashid" "Alrashid".
                    add(&mut forms, &token.replace(['-', '\''], ""), VariantKind::Part, position);
                }
                for (_, other) in respelled.iter().filter(|(part, _)| part == token) {
                    if ambiguity(rules, other) == Ambiguity::None {
                        add(&mut forms, other, VariantKind::Part, position);
                    }
                }
            }
            // "van der Berg" may be written "Vanderberg"; "De Luca" "DeLuca".
            if !forms.particles.is_empty() {
                let mut joined = String::new();
                for token in &tokens {
                    if names.is_particle(token) {
                        joined.push_str(token);
                    } else if !joined.is_empty() {
                        joined.push_str(token);
                        let position = main.iter().position(|m| m == token).unwrap_or(0) as u8;
                        add(
                            &mut forms,
                            &joined.replace(['-', '\''], ""),
                            VariantKind::Part,
                            position,
                        );
                        joined.clear();
                    }
                }
            }
        }
        if wanted(&ids.nickname) {
            // Nicknames stand for given names: every part but the family name.
            let given = if main.len() > 1 {
                &main[..main.len() - 1]
            } else {
                &main[..]
            };
            for token in given {
                for nick in rules.lexicon.nicknames.get(token.as_str()).into_iter().flatten() {
                    add(&mut forms, nick, VariantKind::Nickname, 0);
                }
                // "Bayo" for Adebayo: the longest prefix colleagues leave off.
                let rest = names
                    .clipped_prefixes
                    .iter()
                    .filter(|p| p.as_bytes().first() == token.as_bytes().first())
                    .filter_map(|p| token.strip_prefix(&**p))
                    .min_by_key(|rest| rest.len());
                if let Some(rest) = rest
                    && rest.len() >= 3
                    && ambiguity(rules, rest) == Ambiguity::None
                {
                    add(&mut forms, rest, VariantKind::Nickname, 0);
                }
            }
            // A candidate is also called by the first letters of their given name: "Nik" for
            // Nikhil, "Kris" for Kristina, "Chi" for Chinonso, "Priya" for Priyanka. Three to
            // five letters, from a name two letters longer at least, and no common English
            // word ("step" of Stephanie); a proper word may be one ("Ada" of Adaeze, a
            // language too). Even so they may be anything ("git", "dev", "int"), so they
            // count only where the sentence shows a person ("Nik was great", "nik's").
            if spec.role.is_candidate()
                && let Some(first) = main.first()
            {
                for len in [3, 4, 5] {
                    let Some(cut) = first.get(..len) else { break };
                    if first.len() >= len + 2
                        && cut.bytes().all(|b| b.is_ascii_alphabetic())
                        && matches!(ambiguity(rules, cut), Ambiguity::None | Ambiguity::ProperWord)
                    {
                        add_as(&mut forms, cut, VariantKind::Nickname, 0, Some(Ambiguity::Clipped));
                    }
                }
            }
        }
        if wanted(&ids.handle)
            && let (Some(first), Some(last)) = (main.first(), main.last())
            && main.len() > 1
        {
            let first = without_joiners(first);
            let last = without_joiners(last);
            if let (Some(f), Some(l)) = (first.get(..1), last.get(..1)) {
                let mut handle = String::with_capacity(first.len() + last.len());
                for [a, b] in [[&*first, &*last], [f, &*last], [&*first, l], [&*last, &*first]] {
                    handle.clear();
                    handle.push_str(a);
                    handle.push_str(b);
                    if handle.len() >= 4 {
                        add(&mut forms, &handle, VariantKind::Handle, u8::MAX);
                    }
                }
            }
        }
        if let Some(email) = spec.email.as_deref().map(|e| fold(e.trim())).filter(|e| !e.is_empty()) {
            if wanted(&ids.email) {
                forms.email = Some(email.clone());
            }
            if wanted(&ids.handle)
                && let Some((local, _)) = email.split_once('@')
            {
                let local = local.split('+').next().unwrap_or(local);
                // A local part with dots or underscores is seen as its pieces; each piece
                // that is long enough names the person alone too.
                let pieces: Vec<&str> = local.split(['.', '_', '-']).collect();
                if pieces.len() == 1 {
                    add(&mut forms, local, VariantKind::Handle, u8::MAX);
                    let letters = local.trim_end_matches(|c: char| c.is_ascii_digit());
                    add(&mut forms, letters, VariantKind::Handle, u8::MAX);
                }
                for piece in pieces {
                    let piece = piece.trim_end_matches(|c: char| c.is_ascii_digit());
                    if piece.len() >= 3 {
                        add(&mut forms, piece, VariantKind::Handle, u8::MAX);
                    }
                }
            }
        }
        forms.main = main;
        forms
    }
}

/// The other spelling of a name part (`folded` is its fold), folded: German, Scandinavian and Serbo-Croatian
/// letters spelled out ("Müller" -> "mueller", "Øvergaard" -> "oevergaard", "Đorđe" ->
/// "djordje"), or an ASCII spelling taken back ("Mueller" -> "muller", the fold of "Müller").
fn respelling(token: &str, folded: &str) -> Option<String> {
    if token.is_ascii() {
        if !folded.contains("ue") && !folded.contains("oe") {
            return None;
        }
        let taken_back = folded.replace("ue", "u").replace("oe", "o");
        return (taken_back.len() >= 4).then_some(taken_back);
    }
    if !token.contains(['ä', 'æ', 'ö', 'ø', 'ü', 'å', 'đ', 'Ä', 'Æ', 'Ö', 'Ø', 'Ü', 'Å', 'Đ']) {
        return None;
    }
    let mut spelled = String::with_capacity(token.len() + 4);
    let mut changed = false;
    for c in token.chars() {
        let out = match c.to_lowercase().next().unwrap_or(c) {
            'ä' | 'æ' => "ae",
            'ö' | 'ø' => "oe",
            'ü' => "ue",
            'å' => "aa",
            'đ' => "dj",
            _ => {
                spelled.push(c);
                continue;
            }
        };
        spelled.push_str(out);
        changed = true;
    }
    changed.then(|| fold(&spelled))
}

/// A name part as a handle writes it: "o'connell" as "oconnell", "ana-maria" as "anamaria".
fn without_joiners(part: &str) -> std::borrow::Cow<'_, str> {
    if part.contains(['\'', '-']) {
        part.replace(['\'', '-'], "").into()
    } else {
        part.into()
    }
}

#[cfg(test)]
mod tests {
    use super::{Ambiguity, Pronoun, Role, SubjectSpec, Subjects, VariantKind};
    use crate::rules::RuleSet;

    /// A form's ambiguity is settled when it is looked up: the word's own, unless the form
    /// was given one (a given name cut short counts only where a person shows).
    #[test]
    fn forms_carry_their_ambiguity_when_looked_up() {
        let rules = RuleSet::embedded().expect("the embedded rules load");
        let spec = SubjectSpec {
            role: Role::Candidate,
            name: Some("Adaeze Will Okafor".into()),
            email: None,
            label: None,
        };
        let subjects = Subjects::compile(&rules, &[spec], false).expect("compiles");
        let index = subjects.inner.as_ref().expect("one person");
        let of = |word: &str| {
            let forms = index.forms_of(&rules, word.as_bytes()).expect("a form of the name");
            forms.iter().map(|f| (f.kind, f.ambiguity)).collect::<Vec<_>>()
        };
        assert_eq!(of("will"), [(VariantKind::Part, Ambiguity::CommonWord)]);
        assert_eq!(of("okafor"), [(VariantKind::Part, Ambiguity::None)]);
        assert!(of("ada").contains(&(VariantKind::Nickname, Ambiguity::Clipped)));
    }

    /// `ambiguity` compares a form with the pronouns only when it starts as they all do.
    #[test]
    fn every_pronoun_starts_with_h_or_s() {
        for (word, _) in Pronoun::WORDS {
            assert!(word.starts_with(['h', 's']), "{word}");
        }
    }
}
