//! The harness's scanner: checks `blindfold packets` output for a generated batch against the
//! batch's ground truth (benches/support/batch.rs), with no blindfold code at all: words are
//! lowercased and stripped of accents here, and matched whole.
//!
//! Include it beside batch.rs, which it refers to as `crate::batch`:
//! `#[path = "../benches/support/batch.rs"] mod batch;`
//! `#[path = "../benches/support/scan.rs"] mod scan;`
//!
//! Per note (found by the label map in the private folder, interviews by start date then id,
//! feedback in export order):
//! - leaks: a word that is a name form of any candidate of the batch and is not an ordinary
//!   English word ([`crate::batch::ORDINARY`]), anywhere in the note outside the interviewer
//!   mentions that must survive; for ordinary-word forms, occurrences beyond the ordinary-sense
//!   uses the generator inserted (fewer is an ordinary word lost); any candidate's email or
//!   email local part;
//! - interviewer mentions altered: an inserted mention not found verbatim;
//! - double placeholders: "the candidate another candidate", "a the candidate", ...;
//! - gendered pronouns left (he, she, him, her, his, hers, himself, herself).
//!
//! Every other JSON string and Markdown line of a packet is searched for non-ordinary name
//! forms and emails; each Markdown note must read as its JSON note does.

#![allow(dead_code)]

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;
use std::path::Path;

use serde_json::Value;

use crate::batch::{Batch, NoteTruth, email_runs, fold, is_ordinary, words};

