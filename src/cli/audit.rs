//! `blindfold audit DIR`: re-check a folder of packets against every candidate in the private
//! map, as `packets` does before writing (for packets edited or copied since).

use std::path::PathBuf;

use super::{AuditArgs, CliError, load_rules};
use crate::packet::{PrivateDir, audit};
use crate::rewrite::{Rewriter, Role, SubjectSpec};
use crate::rules::FamilySet;

pub fn run(args: AuditArgs) -> Result<(), CliError> {
    let private_path = match &args.private {
        Some(path) => path.clone(),
        None => {
            let name = args
                .dir
                .file_name()
                .ok_or_else(|| CliError::Usage("give --private DIR".into()))?;
            let mut private = name.to_os_string();
            private.push(".private");
            args.dir.with_file_name(private)
        }
    };
    if !private_path.join("candidates.json").is_file() {
        return Err(CliError::Usage(format!(
            "{}: no candidates.json; give the --private folder of the run that wrote the packets",
            private_path.display()
        )));
    }
    let private = PrivateDir::open(&private_path).map_err(|e| CliError::Input(e.to_string()))?;
    let rules = load_rules(args.rules.as_deref())?;
    let rewriter = Rewriter::new(rules, FamilySet::all()).map_err(|e| CliError::Input(e.to_string()))?;
    let people: Vec<(&String, &crate::packet::PrivateEntry)> = private.entries().iter().collect();
    let specs: Vec<SubjectSpec> = people
        .iter()
        .map(|(_, entry)| SubjectSpec {
            role: Role::OtherCandidate,
            name: entry.name.clone(),
            email: Some(entry.email.clone()),
            label: None,
        })
        .collect();

    let mut packets: Vec<PathBuf> = std::fs::read_dir(&args.dir)
        .map_err(|e| CliError::io(&args.dir, e))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    packets.sort();
    let mut problems = 0;
    for json_path in &packets {
        let json = std::fs::read_to_string(json_path).map_err(|e| CliError::io(json_path, e))?;
        let md_path = json_path.with_extension("md");
        let markdown = std::fs::read_to_string(&md_path).unwrap_or_default();
        let interviewers = interviewers_of(&json);
        let names: Vec<&str> = interviewers.iter().map(String::as_str).collect();
        // The interviewers the packet shows are people of its own: "I paired with <their
        // full name>" is theirs, even where a candidate shares a part of it.
        let mut packet_specs = specs.clone();
        packet_specs.extend(interviewers.iter().map(|name| SubjectSpec {
            role: Role::Interviewer,
            name: Some(name.clone()),
            email: None,
            label: None,
        }));
        let subjects = rewriter
            .audit_subjects(&packet_specs)
            .map_err(|e| CliError::Input(e.to_string()))?;
        let own = label_of(&json).and_then(|label| people.iter().position(|(l, _)| **l == label));
        let subjects = match own {
            Some(i) => subjects.focused_on(i),
            None => subjects,
        };
        match audit(&rewriter, &json, &markdown, &subjects, &names) {
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
                problems += findings.len();
            }
            Err(message) => {
                println!("{}: {message}", json_path.display());
                problems += 1;
            }
        }
    }
    println!(
        "{} packet(s) checked against {} candidate(s): {problems} finding(s)",
        packets.len(),
        people.len()
    );
    if problems == 0 {
        Ok(())
    } else {
        Err(CliError::Reported(format!("{problems} finding(s)")))
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
