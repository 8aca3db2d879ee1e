//! Packets as files: JSON for tools, Markdown for the committee, and an index of the run.

use std::fmt::Write;

use super::{Packet, PacketFeedback};
use crate::source::LeftOut;

/// `1 flag`, `2 flags`: a count with its noun (regular plurals only).
pub fn counted(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// What a packet leaves out, in words: "1 interview not over (status pending), 2 without
/// feedback; 1 feedback note without an author". `None` when nothing is.
pub fn left_out_text(left_out: &LeftOut) -> Option<String> {
    let mut reasons: Vec<(usize, String)> = Vec::new();
    let not_in_status = left_out.not_in_status();
    if not_in_status > 0 {
        let statuses = match left_out.status.iter().collect::<Vec<_>>().as_slice() {
            [(status, _)] => format!("status {status}"),
            several => several
                .iter()
                .map(|(status, n)| format!("{n} {status}"))
                .collect::<Vec<_>>()
                .join(", "),
        };
        let what = match &left_out.status_wanted {
            Some(wanted) => format!("not {wanted} ({statuses})"),
            None => format!("by status ({statuses})"),
        };
        reasons.push((not_in_status, what));
    }
    if left_out.outside_dates > 0 {
        reasons.push((left_out.outside_dates, "outside the dates asked for".into()));
    }
    if left_out.without_feedback > 0 {
        reasons.push((left_out.without_feedback, "without feedback".into()));
    }
    // The noun once, with the first count: "2 interviews not over, 1 without feedback".
    let mut text = reasons
        .iter()
        .enumerate()
        .map(|(i, (n, what))| match i {
            0 => format!("{} {what}", counted(*n, "interview")),
            _ => format!("{n} {what}"),
        })
        .collect::<Vec<_>>()
        .join(", ");
    if left_out.feedback_without_author > 0 {
        if !text.is_empty() {
            text.push_str("; ");
        }
        text.push_str(&counted(left_out.feedback_without_author, "feedback note"));
        text.push_str(" without an author");
    }
    (!text.is_empty()).then_some(text)
}

/// The JSON packet, pretty-printed, ending with a newline.
pub fn render_json(packet: &Packet) -> String {
    // A packet holds strings, numbers and maps with string keys: it always serializes.
    let mut json = serde_json::to_string_pretty(packet).unwrap_or_default();
    json.push('\n');
    json
}

/// A cell of a Markdown table: one line, no column break.
fn cell(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace(['\r', '\n'], " ")
        .trim()
        .to_string()
}

/// Free text as a Markdown blockquote, so nothing in it becomes a heading, list or table.
fn quote(out: &mut String, text: &str) {
    for line in text.trim().lines() {
        let line = line.trim_end();
        if line.is_empty() {
            out.push_str(">\n");
        } else {
            let _ = writeln!(out, "> {line}");
        }
    }
}

fn or_dash(value: Option<&str>) -> &str {
    value.filter(|v| !v.trim().is_empty()).unwrap_or("—")
}

fn heading(feedback: &PacketFeedback, number: usize) -> String {
    let who = feedback
        .interviewer
        .clone()
        .unwrap_or_else(|| format!("Feedback {number}"));
    let mut parts = vec![who];
    if let Some(level) = feedback.recommended_level.as_deref().filter(|l| !l.trim().is_empty()) {
        parts.push(format!("recommended level: {}", cell(level)));
    }
    if let Some(evaluation) = feedback.evaluation.as_deref().filter(|e| !e.trim().is_empty()) {
        parts.push(format!("evaluation: {}", cell(evaluation)));
    }
    parts.join(" · ")
}

/// The packet for the committee: scores per interview in tables, notes as quotes.
pub fn render_markdown(packet: &Packet) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Candidate {}\n", packet.candidate);
    let feedback = packet.feedback_count();
    let _ = writeln!(
        out,
        "{} interview{}, {} feedback note{}. Names, pronouns, gendered words and contact details \
         were rewritten by blindfold; the JSON packet records how.",
        packet.interviews.len(),
        if packet.interviews.len() == 1 { "" } else { "s" },
        feedback,
        if feedback == 1 { "" } else { "s" },
    );
    if let Some(left_out) = left_out_text(&packet.left_out) {
        let _ = writeln!(out, "\nLeft out: {}.", cell(&left_out));
    }
    let at_a_glance = IndexEntry::of(packet).glance;
    let _ = writeln!(
        out,
        "\n**Evaluations:** {} · **Mean score by category:** {}",
        at_a_glance.evaluations_text(),
        at_a_glance.means_text()
    );
    if packet
        .review
        .items
        .iter()
        .any(|item| item.shown.starts_with('[') && item.shown != item.text)
    {
        out.push_str("\nWords in brackets, such as [age], stand for what was withheld from the committee.\n");
    }
    for session in &packet.pre_screen {
        pre_screen(&mut out, session);
    }
    for (i, interview) in packet.interviews.iter().enumerate() {
        let _ = writeln!(
            out,
            "\n## Interview {} · {} · {}",
            i + 1,
            or_dash(interview.date.as_deref()),
            interview.status
        );
        if interview.feedback.is_empty() {
            out.push_str("\nNo feedback.\n");
        }
        for (f, feedback) in interview.feedback.iter().enumerate() {
            let _ = writeln!(out, "\n### {}\n", heading(feedback, f + 1));
            let scored: Vec<_> = feedback
                .categories
                .iter()
                .flat_map(|c| c.attributes.iter().map(move |a| (c, a)))
                .collect();
            if !scored.is_empty() {
                out.push_str("| Category | Attribute | Score | Notes |\n|---|---|---|---|\n");
                for (category, attribute) in scored {
                    let _ = writeln!(
                        out,
                        "| {} | {} | {} | {} |",
                        cell(or_dash(category.name.as_deref())),
                        cell(or_dash(attribute.name.as_deref())),
                        attribute.score.map_or_else(|| "—".to_string(), |s| s.to_string()),
                        cell(attribute.notes.as_deref().unwrap_or("")),
                    );
                }
                out.push('\n');
            }
            if feedback.notes.trim().is_empty() {
                out.push_str("_No notes._\n");
            } else {
                quote(&mut out, &feedback.notes);
            }
        }
    }
    out
}