/// The name forms of everyone in a batch, folded.
pub struct Forms {
    /// Single-word form -> every candidate who has it, with what it is for them.
    pub candidate: HashMap<String, Vec<(usize, &'static str)>>,
    /// Ordinary words that are a name form of anyone in the batch, interviewers included.
    pub ordinary: HashSet<String>,
    /// Folded email and email local part -> candidate.
    pub emails: HashMap<String, usize>,
}

impl Forms {
    pub fn of(batch: &Batch) -> Forms {
        let mut candidate: HashMap<String, Vec<(usize, &'static str)>> = HashMap::new();
        let mut ordinary = HashSet::new();
        let mut emails = HashMap::new();
        for (i, c) in batch.candidates.iter().enumerate() {
            for (form, what) in c.forms() {
                if is_ordinary(&form) {
                    ordinary.insert(form.clone());
                }
                let entry = candidate.entry(form).or_default();
                if !entry.iter().any(|(j, w)| *j == i && *w == what) {
                    entry.push((i, what));
                }
            }
            emails.insert(fold(&c.email), i);
            emails.insert(fold(c.local_part()), i);
        }
        for interviewer in &batch.interviewers {
            for part in [&interviewer.given, &interviewer.surname] {
                for w in words(part) {
                    if is_ordinary(&w.folded) {
                        ordinary.insert(w.folded);
                    }
                }
            }
        }
        Forms {
            candidate,
            ordinary,
            emails,
        }
    }
}

/// One thing wrong, with enough context to debug it.
#[derive(Debug, Clone)]
pub struct Problem {
    /// What went wrong, by kind: "leak: own given possessive", "ordinary word lost: own name word"...
    pub kind: String,
    /// Packet label, interview and feedback numbers (1-based, as the packet shows them), field.
    pub place: String,
    pub detail: String,
    /// Excerpts of the packet note (and of the export's note where it helps).
    pub context: String,
}

/// What one note's check found.
#[derive(Debug, Default, Clone)]
pub struct NoteScan {
    /// Name words of candidates surviving in name sense.
    pub leaks: usize,
    pub own_leaks: usize,
    pub email_leaks: usize,
    pub ordinary_expected: usize,
    pub ordinary_kept: usize,
    pub ordinary_lost: usize,
    pub interviewer_mentions: usize,
    pub altered: usize,
    pub doubles: usize,
    pub pronouns: usize,
    /// Sensitive facts inserted, and those whose core the packet still shows.
    pub facts: usize,
    pub facts_shown: usize,
    pub problems: Vec<Problem>,
}

impl NoteScan {
    fn add(&mut self, other: &NoteScan) {
        self.leaks += other.leaks;
        self.own_leaks += other.own_leaks;
        self.email_leaks += other.email_leaks;
        self.ordinary_expected += other.ordinary_expected;
        self.ordinary_kept += other.ordinary_kept;
        self.ordinary_lost += other.ordinary_lost;
        self.interviewer_mentions += other.interviewer_mentions;
        self.altered += other.altered;
        self.doubles += other.doubles;
        self.pronouns += other.pronouns;
        self.facts += other.facts;
        self.facts_shown += other.facts_shown;
    }
}

/// `text[start..end]` with up to `around` bytes either side, on one line.
pub fn excerpt(text: &str, start: usize, end: usize, around: usize) -> String {
    let mut from = start.saturating_sub(around);
    while !text.is_char_boundary(from) {
        from -= 1;
    }
    let mut to = (end + around).min(text.len());
    while !text.is_char_boundary(to) {
        to += 1;
    }
    let mut out = String::new();
    if from > 0 {
        out.push('…');
    }
    out.push_str(&text[from..start]);
    out.push('«');
    out.push_str(&text[start..end]);
    out.push('»');
    out.push_str(&text[end..to]);
    if to < text.len() {
        out.push('…');
    }
    out.replace('\n', "⏎")
}

/// Where an altered mention went: the packet around the occurrence of the mention's first
/// word nearest to where the mention stood (`share` of the way into the export's note).
fn near(text: &str, mention: &str, share: f64) -> String {
    let first = words(mention).into_iter().next().map(|w| w.folded).unwrap_or_default();
    let target = (share * text.len() as f64) as usize;
    let best = words(text)
        .into_iter()
        .filter(|w| w.folded == first)
        .min_by_key(|w| w.start.abs_diff(target));
    match best {
        Some(w) => excerpt(text, w.start, w.end, 70),
        None => near_at(text, share),
    }
}

/// The packet around the word `share` of the way into it.
fn near_at(text: &str, share: f64) -> String {
    let target = (share * text.len() as f64) as usize;
    match words(text).into_iter().min_by_key(|w| w.start.abs_diff(target)) {
        Some(w) => excerpt(text, w.start, w.end, 70),
        None => text.to_string(),
    }
}

/// The occurrences of one word in a packet note paired with those in the export's note.
struct Aligned<'a> {
    /// Packet spans paired with an export name mention: names that stayed.
    kept_names: Vec<((usize, usize), &'a crate::batch::Mention)>,
    /// Packet spans paired with nothing.
    unpaired_packet: Vec<(usize, usize)>,
    /// Export spans of ordinary-sense uses paired with nothing: ordinary words rewritten.
    missing_ordinary: Vec<(usize, usize)>,
}

/// Pair each occurrence of `word` in the packet (`packet`, interviewer mentions masked) with
/// one in the export (`original`), best first by shared neighbour words.
fn align<'a>(
    word: &str,
    packet: &[crate::batch::Word],
    original: &[crate::batch::Word],
    truth: &'a NoteTruth,
) -> Aligned<'a> {
    enum Source<'a> {
        Ordinary,
        Name(&'a crate::batch::Mention),
    }
    let neighbours = |list: &[crate::batch::Word], i: usize| {
        let before = if i > 0 {
            list[i - 1].folded.clone()
        } else {
            String::new()
        };
        let after = list.get(i + 1).map_or(String::new(), |w| w.folded.clone());
        (before, after)
    };
    let in_packet: Vec<usize> = (0..packet.len()).filter(|&i| packet[i].folded == word).collect();
    let mut sources: Vec<(usize, Source<'a>)> = Vec::new();
    for (i, w) in original.iter().enumerate().filter(|(_, w)| w.folded == word) {
        if truth.ordinary_spans.iter().any(|&(s, e)| s == w.start && e == w.end) {
            sources.push((i, Source::Ordinary));
        } else if let Some(m) = truth
            .mentions
            .iter()
            .find(|m| m.start <= w.start && w.end <= m.start + m.text.len())
        {
            sources.push((i, Source::Name(m)));
        }
        // Anything else is inside an interviewer mention, masked in the packet.
    }
    let mut pairs: Vec<(usize, usize, usize)> = Vec::new();
    for (p, &i) in in_packet.iter().enumerate() {
        let (pb, pa) = neighbours(packet, i);
        for (s, (j, _)) in sources.iter().enumerate() {
            let (ob, oa) = neighbours(original, *j);
            pairs.push(((pb == ob) as usize + (pa == oa) as usize, p, s));
        }
    }
    pairs.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let mut packet_used = vec![false; in_packet.len()];
    let mut source_used = vec![false; sources.len()];
    let mut aligned = Aligned {
        kept_names: Vec::new(),
        unpaired_packet: Vec::new(),
        missing_ordinary: Vec::new(),
    };
    for (_, p, s) in pairs {
        if packet_used[p] || source_used[s] {
            continue;
        }
        packet_used[p] = true;
        source_used[s] = true;
        if let Source::Name(m) = sources[s].1 {
            let w = &packet[in_packet[p]];
            aligned.kept_names.push(((w.start, w.end), m));
        }
    }
    for (p, used) in packet_used.iter().enumerate() {
        if !used {
            let w = &packet[in_packet[p]];
            aligned.unpaired_packet.push((w.start, w.end));
        }
    }
    for (s, used) in source_used.iter().enumerate() {
        if let (false, Source::Ordinary) = (used, &sources[s].1) {
            let w = &original[sources[s].0];
            aligned.missing_ordinary.push((w.start, w.end));
        }
    }
    aligned
}

const PRONOUNS: &[&str] = &["he", "her", "hers", "herself", "him", "himself", "his", "she"];
/// Words that, right before a placeholder, make it a double one.
const BEFORE_PLACEHOLDER: &[&str] = &["a", "an", "another", "candidate", "the"];

/// Check one note of a packet (`text`) against the export's note (`original`) and its truth.
pub fn scan_note(forms: &Forms, own: usize, truth: &NoteTruth, text: &str, original: &str, place: &str) -> NoteScan {
    let mut scan = NoteScan::default();
    let problem = |kind: String, detail: String, context: String| Problem {
        kind,
        place: place.to_string(),
        detail,
        context,
    };
    // Where in the packet something at `at` in the export probably went.
    let share = |at: usize| at as f64 / original.len().max(1) as f64;

    // Sensitive facts: nobody decided on them, so their core must be gone, whatever replaced it.
    let lower = text.to_lowercase();
    for (kind, core) in &truth.facts {
        scan.facts += 1;
        if lower.contains(core.as_str()) {
            scan.facts_shown += 1;
            scan.problems.push(problem(
                format!("sensitive fact shown: {kind}"),
                format!("`{core}`"),
                format!("packet: {}", near(text, core, 0.5)),
            ));
        }
    }

    // Interviewer mentions: each must be there verbatim, as often as it was inserted.
    let mut expected: BTreeMap<&str, (usize, &crate::batch::InterviewerMention)> = BTreeMap::new();
    for m in &truth.interviewers {
        expected.entry(m.text.as_str()).or_insert((0, m)).0 += 1;
    }
    let mut masked = text.to_string();
    let mut by_length: Vec<(&str, (usize, &crate::batch::InterviewerMention))> = expected.into_iter().collect();
    by_length.sort_by_key(|(m, _)| std::cmp::Reverse(m.len()));
    // The words of an altered mention may still be in the packet, where they are no leak
    // (the interviewer's name, "will" of "will follow up"): allowed as often as it is missing.
    let mut allowed: HashMap<String, usize> = HashMap::new();
    for (mention, (count, first)) in &by_length {
        scan.interviewer_mentions += count;
        let found = text.matches(mention).count();
        if found < *count {
            let missing = count - found;
            scan.altered += missing;
            for w in words(mention) {
                *allowed.entry(w.folded).or_default() += missing;
            }
            scan.problems.push(problem(
                format!("interviewer mention altered: {}", first.kind),
                format!("`{mention}`: {found} of {count} left"),
                format!(
                    "export: {}\n      packet: {}",
                    excerpt(original, first.start, first.start + mention.len(), 60),
                    near(text, mention, share(first.start))
                ),
            ));
        }
        masked = masked.replace(mention, &" ".repeat(mention.len()));
    }

    let note_words = words(&masked);
    // The inserted mention a leaked word comes from, if any.
    let mention_of = |word: &str| -> Option<&crate::batch::Mention> {
        truth
            .mentions
            .iter()
            .find(|m| words(&m.text).iter().any(|w| w.folded == word))
    };
    let is_own = |word: &str| {
        forms
            .candidate
            .get(word)
            .is_some_and(|w| w.iter().any(|(c, _)| *c == own))
    };
    let kind_of = |word: &str| match mention_of(word) {
        Some(m) => m.kind.clone(),
        None if is_own(word) => "own name, not inserted".into(),
        None => "other name, not inserted".into(),
    };
    let mention_context = |word: &str| match mention_of(word) {
        Some(m) => format!(
            "export: {} [{}]",
            excerpt(original, m.start, m.start + m.text.len(), 60),
            m.place
        ),
        None => String::new(),
    };

    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for w in &note_words {
        if forms.ordinary.contains(&w.folded) {
            *counts.entry(w.folded.as_str()).or_default() += 1;
        } else if forms.candidate.contains_key(&w.folded) {
            if let Some(n) = allowed.get_mut(&w.folded).filter(|n| **n > 0) {
                *n -= 1;
                continue;
            }
            scan.leaks += 1;
            if is_own(&w.folded) {
                scan.own_leaks += 1;
            }
            scan.problems.push(problem(
                format!("leak: {}", kind_of(&w.folded)),
                format!("`{}` survives", &text[w.start..w.end]),
                format!(
                    "packet: {}\n      {}",
                    excerpt(text, w.start, w.end, 70),
                    mention_context(&w.folded)
                ),
            ));
        }
        let bare = w.folded.split('\'').next().unwrap_or("");
        if PRONOUNS.contains(&bare) {
            scan.pronouns += 1;
            scan.problems.push(problem(
                "gendered pronoun left".into(),
                format!("`{}`", &text[w.start..w.end]),
                format!("packet: {}", excerpt(text, w.start, w.end, 60)),
            ));
        }
    }
    let mut ordinary_words: Vec<&str> = counts.keys().copied().collect();
    ordinary_words.extend(truth.ordinary.keys().map(String::as_str));
    ordinary_words.sort_unstable();
    ordinary_words.dedup();
    let mut original_words = None;
    for word in ordinary_words {
        if !forms.ordinary.contains(word) {
            continue;
        }
        let inserted = truth.ordinary.get(word).copied().unwrap_or(0);
        let in_packet = counts.get(word).copied().unwrap_or(0);
        // Beyond the ordinary uses, the words of altered interviewer mentions come first.
        let found = in_packet
            - in_packet
                .saturating_sub(inserted)
                .min(allowed.get(word).copied().unwrap_or(0));
        scan.ordinary_expected += inserted;
        scan.ordinary_kept += found.min(inserted);
        let leaked = if forms.candidate.contains_key(word) {
            found.saturating_sub(inserted)
        } else {
            0
        };
        let lost = inserted.saturating_sub(found);
        scan.ordinary_lost += lost;
        if leaked == 0 && lost == 0 {
            continue;
        }
        // Counts decide; which occurrence is which is only for the report: each packet
        // occurrence is paired with the export occurrence whose neighbours it shares.
        let original_words = original_words.get_or_insert_with(|| words(original));
        let aligned = align(word, &note_words, original_words, truth);
        scan.leaks += leaked;
        if is_own(word) {
            scan.own_leaks += leaked;
        }
        let mut kept_names = aligned.kept_names.into_iter();
        let mut unpaired = aligned.unpaired_packet.into_iter();
        for _ in 0..leaked {
            let (kind, context) = match kept_names.next() {
                Some((p, m)) => (
                    m.kind.clone(),
                    format!(
                        "packet: {}\n      export: {} [{}]",
                        excerpt(text, p.0, p.1, 70),
                        excerpt(original, m.start, m.start + m.text.len(), 60),
                        m.place
                    ),
                ),
                None => {
                    let at = unpaired.next().map_or(String::new(), |p| excerpt(text, p.0, p.1, 70));
                    (kind_of(word), format!("packet: {at}\n      {}", mention_context(word)))
                }
            };
            scan.problems.push(problem(
                format!("leak: {kind} (ordinary word)"),
                format!("`{word}`: {found} in the packet note, {inserted} of them ordinary-sense uses"),
                context,
            ));
        }
        let whose = if is_own(word) {
            "own name word"
        } else if forms.candidate.contains_key(word) {
            "other candidate's name word"
        } else {
            "interviewer's name word"
        };
        let mut missing = aligned.missing_ordinary.into_iter();
        for _ in 0..lost {
            let context = match missing.next() {
                Some((start, end)) => format!(
                    "export (ordinary): {}\n      packet: {}",
                    excerpt(original, start, end, 60),
                    near_at(text, share(start))
                ),
                None => String::new(),
            };
            scan.problems.push(problem(
                format!("ordinary word lost: {whose}"),
                format!("`{word}`: {found} left of {inserted} ordinary-sense uses"),
                context,
            ));
        }
    }

    for (at, run) in email_runs(&masked) {
        if let Some(&c) = forms.emails.get(&run) {
            scan.email_leaks += 1;
            let whose = if c == own { "own" } else { "other" };
            scan.problems.push(problem(
                format!("leak: {whose} email"),
                format!("`{run}`"),
                format!("packet: {}", excerpt(text, at, at + run.len(), 60)),
            ));
        }
    }

    // Double placeholders: "X the candidate" with X one of BEFORE_PLACEHOLDER, spaces between.
    // The masked text has the same byte offsets; mentions hold no placeholder.
    let spaced = |a: &crate::batch::Word, b: &crate::batch::Word| {
        a.end < b.start && text[a.end..b.start].chars().all(|c| c == ' ' || c == '\t')
    };
    let all = &note_words;
    for i in 1..all.len().saturating_sub(1) {
        let (prev, first, second) = (&all[i - 1], &all[i], &all[i + 1]);
        let placeholder = (first.folded == "the" || first.folded == "another")
            && second.folded == "candidate"
            && spaced(first, second);
        if placeholder && spaced(prev, first) && BEFORE_PLACEHOLDER.contains(&prev.folded.as_str()) {
            scan.doubles += 1;
            scan.problems.push(problem(
                format!("double placeholder: {} + {} candidate", prev.folded, first.folded),
                format!("`{}`", &text[prev.start..second.end]),
                format!("packet: {}", excerpt(text, prev.start, second.end, 70)),
            ));
        }
    }
    scan
}

/// What a packets run did, over the whole batch.
#[derive(Debug, Default)]
pub struct Report {
    pub candidates: usize,
    pub packets: usize,
    /// Emails of candidates without a packet (whatever the reason).
    pub missing: Vec<String>,
    /// (email, message) of packets the audit stopped, from the run's stderr.
    pub stopped: Vec<(String, String)>,
    /// (email, message) of other failures.
    pub failed: Vec<(String, String)>,
    pub notes: usize,
    pub notes_checked: usize,
    pub totals: NoteScan,
    pub other_field_leaks: usize,
    pub markdown_differs: usize,
    pub flags: usize,
    pub flags_by_rule: BTreeMap<String, usize>,
    pub problems: Vec<Problem>,
}

impl Report {
    pub fn flags_per_note(&self) -> f64 {
        self.flags as f64 / self.notes_checked.max(1) as f64
    }

