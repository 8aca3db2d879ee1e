//! The rule files: every rule's examples pass, the default files stay canonical, and broken
//! files get the error messages recorded in tests/golden/rule-errors.txt (set BLESS=1 to
//! rewrite that file after an intended change of wording).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use blindfold::rewrite::{Rewriter, check_rule_examples};
use blindfold::rules::{FamilySet, RULE_FILES, RuleFile, RuleSet};
use toml::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read_files(dir: &Path, display_prefix: &str) -> Vec<RuleFile> {
    RULE_FILES
        .iter()
        .map(|name| RuleFile {
            name: name.to_string(),
            display: format!("{display_prefix}/{name}"),
            text: std::fs::read_to_string(dir.join(name)).unwrap(),
        })
        .collect()
}

#[test]
fn every_rule_example_passes() {
    let rules = Arc::new(RuleSet::embedded().unwrap());
    let report = check_rule_examples(&rules).unwrap();
    assert!(report.rules >= 30, "only {} rules", report.rules);
    assert!(
        report.examples >= report.rules,
        "a rule without examples slipped through"
    );
    assert!(report.failures.is_empty(), "{}", report.failures.join("\n"));
}

#[test]
fn a_long_closed_class_word_counts_like_a_short_one() {
    // "notwithstanding" (15 letters) longer than any adverb of the default set: a word a list
    // holds is looked up whatever its length.
    let mut files = read_files(&root().join("rules"), "rules");
    let pronouns = files.iter_mut().find(|f| f.name == "pronouns.toml").unwrap();
    assert!(!pronouns.text.contains("\"notwithstanding\""));
    pronouns.text = pronouns
        .text
        .replacen("\nadverbs = [", "\nadverbs = [\"notwithstanding\", ", 1);
    let rewriter = Rewriter::new(Arc::new(RuleSet::from_files(&files).unwrap()), FamilySet::all()).unwrap();
    let subjects = rewriter.subjects(&[]).unwrap();
    let out = rewriter.rewrite("She notwithstanding writes tests.", &subjects);
    assert_eq!(out.text, "They notwithstanding write tests.");
}

/// Every file under `dir`, as paths relative to it with `/` between parts.
fn files_under(dir: &Path, prefix: &str, found: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let name = format!("{prefix}{}", entry.file_name().to_string_lossy());
        if entry.file_type().unwrap().is_dir() {
            files_under(&entry.path(), &format!("{name}/"), found);
        } else {
            found.push(name);
        }
    }
}

#[test]
fn every_file_in_rules_is_a_rule_file_and_every_rule_file_is_there() {
    // The binary embeds exactly RULE_FILES: a file added to rules/ but not to that list would
    // be read by `--rules rules` (as an unknown file) and never by the default set.
    let mut on_disk = Vec::new();
    files_under(&root().join("rules"), "", &mut on_disk);
    on_disk.sort();
    let mut listed: Vec<String> = RULE_FILES.iter().map(|name| name.to_string()).collect();
    listed.sort();
    assert_eq!(on_disk, listed, "rules/ and blindfold::rules::RULE_FILES differ");
}

/// Sorted, without duplicates: lists stay easy to review and to merge.
fn check_sorted(problems: &mut Vec<String>, file: &str, what: &str, items: &[String]) {
    for pair in items.windows(2) {
        if pair[0] >= pair[1] {
            problems.push(format!(
                "{file}: {what}: `{}` before `{}` (keep lists sorted, without duplicates)",
                pair[0], pair[1]
            ));
        }
    }
}

fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_string)).collect())
        .unwrap_or_default()
}