/// A pre-screen result: the test, the score, and a table of tasks.
fn pre_screen(out: &mut String, session: &super::PacketPreScreen) {
    let _ = writeln!(
        out,
        "\n## Pre-screen · {} · {}\n",
        cell(or_dash(session.test.as_deref())),
        or_dash(session.date.as_deref())
    );
    let mut facts = vec![format!("score {}", out_of(session.score, session.max_score))];
    if let Some(solved) = session.solved_tasks {
        facts.push(format!("{solved} task{} solved", if solved == 1 { "" } else { "s" }));
    }
    if let Some(status) = &session.status {
        facts.push(format!("status: {}", cell(status)));
    }
    if let Some(verification) = &session.verification {
        facts.push(format!("verification: {}", cell(verification)));
    }
    let _ = writeln!(out, "{}", facts.join(" · "));
    if !session.tasks.is_empty() {
        out.push_str("\n| Task | Score |\n|---|---|\n");
        for task in &session.tasks {
            let _ = writeln!(
                out,
                "| {} | {} |",
                cell(or_dash(task.title.as_deref())),
                out_of(task.score, task.max_score)
            );
        }
    }
}

/// `540 / 600`, with a dash for what is unknown.
fn out_of(score: Option<i64>, max: Option<i64>) -> String {
    let show = |n: Option<i64>| n.map_or_else(|| "—".to_string(), |n| n.to_string());
    match max {
        Some(_) => format!("{} / {}", show(score), show(max)),
        None => show(score),
    }
}

/// One line of the index.
#[derive(Debug, Clone)]
pub struct IndexEntry {
    pub label: String,
    pub interviews: usize,
    pub feedback: usize,
    /// Flags nobody has decided on: while there are any, the packet is a draft.
    pub open_flags: usize,
    /// The packet at a glance: evaluations and mean scores (see [`glance`]).
    pub glance: Glance,
}

impl IndexEntry {
    pub fn of(packet: &Packet) -> IndexEntry {
        let feedback = packet.interviews.iter().flat_map(|i| &i.feedback);
        IndexEntry {
            label: packet.candidate.clone(),
            interviews: packet.interviews.len(),
            feedback: packet.feedback_count(),
            open_flags: packet.open_flag_count(),
            glance: glance(
                feedback.clone().map(|f| f.evaluation.as_deref()),
                feedback
                    .flat_map(|f| &f.categories)
                    .flat_map(|c| c.attributes.iter().map(move |a| (c.name.as_deref(), a.score))),
            ),
        }
    }
}