    /// Flags per note beyond one for each inserted sensitive fact withheld: the flags a
    /// person must read although nothing in the note called for a decision (at most; a
    /// fact flagged twice counts its second flag here).
    pub fn noise_flags_per_note(&self) -> f64 {
        let withheld = self.totals.facts - self.totals.facts_shown;
        self.flags.saturating_sub(withheld) as f64 / self.notes_checked.max(1) as f64
    }

    pub fn ordinary_kept_share(&self) -> f64 {
        if self.totals.ordinary_expected == 0 {
            return 1.0;
        }
        self.totals.ordinary_kept as f64 / self.totals.ordinary_expected as f64
    }

    pub fn leaks(&self) -> usize {
        self.totals.leaks + self.totals.email_leaks + self.other_field_leaks
    }

    /// Every figure, one a line.
    /// Candidates without a packet that the run did not report as failed.
    pub fn unexplained_missing(&self) -> Vec<&str> {
        let reported = |e: &str| {
            self.stopped
                .iter()
                .chain(&self.failed)
                .any(|(f, _)| f.eq_ignore_ascii_case(e))
        };
        self.missing
            .iter()
            .map(String::as_str)
            .filter(|e| !reported(e))
            .collect()
    }

    pub fn figures(&self) -> String {
        let t = &self.totals;
        let mut out = String::new();
        let _ = writeln!(
            out,
            "candidates {}, packets {} (stopped by the audit {}, other failures {}, missing unreported {}), notes checked {} of {}",
            self.candidates,
            self.packets,
            self.stopped.len(),
            self.failed.len(),
            self.unexplained_missing().len(),
            self.notes_checked,
            self.notes
        );
        let _ = writeln!(
            out,
            "leaks: {} (name words in notes {}: own {}, other candidates {}; emails {}; in other fields {})",
            self.leaks(),
            t.leaks,
            t.own_leaks,
            t.leaks - t.own_leaks,
            t.email_leaks,
            self.other_field_leaks
        );
        let _ = writeln!(out, "leaks stopped by the audit: {} packet(s)", self.stopped.len());
        let _ = writeln!(
            out,
            "interviewer mentions altered: {} of {}",
            t.altered, t.interviewer_mentions
        );
        let _ = writeln!(out, "double placeholders: {}", t.doubles);
        let by_rule: Vec<String> = self.flags_by_rule.iter().map(|(r, n)| format!("{r} {n}")).collect();
        let _ = writeln!(
            out,
            "flags per note: {:.3}, {:.3} beyond the sensitive facts inserted ({} flags; {})",
            self.flags_per_note(),
            self.noise_flags_per_note(),
            self.flags,
            if by_rule.is_empty() {
                "none".into()
            } else {
                by_rule.join(", ")
            }
        );
        let _ = writeln!(
            out,
            "ordinary words kept: {:.2}% ({} of {}; {} lost)",
            self.ordinary_kept_share() * 100.0,
            t.ordinary_kept,
            t.ordinary_expected,
            t.ordinary_lost
        );
        let _ = writeln!(out, "gendered pronouns left: {}", t.pronouns);
        let _ = writeln!(
            out,
            "sensitive facts the committee can read: {} of {}",
            t.facts_shown, t.facts
        );
        let _ = writeln!(out, "markdown notes differing from the JSON: {}", self.markdown_differs);
        out
    }

