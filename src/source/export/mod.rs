//! Export files: what `blindfold fetch` saved, or a bare JSON array of live interviews with
//! the API's field names (as saved from the GraphQL playground).
//!
//! `fetch` writes one interview per line, so that a decoding error's line number points at
//! the interview it is about.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;

use std::fmt;

use serde::Serialize;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use super::codesignal::{ApiInterview, to_domain_one};
use super::{Interview, dedupe_by_id};

/// The version of the export envelope this build writes and reads.
pub const EXPORT_VERSION: u32 = 1;

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("{path}: {source}")]
    Read { path: String, source: std::io::Error },
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

/// Read an export file into domain interviews.
pub fn read(path: &Path) -> Result<Vec<Interview>, ExportError> {
    read_filtered(path, |_| true)
}

/// Read an export file, keeping the interviews `keep` accepts. Interviews are decoded and
/// converted one at a time as the file is read, and the rest dropped at once, so a large
/// export is never held whole in memory, in any form.
pub fn read_filtered(path: &Path, keep: impl Fn(&Interview) -> bool) -> Result<Vec<Interview>, ExportError> {
    let name = path.display().to_string();
    let io_error = |source| ExportError::Read {
        path: name.clone(),
        source,
    };
    let mut reader = BufReader::with_capacity(1 << 20, File::open(path).map_err(io_error)?);
    // The first character tells the shape; the lines skipped to find it keep error lines right.
    let mut skipped_lines = 0;
    let first = loop {
        let buf = reader.fill_buf().map_err(io_error)?;
        if buf.is_empty() {
            break None;
        }
        match buf.iter().position(|b| !b.is_ascii_whitespace()) {
            Some(i) => {
                skipped_lines += buf[..i].iter().filter(|b| **b == b'\n').count();
                let first = buf[i];
                reader.consume(i);
                break Some(first);
            }
            None => {
                let n = buf.len();
                skipped_lines += buf.iter().filter(|b| **b == b'\n').count();
                reader.consume(n);
            }
        }
    };
    if !matches!(first, Some(b'[' | b'{')) {
        return Err(ExportError::Shape { path: name });
    }
    let mut kept = Vec::new();
    let mut version = None;
    let mut sink = |interview: ApiInterview| {
        let interview = to_domain_one(interview);
        if keep(&interview) {
            kept.push(interview);
        }
    };
    let mut deserializer = serde_json::Deserializer::from_reader(reader);
    let decoded = if first == Some(b'[') {
        Each(&mut sink).deserialize(&mut deserializer)
    } else {
        Envelope {
            each: Each(&mut sink),
            version: &mut version,
        }
        .deserialize(&mut deserializer)
    };
    decoded
        .and_then(|()| deserializer.end())
        .map_err(|e| decode_error(&name, e, skipped_lines))?;
    check_version(&name, version)?;
    dedupe_by_id(&mut kept);
    Ok(kept)
}

/// Parse the text of an export (named `name` in errors).
pub fn parse(name: &str, text: &str) -> Result<Vec<Interview>, ExportError> {
    let mut all = Vec::new();
    let mut version = None;
    let mut sink = |interview: ApiInterview| all.push(to_domain_one(interview));
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let decoded = match text.trim_start().chars().next() {
        Some('[') => Each(&mut sink).deserialize(&mut deserializer),
        Some('{') => Envelope {
            each: Each(&mut sink),
            version: &mut version,
        }
        .deserialize(&mut deserializer),
        _ => return Err(ExportError::Shape { path: name.to_string() }),
    };
    decoded
        .and_then(|()| deserializer.end())
        .map_err(|e| decode_error(name, e, 0))?;
    check_version(name, version)?;
    dedupe_by_id(&mut all);
    Ok(all)
}

fn check_version(name: &str, version: Option<u32>) -> Result<(), ExportError> {
    match version {
        Some(found) if found > EXPORT_VERSION => Err(ExportError::Version {
            path: name.to_string(),
            found,
        }),
        _ => Ok(()),
    }
}

/// A list of live interviews, each handed to a sink as soon as it is decoded.
struct Each<'s>(&'s mut dyn FnMut(ApiInterview));

impl<'de> DeserializeSeed<'de> for Each<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Each<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of live interviews")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(interview) = seq.next_element::<ApiInterview>()? {
            (self.0)(interview);
        }
        Ok(())
    }
}

/// `{"blindfold_export": 1, "source": ..., "fetched_at": ..., "live_interviews": [...]}`;
/// unknown keys are errors.
struct Envelope<'s, 'v> {
    each: Each<'s>,
    version: &'v mut Option<u32>,
}

const ENVELOPE_FIELDS: &[&str] = &["blindfold_export", "source", "fetched_at", "live_interviews"];

impl<'de> DeserializeSeed<'de> for Envelope<'_, '_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Envelope<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a blindfold export")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let Envelope { each, version } = self;
        let mut interviews = false;
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "blindfold_export" => *version = Some(map.next_value()?),
                "source" | "fetched_at" => {
                    map.next_value::<Option<String>>()?;
                }
                "live_interviews" => {
                    map.next_value_seed(Each(&mut *each.0))?;
                    interviews = true;
                }
                other => return Err(de::Error::unknown_field(other, ENVELOPE_FIELDS)),
            }
        }
        if version.is_none() {
            return Err(de::Error::missing_field("blindfold_export"));
        }
        if !interviews {
            return Err(de::Error::missing_field("live_interviews"));
        }
        Ok(())
    }
}

/// Where and what: serde_json counts lines from where it started reading.
fn decode_error(name: &str, e: serde_json::Error, skipped_lines: usize) -> ExportError {
    ExportError::Decode {
        path: name.to_string(),
        line: e.line() + skipped_lines,
        column: e.column(),
        message: strip_position(&e),
    }
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
    fn reading_a_file_matches_parsing_its_text_and_counts_lines_from_the_top() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("e.json");
        let text = format!("\n\n[\n{},\n{{\"id\": 5}}\n]", ONE.replace('\n', " "));
        std::fs::write(&path, &text).unwrap();
        let err = read(&path).unwrap_err().to_string();
        assert!(err.contains(":5:"), "{err}");
        assert!(matches!(
            parse("e.json", &text),
            Err(ExportError::Decode { line: 5, .. })
        ));
        std::fs::write(&path, format!("[{ONE}]")).unwrap();
        assert_eq!(read(&path).unwrap(), parse("e.json", &format!("[{ONE}]")).unwrap());
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
