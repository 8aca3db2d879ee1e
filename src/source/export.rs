//! Export files: what `blindfold fetch` saved, or a bare JSON array of live interviews with
//! the API's field names (as saved from the GraphQL playground).
//!
//! `fetch` writes one interview per line, so that a decoding error's line number points at
//! the interview it is about.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::Interview;
use super::codesignal::{ApiInterview, to_domain};

/// The version of the export envelope this build writes and reads.
pub const EXPORT_VERSION: u32 = 1;

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("{path}: {source}")]
    Read { path: String, source: std::io::Error },
    #[error("{path}: not UTF-8 (byte {offset})")]
    Utf8 { path: String, offset: usize },
    #[error("{path}:{line}:{column}: {message}")]
    Decode {
        path: String,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{path}: blindfold_export {found} is newer than this blindfold reads ({EXPORT_VERSION}); update blindfold")]
    Version { path: String, found: u32 },
    #[error("{path}: neither a blindfold export nor a JSON array of live interviews")]
    Shape { path: String },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Envelope {
    blindfold_export: u32,
    #[allow(dead_code)]
    source: Option<String>,
    #[allow(dead_code)]
    fetched_at: Option<String>,
    live_interviews: Vec<ApiInterview>,
}

/// Read an export file into domain interviews.
pub fn read(path: &Path) -> Result<Vec<Interview>, ExportError> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|source| ExportError::Read {
        path: name.clone(),
        source,
    })?;
    let text = std::str::from_utf8(&bytes).map_err(|e| ExportError::Utf8 {
        path: name.clone(),
        offset: e.valid_up_to(),
    })?;
    parse(&name, text)
}

/// Parse the text of an export (named `name` in errors).
pub fn parse(name: &str, text: &str) -> Result<Vec<Interview>, ExportError> {
    let decode_error = |e: serde_json::Error| ExportError::Decode {
        path: name.to_string(),
        line: e.line(),
        column: e.column(),
        message: strip_position(&e),
    };
    let interviews = match text.trim_start().chars().next() {
        Some('[') => serde_json::from_str::<Vec<ApiInterview>>(text).map_err(decode_error)?,
        Some('{') => {
            let envelope: Envelope = serde_json::from_str(text).map_err(decode_error)?;
            if envelope.blindfold_export > EXPORT_VERSION {
                return Err(ExportError::Version {
                    path: name.to_string(),
                    found: envelope.blindfold_export,
                });
            }
            envelope.live_interviews
        }
        _ => return Err(ExportError::Shape { path: name.to_string() }),
    };
    Ok(to_domain(interviews))
}

/// serde_json's message without its " at line L column C" tail (the error says it already).
fn strip_position(e: &serde_json::Error) -> String {
    let message = e.to_string();
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message,
    }
}

#[derive(Serialize)]
struct Header<'a> {
    blindfold_export: u32,
    source: &'a str,
    fetched_at: &'a str,
}

/// The text of an export of `interviews`: the envelope, then one interview per line.
pub fn render(interviews: &[ApiInterview], source: &str, fetched_at: &str) -> Result<String, serde_json::Error> {
    let header = serde_json::to_string(&Header {
        blindfold_export: EXPORT_VERSION,
        source,
        fetched_at,
    })?;
    // `{"blindfold_export":1,...}` opened up to take the list.
    let mut out = String::with_capacity(interviews.len() * 2048 + 256);
    out.push_str(&header[..header.len() - 1]);
    out.push_str(",\"live_interviews\":[\n");
    for (i, interview) in interviews.iter().enumerate() {
        out.push_str(&serde_json::to_string(interview)?);
        out.push_str(if i + 1 < interviews.len() { ",\n" } else { "\n" });
    }
    out.push_str("]}\n");
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ONE: &str = r#"{"id": "li-1", "candidateEmail": "a@example.com", "candidateName": "Ana Lima",
        "status": "over", "startDate": 1700000000000, "finishDate": null,
        "interviewersFeedback": [{"author": {"id": "u1", "username": "iv1", "profile": {"name": null, "email": null}},
            "notes": "Good.", "categories": null, "recommendedLevel": null, "evaluation": null}]}"#;

    #[test]
    fn reads_a_bare_array_with_nulls_and_unknown_values() {
        let text = format!(
            "[{ONE}, {}]",
            ONE.replace("li-1", "li-2").replace("\"over\"", "\"rescheduled\"")
        );
        let interviews = parse("x.json", &text).unwrap();
        assert_eq!(interviews.len(), 2);
        assert_eq!(interviews[0].feedback[0].interviewer.display_name(), "iv1");
        assert_eq!(interviews[1].status.as_str(), "rescheduled");
    }

    #[test]
    fn round_trips_through_render() {
        let api: Vec<ApiInterview> = serde_json::from_str(&format!("[{ONE}]")).unwrap();
        let text = render(&api, "https://app.codesignal.com/graphql", "2026-11-24T00:00:00Z").unwrap();
        assert_eq!(text.lines().count(), 3, "one interview per line:\n{text}");
        assert_eq!(
            parse("x.json", &text).unwrap(),
            parse("y.json", &format!("[{ONE}]")).unwrap()
        );
    }

    #[test]
    fn errors_name_file_line_and_field() {
        let text = format!(
            "[\n{},\n{}\n]",
            ONE.replace('\n', " "),
            ONE.replace('\n', " ").replace("\"status\": \"over\",", "")
        );
        let err = parse("export.json", &text).unwrap_err().to_string();
        assert!(err.starts_with("export.json:3:"), "{err}");
        assert!(err.contains("missing field `status`"), "{err}");
        assert!(
            parse("e.json", "{\"blindfold_export\": 9, \"live_interviews\": []}")
                .unwrap_err()
                .to_string()
                .contains("newer")
        );
        assert!(parse("e.json", "42").unwrap_err().to_string().contains("neither"));
    }
}