    /// Every problem kind with its count, most frequent first, one a line.
    pub fn kind_counts(&self) -> String {
        let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
        for p in &self.problems {
            *kinds.entry(p.kind.as_str()).or_default() += 1;
        }
        let mut sorted: Vec<(&str, usize)> = kinds.into_iter().collect();
        sorted.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        sorted.iter().map(|(k, n)| format!("{n:>6}  {k}\n")).collect()
    }

    /// Problem kinds by frequency, each with one example.
    pub fn top_kinds(&self, n: usize) -> String {
        let mut kinds: HashMap<&str, (usize, &Problem)> = HashMap::new();
        for p in &self.problems {
            kinds.entry(p.kind.as_str()).or_insert((0, p)).0 += 1;
        }
        let mut sorted: Vec<(&str, (usize, &Problem))> = kinds.into_iter().collect();
        sorted.sort_by(|a, b| b.1.0.cmp(&a.1.0).then(a.0.cmp(b.0)));
        let mut out = String::new();
        for (kind, (count, example)) in sorted.into_iter().take(n) {
            let _ = writeln!(
                out,
                "{count:>6}  {kind}\n        e.g. {} {}\n        {}",
                example.place, example.detail, example.context
            );
        }
        out
    }

    /// The first `n` problems, with context.
    pub fn first_problems(&self, n: usize) -> String {
        let mut out = String::new();
        for (email, message) in self.stopped.iter().chain(&self.failed).take(n) {
            let _ = writeln!(out, "- no packet for {email}: {message}");
        }
        for email in self.unexplained_missing().into_iter().take(n) {
            let _ = writeln!(out, "- no packet for {email}, and the run did not say why");
        }
        for p in self.problems.iter().take(n) {
            let _ = writeln!(out, "- [{}] {}: {}\n      {}", p.kind, p.place, p.detail, p.context);
        }
        out
    }
}

/// The notes of a Markdown packet, in order: the quoted lines under each `###` heading.
fn markdown_notes(markdown: &str) -> (Vec<(String, String)>, Vec<String>) {
    let mut notes: Vec<(String, String)> = Vec::new();
    let mut other = Vec::new();
    for line in markdown.lines() {
        if let Some(heading) = line.strip_prefix("### ") {
            notes.push((heading.to_string(), String::new()));
        } else if let Some(quoted) = line.strip_prefix('>') {
            if let Some((_, note)) = notes.last_mut() {
                if !note.is_empty() {
                    note.push('\n');
                }
                note.push_str(quoted.strip_prefix(' ').unwrap_or(quoted));
            }
        } else {
            other.push(line.to_string());
        }
    }
    (notes, other)
}

/// A note as the Markdown quotes it.
fn as_quoted(note: &str) -> String {
    note.trim().lines().map(str::trim_end).collect::<Vec<_>>().join("\n")
}

/// Every string of a JSON value but the notes, interviewer names and flags, with its path.
fn other_strings<'a>(value: &'a Value, path: String, out: &mut Vec<(String, &'a str)>) {
    match value {
        Value::String(s) => out.push((path, s)),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                other_strings(item, format!("{path}[{i}]"), out);
            }
        }
        Value::Object(map) => {
            for (k, v) in map {
                let skip = (k == "notes" && path.ends_with(']') && path.contains(".feedback["))
                    || k == "interviewer"
                    || (k == "open_flags" && path.is_empty());
                if !skip {
                    other_strings(
                        v,
                        if path.is_empty() {
                            k.clone()
                        } else {
                            format!("{path}.{k}")
                        },
                        out,
                    );
                }
            }
        }
        _ => {}
    }
}

