//! `blindfold audit DIR`: re-check a folder of packets against every candidate in the private
//! map, as `packets` does before writing (for packets edited or copied since).

use std::path::{Path, PathBuf};

use super::{AuditArgs, CliError, load_rules};
use crate::packet::audit;
use crate::rewrite::{Rewriter, Role, SubjectSpec};
use crate::rules::FamilySet;
use crate::workspace::{CandidateMap, Paths};

pub fn run(args: AuditArgs) -> Result<(), CliError> {
    let map = Paths::resolve(&args.dir, args.private.as_deref())?.read_map()?;
    let rewriter = Rewriter::new(load_rules(args.rules.as_deref())?, FamilySet::all())?;
    let mut packets: Vec<PathBuf> = std::fs::read_dir(&args.dir)
        .map_err(|e| CliError::io(&args.dir, e))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    packets.sort();
    let mut problems = 0;
    for json_path in &packets {
        problems += audit_packet(&rewriter, &map, json_path)?;
    }
    println!(
        "{} packet(s) checked against {} candidate(s): {problems} finding(s)",
        packets.len(),
        map.entries().len()
    );
    if problems == 0 {
        Ok(())
    } else {
        Err(CliError::Reported(format!("{problems} finding(s)")))
    }
}

/// Audit one packet (its JSON and the Markdown beside it) against every candidate of the
/// map; print each finding and return how many there were.
fn audit_packet(rewriter: &Rewriter, map: &CandidateMap, json_path: &Path) -> Result<usize, CliError> {
    let people: Vec<_> = map.entries().iter().collect();
    let json = std::fs::read_to_string(json_path).map_err(|e| CliError::io(json_path, e))?;
    let markdown = std::fs::read_to_string(json_path.with_extension("md")).unwrap_or_default();
    let interviewers = interviewers_of(&json);
    let names: Vec<&str> = interviewers.iter().map(String::as_str).collect();
    let candidates = people.iter().map(|(_, entry)| SubjectSpec {
        role: Role::OtherCandidate,
        name: entry.name.clone(),
        email: Some(entry.email.clone()),
        label: None,
    });
    // The interviewers the packet shows are people of its own: "I paired with <their
    // full name>" is theirs, even where a candidate shares a part of it.
    let shown = interviewers.iter().map(|name| SubjectSpec {
        role: Role::Interviewer,
        name: Some(name.clone()),
        email: None,
        label: None,
    });
    let specs: Vec<SubjectSpec> = candidates.chain(shown).collect();
    let subjects = rewriter.audit_subjects(&specs)?;
    let own = label_of(&json).and_then(|label| people.iter().position(|(l, _)| **l == label));
    let subjects = match own {
        Some(i) => subjects.focused_on(i),
        None => subjects,
    };
    match audit(rewriter, &json, &markdown, &subjects, &names) {
        Ok(findings) => {
            for finding in &findings {
                let whose = people.get(finding.subject).map_or("?", |(_, e)| e.email.as_str());
                println!(
                    "{}: an identifier of {whose} in {} (the {} rules missed it)",
                    json_path.display(),
                    finding.place,
                    finding.family
                );
            }
            Ok(findings.len())
        }
        Err(message) => {
            println!("{}: {message}", json_path.display());
            Ok(1)
        }
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