/// What a committee compares first: how the interviewers judged, and the mean score of
/// each category across every interview.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Glance {
    /// Each evaluation with how many gave it, strongest first.
    pub evaluations: Vec<(String, usize)>,
    /// Each category with the mean of its scores, in order of first appearance.
    pub means: Vec<(String, f64)>,
}

impl Glance {
    pub fn evaluations_text(&self) -> String {
        let parts: Vec<String> = self
            .evaluations
            .iter()
            .map(|(e, n)| format!("{} {n}", cell(e)))
            .collect();
        if parts.is_empty() {
            "—".into()
        } else {
            parts.join(" · ")
        }
    }

    pub fn means_text(&self) -> String {
        let parts: Vec<String> = self.means.iter().map(|(c, m)| format!("{} {m:.1}", cell(c))).collect();
        if parts.is_empty() {
            "—".into()
        } else {
            parts.join(" · ")
        }
    }
}

/// The usual scale, strongest first; other evaluations follow in the order met.
const SCALE: [&str; 6] = [
    "strong hire",
    "hire",
    "lean hire",
    "lean no hire",
    "no hire",
    "strong no hire",
];

pub fn glance<'a>(
    evaluations: impl Iterator<Item = Option<&'a str>>,
    scores: impl Iterator<Item = (Option<&'a str>, Option<i64>)>,
) -> Glance {
    let mut counted: Vec<(String, usize)> = Vec::new();
    for evaluation in evaluations.flatten().map(str::trim).filter(|e| !e.is_empty()) {
        match counted.iter_mut().find(|(e, _)| e.eq_ignore_ascii_case(evaluation)) {
            Some((_, n)) => *n += 1,
            None => counted.push((evaluation.to_string(), 1)),
        }
    }
    let rank = |e: &str| {
        SCALE
            .iter()
            .position(|s| s.eq_ignore_ascii_case(e))
            .unwrap_or(SCALE.len())
    };
    counted.sort_by_key(|(e, _)| rank(e));
    let mut sums: Vec<(String, i64, usize)> = Vec::new();
    for (category, score) in scores {
        let (Some(category), Some(score)) = (category.map(str::trim).filter(|c| !c.is_empty()), score) else {
            continue;
        };
        match sums.iter_mut().find(|(c, _, _)| c == category) {
            Some((_, sum, n)) => {
                *sum += score;
                *n += 1;
            }
            None => sums.push((category.to_string(), score, 1)),
        }
    }
    Glance {
        evaluations: counted,
        means: sums.into_iter().map(|(c, sum, n)| (c, sum as f64 / n as f64)).collect(),
    }
}

/// What the index needs of a JSON packet on disk.
#[derive(serde::Deserialize)]
struct OnDisk {
    candidate: String,
    interviews: Vec<OnDiskInterview>,
    #[serde(default)]
    open_flags: std::collections::BTreeMap<String, usize>,
}

#[derive(serde::Deserialize)]
struct OnDiskInterview {
    feedback: Vec<OnDiskFeedback>,
}

#[derive(serde::Deserialize)]
struct OnDiskFeedback {
    evaluation: Option<String>,
    #[serde(default)]
    categories: Vec<OnDiskCategory>,
}

#[derive(serde::Deserialize)]
struct OnDiskCategory {
    name: Option<String>,
    #[serde(default)]
    attributes: Vec<OnDiskAttribute>,
}

#[derive(serde::Deserialize)]
struct OnDiskAttribute {
    score: Option<i64>,
}

/// Index entries of every packet in a folder (for `listen`, which refreshes one at a time).
pub fn read_index(dir: &std::path::Path) -> Vec<IndexEntry> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut index = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let Ok(packet) = serde_json::from_str::<OnDisk>(&text) else {
            continue;
        };
        let feedback = packet.interviews.iter().flat_map(|i| &i.feedback);
        index.push(IndexEntry {
            label: packet.candidate.clone(),
            interviews: packet.interviews.len(),
            feedback: feedback.clone().count(),
            open_flags: packet.open_flags.values().sum(),
            glance: glance(
                feedback.clone().map(|f| f.evaluation.as_deref()),
                feedback
                    .flat_map(|f| &f.categories)
                    .flat_map(|c| c.attributes.iter().map(move |a| (c.name.as_deref(), a.score))),
            ),
        });
    }
    index
}