/// Words of `text` that are a name form of a candidate (ordinary or not), and candidates'
/// emails: what a text made only of name mentions leaks if nothing is rewritten.
fn name_words(forms: &Forms, text: &str) -> usize {
    let names = words(text)
        .iter()
        .filter(|w| forms.candidate.contains_key(&w.folded))
        .count();
    names
        + email_runs(text)
            .iter()
            .filter(|(_, run)| forms.emails.contains_key(run))
            .count()
}

/// Non-ordinary name forms and emails of candidates in a string that holds no note.
fn field_leaks(forms: &Forms, text: &str, place: &str, problems: &mut Vec<Problem>) -> usize {
    let mut n = 0;
    for w in words(text) {
        if !forms.ordinary.contains(&w.folded) && forms.candidate.contains_key(&w.folded) {
            n += 1;
            problems.push(Problem {
                kind: "leak: in a field other than notes".into(),
                place: place.to_string(),
                detail: format!("`{}`", &text[w.start..w.end]),
                context: excerpt(text, w.start, w.end, 60),
            });
        }
    }
    for (at, run) in email_runs(text) {
        if forms.emails.contains_key(&run) {
            n += 1;
            problems.push(Problem {
                kind: "leak: email in a field other than notes".into(),
                place: place.to_string(),
                detail: format!("`{run}`"),
                context: excerpt(text, at, at + run.len(), 60),
            });
        }
    }
    n
}