#[test]
fn rule_files_are_canonical() {
    let mut problems = Vec::new();
    let mut flag_words: Vec<(String, String)> = Vec::new();
    for name in RULE_FILES {
        let text = std::fs::read_to_string(root().join("rules").join(name)).unwrap();
        let doc: toml::Table = toml::from_str(&text).unwrap();
        // Rules sorted by id.
        if let Some(rules) = doc.get("rule").and_then(Value::as_array) {
            let ids: Vec<String> = rules
                .iter()
                .filter_map(|r| r.get("id")?.as_str().map(str::to_string))
                .collect();
            check_sorted(&mut problems, name, "rule ids", &ids);
            for rule in rules {
                let id = rule.get("id").and_then(Value::as_str).unwrap_or("?");
                for key in ["words", "not_before", "not_after", "patterns"] {
                    if let Some(v) = rule.get(key).filter(|v| v.is_array()) {
                        check_sorted(&mut problems, name, &format!("rule {id}: {key}"), &strings(v));
                    }
                }
                if name == "flags.toml" {
                    for word in strings(rule.get("words").unwrap_or(&Value::Array(vec![]))) {
                        flag_words.push((word, id.to_string()));
                    }
                }
            }
        }
        // Every top-level list, and every list of a top-level table ([words] of pronouns.toml).
        for (key, value) in &doc {
            if key == "rule" || key == "example_subjects" || key == "forms" {
                continue;
            }
            match value {
                Value::Array(_) => check_sorted(&mut problems, name, key, &strings(value)),
                Value::Table(table) => {
                    for (inner, value) in table {
                        if value.is_array() && name != "lexicon/nicknames.toml" {
                            check_sorted(&mut problems, name, &format!("{key}.{inner}"), &strings(value));
                        }
                    }
                }
                _ => {}
            }
        }
        if name == "lexicon/verbs.toml" {
            let bases: Vec<String> = strings(&doc["forms"])
                .iter()
                .map(|f| f.split(' ').next().unwrap_or("").to_string())
                .collect();
            check_sorted(&mut problems, name, "forms", &bases);
        }
        if name == "lexicon/nicknames.toml" {
            for (formal, nicks) in doc["nicknames"].as_table().unwrap() {
                check_sorted(&mut problems, name, &format!("nicknames.{formal}"), &strings(nicks));
            }
        }
    }
    // A flag word in two rules would be reported twice under different names.
    flag_words.sort();
    for pair in flag_words.windows(2) {
        if pair[0].0 == pair[1].0 {
            problems.push(format!(
                "flags.toml: `{}` is in both {} and {}",
                pair[0].0, pair[0].1, pair[1].1
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Broken variants of the minimal rule set, and the messages they must produce.
fn broken_rule_sets() -> Vec<(&'static str, &'static str, &'static str, &'static str)> {
    // (what, file, text to replace, replacement)
    vec![
        ("unknown key in a rule", "terms.toml", "words = {", "wordz = {"),
        (
            "unknown key in a word list table",
            "pronouns.toml",
            "adverbs = [",
            "adverb = [",
        ),
        ("unknown top-level key", "names.toml", "titles = [", "titels = ["),
        (
            "unknown contact kind",
            "contact.toml",
            "kind = \"email\"",
            "kind = \"fax\"",
        ),
        (
            "bad pattern placeholder",
            "flags.toml",
            "{num} years old",
            "{age} years old",
        ),
        (
            "pronoun rule without grammar",
            "pronouns.toml",
            "id = \"pronouns.subject\"",
            "id = \"pronouns.tense\"",
        ),
        (
            "id of another family",
            "terms.toml",
            "id = \"terms.spouse\"",
            "id = \"names.spouse\"",
        ),
        (
            "example without expect",
            "terms.toml",
            "expect = \"The spouse can.\"",
            "flags = []",
        ),
        (
            "rule without a note",
            "contact.toml",
            "note = \"An email names its owner.\"",
            "note = \"\"",
        ),
        (
            "word in uppercase",
            "terms.toml",
            "husband = \"spouse\"",
            "Husband = \"spouse\"",
        ),
        (
            "malformed verb line",
            "lexicon/verbs.toml",
            "code codes coded coded n",
            "code codes coded",
        ),
        (
            "syntax error",
            "flags.toml",
            "note = \"An age invites bias.\"",
            "note = \"An age invites bias.",
        ),
        (
            "word longer than a lookup reads",
            "pronouns.toml",
            "adverbs = [\"always\"]",
            "adverbs = [\"always\", \"supercalifragilisticexpialidociousnotwithstanding\"]",
        ),
        (
            "predicate joiner that is no coordinator",
            "pronouns.toml",
            "predicate_joiners = [\"then\"]",
            "predicate_joiners = [\"then\", \"yet\"]",
        ),
        (
            "wrong value type",
            "pronouns.toml",
            "reflexive = \"themself\"",
            "reflexive = 1",
        ),
        (
            "reflexive not they",
            "pronouns.toml",
            "reflexive = \"themself\"",
            "reflexive = \"itself\"",
        ),
    ]
}

#[test]
fn broken_rule_files_get_located_messages() {
    let dir = root().join("tests/fixtures/rules-min");
    let pristine = read_files(&dir, "rules-min");
    assert!(
        RuleSet::from_files(&pristine).is_ok(),
        "the minimal rule set itself must compile"
    );
    let mut report = String::new();
    for (what, file, from, to) in broken_rule_sets() {
        let mut files = pristine.clone();
        let target = files.iter_mut().find(|f| f.name == file).unwrap();
        assert!(target.text.contains(from), "{what}: `{from}` not in {file}");
        target.text = target.text.replacen(from, to, 1);
        let message = match RuleSet::from_files(&files) {
            Ok(_) => "(no error)".to_string(),
            Err(errors) => errors.to_string(),
        };
        report.push_str(&format!("## {what}\n{message}\n\n"));
    }
    // A missing file, and a file under a name blindfold does not read.
    let mut files: Vec<RuleFile> = pristine
        .iter()
        .filter(|f| f.name != "lexicon/words.toml")
        .cloned()
        .collect();
    files.push(RuleFile {
        name: "term.toml".into(),
        display: "rules-min/term.toml".into(),
        text: String::new(),
    });
    let message = RuleSet::from_files(&files)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    report.push_str(&format!("## missing and unexpected files\n{message}\n"));

    let golden = root().join("tests/golden/rule-errors.txt");
    if std::env::var_os("BLESS").is_some() {
        std::fs::write(&golden, &report).unwrap();
    }
    let expected = std::fs::read_to_string(&golden).unwrap_or_default();
    assert_eq!(
        report, expected,
        "rule error messages changed; if intended, rerun with BLESS=1"
    );
    assert!(!report.contains("(no error)"), "a broken rule set compiled:\n{report}");
}
