//! Packets as files: JSON for tools, Markdown for the committee, and an index of the run.

use std::fmt::Write;

use super::{Packet, PacketFeedback};

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

/// The packet for the committee: scores per interview in tables, notes as quotes, flags last.
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
    if !packet.flags.is_empty() {
        let _ = writeln!(
            out,
            "\n**{} flag(s) to review** are listed at the end.",
            packet.flags.len()
        );
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
    if !packet.flags.is_empty() {
        out.push_str(
            "\n## Flags to review\n\nWords no rule rewrites safely; decide whether the committee should see them.\n\n",
        );
        for flag in &packet.flags {
            let _ = writeln!(
                out,
                "- `{}`: interview {}, feedback {}, {}: \"{}\"",
                flag.rule,
                flag.interview,
                flag.feedback,
                flag.field,
                cell(&flag.text)
            );
        }
    }
    out
}

/// One line of the index.
#[derive(Debug, Clone)]
pub struct IndexEntry {
    pub label: String,
    pub interviews: usize,
    pub feedback: usize,
    pub flags: usize,
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
        let Ok(packet) = serde_json::from_str::<serde_json::Value>(&text) else {
            continue;
        };
        let (Some(label), Some(interviews)) = (packet["candidate"].as_str(), packet["interviews"].as_array()) else {
            continue;
        };
        index.push(IndexEntry {
            label: label.to_string(),
            interviews: interviews.len(),
            feedback: interviews
                .iter()
                .filter_map(|i| i["feedback"].as_array())
                .map(Vec::len)
                .sum(),
            flags: packet["flags"].as_array().map_or(0, Vec::len),
        });
    }
    index
}

/// The index of a run's packets, in label order.
pub fn render_index(entries: &[IndexEntry]) -> String {
    let mut sorted: Vec<&IndexEntry> = entries.iter().collect();
    sorted.sort_by(|a, b| a.label.cmp(&b.label));
    let mut out = String::from("# Candidates\n\n");
    let _ = writeln!(out, "{} packet(s) written by the last blindfold run.\n", sorted.len());
    out.push_str("| Candidate | Interviews | Feedback | Flags to review |\n|---|---|---|---|\n");
    for e in sorted {
        let _ = writeln!(
            out,
            "| [{0}]({0}.md) | {1} | {2} | {3} |",
            e.label, e.interviews, e.feedback, e.flags
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