/// Check the packets a run wrote for `batch` into `out`, with the label map in `private`.
pub fn scan_packets(batch: &Batch, out: &Path, private: &Path) -> Result<Report, String> {
    let forms = Forms::of(batch);
    let map_path = private.join("candidates.json");
    let map_text = std::fs::read_to_string(&map_path).map_err(|e| format!("{}: {e}", map_path.display()))?;
    let map: BTreeMap<String, Value> =
        serde_json::from_str(&map_text).map_err(|e| format!("{}: {e}", map_path.display()))?;
    let mut label_of: HashMap<String, String> = HashMap::new();
    for (label, entry) in &map {
        if let Some(email) = entry["email"].as_str() {
            label_of.insert(email.to_lowercase(), label.clone());
        }
    }
    let by_candidate = batch.by_candidate();
    let mut report = Report {
        candidates: batch.candidates.len(),
        notes: batch.note_count(),
        ..Report::default()
    };
    for (own, candidate) in batch.candidates.iter().enumerate() {
        let Some(label) = label_of.get(&candidate.email.to_lowercase()) else {
            report.missing.push(candidate.email.clone());
            continue;
        };
        let json_path = out.join(format!("{label}.json"));
        let md_path = out.join(format!("{label}.md"));
        let (Ok(json_text), Ok(markdown)) = (std::fs::read_to_string(&json_path), std::fs::read_to_string(&md_path))
        else {
            report.missing.push(candidate.email.clone());
            continue;
        };
        let packet: Value = serde_json::from_str(&json_text).map_err(|e| format!("{}: {e}", json_path.display()))?;
        report.packets += 1;
        // A packet counts the flags still open by rule (their words stay with the coordinator).
        if let Some(open) = packet["open_flags"].as_object() {
            for (rule, count) in open {
                let count = count.as_u64().unwrap_or(0) as usize;
                report.flags += count;
                *report.flags_by_rule.entry(rule.clone()).or_default() += count;
            }
        }
        let interviews = packet["interviews"].as_array().map_or(&[][..], Vec::as_slice);
        let expected = &by_candidate[own];
        if interviews.len() != expected.len() {
            report.problems.push(Problem {
                kind: "packet shape".into(),
                place: label.clone(),
                detail: format!("{} interviews, expected {}", interviews.len(), expected.len()),
                context: String::new(),
            });
        }
        let (md_notes, md_other) = markdown_notes(&markdown);
        let mut md_notes = md_notes.into_iter();
        for (i, (interview, source)) in interviews.iter().zip(expected).enumerate() {
            let feedback = interview["feedback"].as_array().map_or(&[][..], Vec::as_slice);
            for (f, (fb, truth_fb)) in feedback.iter().zip(&source.feedback).enumerate() {
                let place = format!("{label} interview {} feedback {}", i + 1, f + 1);
                let text = fb["notes"].as_str().unwrap_or("");
                let scan = scan_note(&forms, own, &truth_fb.truth, text, &truth_fb.notes, &place);
                report.notes_checked += 1;
                report.totals.add(&scan);
                report.problems.extend(scan.problems);
                let interviewer = fb["interviewer"].as_str().unwrap_or("");
                match md_notes.next() {
                    Some((heading, quoted)) => {
                        if quoted != as_quoted(text) {
                            report.markdown_differs += 1;
                            report.problems.push(Problem {
                                kind: "markdown note differs from the JSON note".into(),
                                place: place.clone(),
                                detail: String::new(),
                                context: format!("markdown: {quoted:?}\n      json: {text:?}"),
                            });
                        }
                        let rest = heading.strip_prefix(interviewer).unwrap_or(&heading);
                        report.other_field_leaks += field_leaks(
                            &forms,
                            rest,
                            &format!("{place} (markdown heading)"),
                            &mut report.problems,
                        );
                    }
                    None => {
                        report.markdown_differs += 1;
                        report.problems.push(Problem {
                            kind: "markdown note missing".into(),
                            place: place.clone(),
                            detail: String::new(),
                            context: String::new(),
                        });
                    }
                }
            }
        }
        let mut strings = Vec::new();
        other_strings(&packet, String::new(), &mut strings);
        for (path, s) in strings {
            report.other_field_leaks += field_leaks(&forms, s, &format!("{label} {path}"), &mut report.problems);
        }
        for line in md_other {
            report.other_field_leaks += field_leaks(&forms, &line, &format!("{label}.md"), &mut report.problems);
        }
    }
    Ok(report)
}

