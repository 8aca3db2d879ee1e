//! `blindfold audit DIR`: re-check a folder of packets against every candidate in the private
//! map, as `packets` does before writing (for packets edited or copied since). Every file is
//! read: any name or email found, any file blindfold does not write, any file that cannot be
//! read whole is a finding.

use std::path::{Path, PathBuf};

use super::{AuditArgs, CliError, load_rules};
use crate::packet::{audit_json, audit_text, counted};
use crate::rewrite::{Rewriter, Role, SubjectSpec};
use crate::rules::{Family, FamilySet};
use crate::workspace::{CandidateMap, MapEntry, Paths};

pub fn run(args: AuditArgs) -> Result<(), CliError> {
    let map = Paths::resolve(&args.dir, args.private.as_deref())?.read_map()?;
    let rewriter = Rewriter::new(load_rules(args.rules.as_deref())?, FamilySet::all())?;
    let mut files: Vec<PathBuf> = std::fs::read_dir(&args.dir)
        .map_err(|e| CliError::io(&args.dir, e))?
        .map(|entry| entry.map(|e| e.path()))
        .collect::<Result<_, _>>()
        .map_err(|e| CliError::io(&args.dir, e))?;
    files.sort();
    let audit = Audit::new(&rewriter, &map);
    let mut findings = 0;
    for path in &files {
        for finding in audit.file(path) {
            println!("{}: {finding}", path.display());
            findings += 1;
        }
    }
    println!(
        "{} checked against {}: {}",
        counted(files.len(), "file"),
        counted(map.entries().len(), "candidate"),
        counted(findings, "finding")
    );
    if findings == 0 {
        Ok(())
    } else {
        Err(CliError::Reported(counted(findings, "finding")))
    }
}

/// Every file of a packets folder, checked against every candidate of the map.
struct Audit<'a> {
    rewriter: &'a Rewriter,
    people: Vec<(&'a String, &'a MapEntry)>,
    candidates: Vec<SubjectSpec>,
}

impl<'a> Audit<'a> {
    fn new(rewriter: &'a Rewriter, map: &'a CandidateMap) -> Audit<'a> {
        let people: Vec<_> = map.entries().iter().collect();
        let candidates = people
            .iter()
            .map(|(_, entry)| SubjectSpec {
                role: Role::OtherCandidate,
                name: entry.name.clone(),
                email: Some(entry.email.clone()),
                label: None,
            })
            .collect();
        Audit {
            rewriter,
            people,
            candidates,
        }
    }

    /// What is wrong with one file of the folder, one line each.
    fn file(&self, path: &Path) -> Vec<String> {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        let packet_file = matches!(ext, "json" | "md") && !name.starts_with('.');
        if !path.is_file() || !packet_file {
            return vec!["not a file blindfold writes: the committee would see it; remove it".into()];
        }
        let bytes = match std::fs::read(path) {
            Ok(bytes) => bytes,
            Err(e) => return vec![format!("cannot be read ({e}), so it cannot be checked")],
        };
        let mut problems = Vec::new();
        let text = match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(e) => {
                let at = e.utf8_error().valid_up_to();
                problems.push(format!(
                    "not UTF-8 text (byte {at}): a reader may not see what it holds"
                ));
                String::from_utf8_lossy(e.as_bytes()).into_owned()
            }
        };
        // A packet's interviewers are people of its own: "I paired with <their full name>"
        // is theirs, even where a candidate shares a part of it.
        let json = if ext == "json" {
            Some(text.clone())
        } else {
            std::fs::read_to_string(path.with_extension("json")).ok()
        };
        let interviewers = json.as_deref().map(interviewers_of).unwrap_or_default();
        let names: Vec<&str> = interviewers.iter().map(String::as_str).collect();
        let mut specs = self.candidates.clone();
        specs.extend(interviewers.iter().map(|name| SubjectSpec {
            role: Role::Interviewer,
            name: Some(name.clone()),
            email: None,
            label: None,
        }));
        let subjects = match self.rewriter.audit_subjects(&specs) {
            Ok(subjects) => subjects,
            Err(e) => return vec![format!("cannot be checked: {e}")],
        };
        let own = json
            .as_deref()
            .and_then(label_of)
            .and_then(|label| self.people.iter().position(|(l, _)| **l == label));
        let subjects = match own {
            Some(i) => subjects.focused_on(i),
            None => subjects,
        };
        let found = if ext == "json" {
            audit_json(self.rewriter, &text, &subjects)
        } else {
            Ok(audit_text(self.rewriter, &text, &subjects, &names))
        };
        match found {
            Ok(findings) => problems.extend(findings.iter().map(|finding| {
                let whose = self.people.get(finding.subject).map_or("?", |(_, e)| e.email.as_str());
                let what = if finding.family == Family::Contact {
                    "an email"
                } else {
                    "a name"
                };
                format!("found {what} of {whose} at {}", finding.place)
            })),
            Err(message) => problems.push(message),
        }
        problems
    }
}

/// The label a JSON packet says it is for.
fn label_of(json: &str) -> Option<String> {
    let value = serde_json::from_str::<serde_json::Value>(json).ok()?;
    value["candidate"].as_str().map(str::to_string)
}

/// The interviewer names a packet shows, which may stand where they are.
fn interviewers_of(json: &str) -> Vec<String> {
    let Ok(value) = serde_json::from_str::<serde_json::Value>(json) else {
        return Vec::new();
    };
    let mut names: Vec<String> = value["interviews"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|i| i["feedback"].as_array().into_iter().flatten())
        .filter_map(|f| f["interviewer"].as_str().map(str::to_string))
        .collect();
    names.sort();
    names.dedup();
    names
}
