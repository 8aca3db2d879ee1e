//! Runs the table-driven rewrite cases of tests/cases/*.toml (see tests/cases/README.md):
//! every input must come out as its `expect` (or byte-identical without one), with exactly
//! the listed flags; the edits must rebuild the output from the input, and rewriting the
//! output again must change nothing.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use blindfold::rewrite::{Rewriter, Rewritten, SubjectSpec};
use blindfold::rules::{FamilySet, RuleSet};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseFile {
    #[serde(default)]
    subjects: Vec<SubjectSpec>,
    case: Vec<Case>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    input: String,
    expect: Option<String>,
    only: Option<Vec<String>>,
    flags: Option<Vec<String>>,
    subjects: Option<Vec<SubjectSpec>>,
}

#[test]
fn rewrite_cases() {
    let rules = Arc::new(RuleSet::embedded().expect("embedded rules compile"));
    let mut rewriters: BTreeMap<String, Rewriter> = BTreeMap::new();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases");
    let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.retain(|p| p.extension().is_some_and(|e| e == "toml"));
    files.sort();
    assert!(!files.is_empty(), "no case files in {}", dir.display());
    let mut failures = Vec::new();
    let mut total = 0;
    for path in &files {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let file: CaseFile =
            toml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap_or_else(|e| panic!("{name}: {e}"));
        for (i, case) in file.case.iter().enumerate() {
            total += 1;
            let families = case.only.as_ref().map_or_else(|| "all".to_string(), |f| f.join(","));
            let rewriter = rewriters.entry(families.clone()).or_insert_with(|| {
                let set = if families == "all" {
                    FamilySet::all()
                } else {
                    FamilySet::parse_list(&families).unwrap()
                };
                Rewriter::new(rules.clone(), set).unwrap()
            });
            let specs = case.subjects.as_ref().unwrap_or(&file.subjects);
            let subjects = rewriter.subjects(specs).unwrap();
            let out = rewriter.rewrite(&case.input, &subjects);
            let expect = case.expect.as_ref().unwrap_or(&case.input);
            let flags: Vec<&str> = out.flags.iter().map(|f| &*f.rule).collect();
            let want_flags: Vec<&str> = case.flags.iter().flatten().map(String::as_str).collect();
            let again = rewriter.rewrite(&out.text, &subjects).text;
            let mut problems = Vec::new();
            if out.text != *expect {
                problems.push(format!("     got: {:?}\n    want: {:?}", out.text, expect));
            }
            if flags != want_flags {
                problems.push(format!("   flags: {flags:?}, want {want_flags:?}"));
            }
            if again != out.text {
                problems.push(format!("  second pass changed it: {again:?}"));
            }
            if let Err(e) = edits_rebuild(&case.input, &out) {
                problems.push(format!("   edits: {e}"));
            }
            if !problems.is_empty() {
                failures.push(format!(
                    "{name} case {} {:?}\n{}",
                    i + 1,
                    case.input,
                    problems.join("\n")
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {total} cases failed:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

/// The edits, applied to the input in order, give the output; each stands on character
/// boundaries and quotes the input it replaces.
fn edits_rebuild(input: &str, out: &Rewritten) -> Result<(), String> {
    let mut rebuilt = String::with_capacity(out.text.len());
    let mut last = 0;
    for edit in &out.edits {
        let span = edit.span.clone();
        let fits = last <= span.start && span.start <= span.end && span.end <= input.len();
        if !fits || !input.is_char_boundary(span.start) || !input.is_char_boundary(span.end) {
            return Err(format!("span {span:?} out of order or off a character boundary"));
        }
        if input[span.clone()] != edit.before {
            return Err(format!("span {span:?} is not the `before` {:?}", edit.before));
        }
        rebuilt.push_str(&input[last..span.start]);
        rebuilt.push_str(&edit.after);
        last = span.end;
    }
    rebuilt.push_str(&input[last..]);
    if rebuilt != out.text {
        return Err(format!("applied, they give {rebuilt:?}"));
    }
    Ok(())
}