/// The harness checking itself: scanning the export's own notes as if they were packets must
/// find exactly the inserted name mentions and nothing else (no ordinary word lost, no
/// interviewer mention altered, no double placeholder). An error lists what disagrees.
pub fn self_check(batch: &Batch) -> Result<NoteScan, String> {
    let forms = Forms::of(batch);
    let mut totals = NoteScan::default();
    let mut errors = Vec::new();
    for interview in &batch.interviews {
        for (f, fb) in interview.feedback.iter().enumerate() {
            let place = format!("{} feedback {}", interview.id, f + 1);
            let scan = scan_note(&forms, interview.candidate, &fb.truth, &fb.notes, &fb.notes, &place);
            let mut expected = 0;
            for m in &fb.truth.mentions {
                let found = name_words(&forms, &m.text);
                if found == 0 {
                    errors.push(format!("{place}: mention `{}` ({}) holds no name form", m.text, m.kind));
                }
                expected += found;
            }
            if scan.leaks + scan.email_leaks != expected
                || scan.ordinary_lost != 0
                || scan.altered != 0
                || scan.doubles != 0
                || scan.ordinary_kept != scan.ordinary_expected
                || scan.facts_shown != scan.facts
            {
                errors.push(format!(
                    "{place}: leaks {} + {} (expected {expected}), lost {}, altered {}, doubles {}, facts {} of {}\n  {:?}\n  {}",
                    scan.leaks,
                    scan.email_leaks,
                    scan.ordinary_lost,
                    scan.altered,
                    scan.doubles,
                    scan.facts_shown,
                    scan.facts,
                    fb.notes,
                    scan.problems
                        .iter()
                        .map(|p| p.detail.clone())
                        .collect::<Vec<_>>()
                        .join("; ")
                ));
            }
            totals.add(&scan);
        }
    }
    if errors.is_empty() {
        Ok(totals)
    } else {
        Err(format!(
            "{} note(s) whose truth disagrees with their text:\n{}",
            errors.len(),
            errors.iter().take(10).cloned().collect::<Vec<_>>().join("\n")
        ))
    }
}
