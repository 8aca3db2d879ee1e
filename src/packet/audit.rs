//! The last check before a packet is written: no identifier of any subject of the batch may
//! be in its rendered JSON or Markdown. A finding means a rule missed something; the packet
//! is not written. Findings say where, never what the text says.

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

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
    let mut findings = Vec::new();
    let mut path = String::new();
    let mut deserializer = serde_json::Deserializer::from_str(json);
    // Read as it is walked: no tree of values is built only to be thrown away.
    Walk {
        rewriter,
        subjects,
        path: &mut path,
        findings: &mut findings,
    }
    .deserialize(&mut deserializer)
    .and_then(|()| deserializer.end())
    .map_err(|e| format!("the JSON packet does not parse: {e}"))?;
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

/// One value of a JSON packet at `path` (`interviews[0].feedback[1].notes`): every string
/// in it is checked.
struct Walk<'w> {
    rewriter: &'w Rewriter,
    subjects: &'w Subjects,
    path: &'w mut String,
    findings: &'w mut Vec<Finding>,
}

impl Walk<'_> {
    fn at(&mut self) -> Walk<'_> {
        Walk {
            rewriter: self.rewriter,
            subjects: self.subjects,
            path: self.path,
            findings: self.findings,
        }
    }
}

impl<'de> DeserializeSeed<'de> for Walk<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Walk<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<(), E> {
        for hit in self.rewriter.identifiers_in(self.subjects, s) {
            self.findings.push(Finding {
                subject: hit.subject,
                family: hit.family,
                place: self.path.clone(),
            });
        }
        Ok(())
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        Ok(())
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        Ok(())
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        Ok(())
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        Ok(())
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(mut self, mut items: A) -> Result<(), A::Error> {
        let mut i = 0usize;
        loop {
            let len = self.path.len();
            self.path.push('[');
            self.path.push_str(&i.to_string());
            self.path.push(']');
            let more = items.next_element_seed(self.at())?.is_some();
            self.path.truncate(len);
            if !more {
                return Ok(());
            }
            i += 1;
        }
    }

    fn visit_map<A: MapAccess<'de>>(mut self, mut fields: A) -> Result<(), A::Error> {
        while let Some(key) = fields.next_key::<String>()? {
            // Interviewers may be shown by name.
            if key == "interviewer" {
                fields.next_value::<IgnoredAny>()?;
                continue;
            }
            let len = self.path.len();
            if !self.path.is_empty() {
                self.path.push('.');
            }
            self.path.push_str(&key);
            fields.next_value_seed(self.at())?;
            self.path.truncate(len);
        }
        Ok(())
    }
}