/// The index of a run's packets, in label order.
pub fn render_index(entries: &[IndexEntry]) -> String {
    let mut sorted: Vec<&IndexEntry> = entries.iter().collect();
    sorted.sort_by(|a, b| a.label.cmp(&b.label));
    let mut out = String::from("# Candidates\n\n");
    let _ = writeln!(
        out,
        "{} written by the last blindfold run.\n",
        counted(sorted.len(), "packet")
    );
    out.push_str(
        "| Candidate | Interviews | Feedback | Evaluations | Mean score by category | Status |\n|---|---|---|---|---|---|\n",
    );
    for e in sorted {
        let status = match e.open_flags {
            0 => "ready".to_string(),
            1 => "draft: 1 flag to review".to_string(),
            n => format!("draft: {n} flags to review"),
        };
        let _ = writeln!(
            out,
            "| [{0}]({0}.md) | {1} | {2} | {3} | {4} | {status} |",
            e.label,
            e.interviews,
            e.feedback,
            e.glance.evaluations_text(),
            e.glance.means_text()
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_glance_orders_evaluations_by_strength_and_averages_each_category() {
        let g = glance(
            [
                Some("Hire"),
                Some("Lean no hire"),
                None,
                Some("Strong hire"),
                Some("hire"),
                Some("Maybe"),
            ]
            .into_iter(),
            [
                (Some("Coding"), Some(3)),
                (Some("Design"), Some(2)),
                (Some("Coding"), Some(4)),
                (Some("Design"), None),
            ]
            .into_iter(),
        );
        assert_eq!(
            g.evaluations_text(),
            "Strong hire 1 · Hire 2 · Lean no hire 1 · Maybe 1"
        );
        assert_eq!(g.means_text(), "Coding 3.5 · Design 2.0");
        assert_eq!(glance(std::iter::empty(), std::iter::empty()).evaluations_text(), "—");
    }

    #[test]
    fn left_out_reads_as_counts_by_reason() {
        let mut left_out = LeftOut {
            status_wanted: Some("over".into()),
            ..LeftOut::default()
        };
        assert_eq!(left_out_text(&left_out), None);
        left_out.status.insert("pending".into(), 1);
        left_out.without_feedback = 1;
        assert_eq!(
            left_out_text(&left_out).as_deref(),
            Some("1 interview not over (status pending), 1 without feedback")
        );
        left_out.status.insert("cancelled".into(), 2);
        left_out.outside_dates = 1;
        left_out.feedback_without_author = 2;
        assert_eq!(
            left_out_text(&left_out).as_deref(),
            Some(
                "3 interviews not over (2 cancelled, 1 pending), 1 outside the dates asked for, 1 without feedback; \
                 2 feedback notes without an author"
            )
        );
        let only_authorless = LeftOut {
            feedback_without_author: 1,
            ..LeftOut::default()
        };
        assert_eq!(
            left_out_text(&only_authorless).as_deref(),
            Some("1 feedback note without an author")
        );
        assert_eq!(
            (counted(1, "flag"), counted(0, "flag")),
            ("1 flag".into(), "0 flags".into())
        );
    }

    #[test]
    fn table_cells_stay_in_their_cell() {
        assert_eq!(cell("a | b\nc"), "a \\| b c");
    }

    #[test]
    fn notes_cannot_become_markdown_structure() {
        let mut out = String::new();
        quote(&mut out, "# not a heading\n\n- not a list");
        assert_eq!(out, "> # not a heading\n>\n> - not a list\n");
    }

    #[test]
    fn a_pre_screen_reads_as_score_facts_and_a_task_table() {
        let session = super::super::PacketPreScreen {
            test: Some("Coding | Core".into()),
            date: Some("2026-11-02".into()),
            status: Some("verified".into()),
            verification: None,
            score: Some(540),
            max_score: Some(600),
            solved_tasks: Some(1),
            tasks: vec![
                super::super::PacketTask {
                    title: Some("Arrays".into()),
                    score: Some(300),
                    max_score: Some(300),
                },
                super::super::PacketTask {
                    title: None,
                    score: None,
                    max_score: Some(300),
                },
            ],
        };
        let mut out = String::new();
        pre_screen(&mut out, &session);
        assert_eq!(
            out,
            "\n## Pre-screen · Coding \\| Core · 2026-11-02\n\n\
             score 540 / 600 · 1 task solved · status: verified\n\n\
             | Task | Score |\n|---|---|\n| Arrays | 300 / 300 |\n| — | — / 300 |\n"
        );
    }
}
