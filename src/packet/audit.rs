//! The last check before a packet is written: no identifier of any subject of the batch may
//! be in its rendered JSON or Markdown. A finding means a rule missed something; the packet
//! is not written. Findings say where, never what the text says.

use crate::rewrite::{Rewriter, Subjects};
use crate::rules::Family;

/// An identifier of a subject where none may be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Index of the subject in the batch.
    pub subject: usize,
    /// The family whose rules should have removed it.
    pub family: Family,
    /// Where: a JSON path (`interviews[0].feedback[1].notes`) or a Markdown line.
    pub place: String,
}

/// Audit a packet's two renderings. Interviewer names are allowed where the packet shows
/// them as interviewers (an interviewer may share a first name with a candidate); everywhere
/// else every identifier counts. Returns an error if the JSON does not parse back.
pub fn audit(
    rewriter: &Rewriter,
    json: &str,
    markdown: &str,
    subjects: &Subjects,
    interviewers: &[&str],
) -> Result<Vec<Finding>, String> {
    let mut findings = audit_json(rewriter, json, subjects)?;
    findings.extend(audit_text(rewriter, markdown, subjects, interviewers));
    Ok(findings)
}

/// Every string of a JSON packet, decoded as a reader sees it ("\nPriya" in JSON is a line
/// break and a name), but the interviewer fields, which may show names.
pub fn audit_json(rewriter: &Rewriter, json: &str, subjects: &Subjects) -> Result<Vec<Finding>, String> {
    let value: serde_json::Value =
        serde_json::from_str(json).map_err(|e| format!("the JSON packet does not parse: {e}"))?;
    let mut findings = Vec::new();
    walk(rewriter, &value, &mut String::new(), subjects, &mut findings);
    Ok(findings)
}

/// A text file (a Markdown packet, the index), where `interviewers` may stand as names.
pub fn audit_text(rewriter: &Rewriter, text: &str, subjects: &Subjects, interviewers: &[&str]) -> Vec<Finding> {
    let mut text = text.to_string();
    for name in interviewers.iter().filter(|n| !n.is_empty()) {
        text = text.replace(name, &" ".repeat(name.len()));
    }
    rewriter
        .identifiers_in(subjects, &text)
        .into_iter()
        .map(|hit| Finding {
            subject: hit.subject,
            family: hit.family,
            place: format!("line {}", 1 + text[..hit.span.start].matches('\n').count()),
        })
        .collect()
}

fn walk(
    rewriter: &Rewriter,
    value: &serde_json::Value,
    path: &mut String,
    subjects: &Subjects,
    findings: &mut Vec<Finding>,
) {
    match value {
        serde_json::Value::String(s) => {
            for hit in rewriter.identifiers_in(subjects, s) {
                findings.push(Finding {
                    subject: hit.subject,
                    family: hit.family,
                    place: path.clone(),
                });
            }
        }
        serde_json::Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let len = path.len();
                path.push_str(&format!("[{i}]"));
                walk(rewriter, item, path, subjects, findings);
                path.truncate(len);
            }
        }
        serde_json::Value::Object(fields) => {
            for (key, item) in fields {
                if key == "interviewer" {
                    continue;
                }
                let len = path.len();
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
                walk(rewriter, item, path, subjects, findings);
                path.truncate(len);
            }
        }
        _ => {}
    }
}
