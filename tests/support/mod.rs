//! What the end-to-end tests share: API answers in CodeSignal's shape, broken rule sets.
//! Every person is invented.

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

/// A finished live interview as the API returns it, with one interviewer's notes.
pub fn api_interview(id: &str, email: &str, name: &str, notes: &str) -> Value {
    json!({
        "id": id, "candidateEmail": email, "candidateName": name, "status": "over",
        "startDate": 1_762_000_000_000_i64, "finishDate": 1_762_003_600_000_i64,
        "interviewersFeedback": [{"author": {"id": "u9", "username": "iv9", "profile": {"name": "Ivo Nine", "email": null}},
            "notes": notes, "categories": [], "recommendedLevel": "L3", "evaluation": "Hire"}]
    })
}

/// The project's rules with one name rule left out, written under `dir`, so a name slips
/// past the rewriter and the audit has something to stop.
pub fn rules_without(dir: &Path, rule_id: &str) -> PathBuf {
    let rules = dir.join("rules");
    fs::create_dir_all(rules.join("lexicon")).unwrap();
    for name in blindfold::rules::RULE_FILES {
        let mut text = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("rules").join(name)).unwrap();
        if name == "names.toml" {
            let blocks: Vec<&str> = text.split("[[rule]]").collect();
            text = blocks
                .iter()
                .enumerate()
                .filter(|(i, b)| *i == 0 || !b.contains(&format!("id = \"{rule_id}\"")))
                .map(|(_, b)| *b)
                .collect::<Vec<_>>()
                .join("[[rule]]");
        }
        fs::write(rules.join(name), text).unwrap();
    }
    rules
}
