//! What the end-to-end tests share: API answers in CodeSignal's shape. Every person is invented.

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
