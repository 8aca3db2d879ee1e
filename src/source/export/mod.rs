//! Export files: what `blindfold fetch` saved, a bare JSON array of live interviews with the
//! API's field names, or a whole GraphQL response to a `liveInterviews` query (both as saved
//! from the GraphQL playground).
//!
//! `fetch` writes one interview per line, so that a decoding error's line number points at
//! the interview it is about. Interviews are decoded as the file streams in; when one
//! cannot be, the file is read once more to say which interview and which field.

mod locate;
mod utf8;

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use self::utf8::{NotUtf8, Utf8Reader};
use super::codesignal::{ApiInterview, RecordError, to_domain_one};
use super::{Interview, dedupe_by_id};

/// The version of the export envelope this build writes and reads.
pub const EXPORT_VERSION: u32 = 1;

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("{path}: {source}")]
    Read { path: String, source: std::io::Error },
    #[error("{path} is not UTF-8 (at byte {byte}); save it as UTF-8")]
    NotUtf8 { path: String, byte: u64 },
    #[error("{path}:{line}:{column}: {message}")]
    Decode {
        path: String,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{path}: {source}")]
    Record { path: String, source: RecordError },
    #[error("{path}: blindfold_export {found} is newer than this blindfold reads ({EXPORT_VERSION}); update blindfold")]
    Version { path: String, found: u32 },
    #[error("{path}: neither a blindfold export nor a JSON array of live interviews")]
    Shape { path: String },
    #[error("{path} holds one interview object; wrap it in [ ] to make it a list of interviews")]
    OneInterview { path: String },
    #[error(
        "{path} is a GraphQL response with errors ({messages}); save a response without errors, or use `blindfold fetch`"
    )]
    GraphQlErrors { path: String, messages: String },
    #[error(
        "{path} is a GraphQL response without live interviews (its data holds {found}); save the answer to a liveInterviews query, or use `blindfold fetch`"
    )]
    NotInterviews { path: String, found: String },
}

/// Read an export file into domain interviews.
pub fn read(path: &Path) -> Result<Vec<Interview>, ExportError> {
    read_filtered(path, |_| true)
}

/// Read an export file, keeping the interviews `keep` accepts. Interviews are decoded and
/// converted one at a time as the file is read, and the rest dropped at once, so a large
/// export is never held whole in memory, in any form.
pub fn read_filtered(path: &Path, keep: impl FnMut(&Interview) -> bool) -> Result<Vec<Interview>, ExportError> {
    read_from(&path.display().to_string(), || File::open(path), keep)
}

/// Parse the text of an export (named `name` in errors).
pub fn parse(name: &str, text: &str) -> Result<Vec<Interview>, ExportError> {
    read_from(name, || Ok(text.as_bytes()), |_| true)
}

/// Read the export `open` gives (named `name` in errors), keeping what `keep` accepts;
/// `open` is called again to say where a record the decoder refused goes wrong.
fn read_from<R: Read>(
    name: &str,
    open: impl Fn() -> io::Result<R>,
    mut keep: impl FnMut(&Interview) -> bool,
) -> Result<Vec<Interview>, ExportError> {
    let io_error = |source| ExportError::Read {
        path: name.to_string(),
        source,
    };
    let mut kept = Vec::new();
    let mut sink = |interview: ApiInterview| -> Result<(), RecordError> {
        let interview = to_domain_one(interview)?;
        if keep(&interview) {
            kept.push(interview);
        }
        Ok(())
    };
    let mut pass = Pass::new(Some(&mut sink));
    let outcome = run(open().map_err(io_error)?, &mut pass);
    let found = pass.found;
    match outcome {
        Ok(()) => {}
        Err(Failure::Json(e, skipped_lines)) if e.is_data() && found.shape.is_none() && found.record.is_none() => {
            // Read again, value by value, to name the interview and the field.
            let mut locating = Pass::new(None);
            let _ = run(open().map_err(io_error)?, &mut locating);
            let mut error = decode_error(name, &e, skipped_lines);
            if let (ExportError::Decode { message, .. }, Some(located)) = (&mut error, locating.found.located) {
                *message = located;
            }
            return Err(error);
        }
        Err(failure) => return Err(failed(name, failure, found)),
    }
    dedupe_by_id(&mut kept);
    Ok(kept)
}

/// The error of a pass that stopped, as the user should read it.
fn failed(name: &str, failure: Failure, found: Found) -> ExportError {
    let path = name.to_string();
    if let Some(source) = found.record {
        return ExportError::Record { path, source };
    }
    if let Some(shape) = found.shape {
        return match shape {
            Shape::OneInterview => ExportError::OneInterview { path },
            Shape::Newer(found) => ExportError::Version { path, found },
            Shape::GraphQlErrors(messages) => ExportError::GraphQlErrors { path, messages },
            Shape::NotInterviews(found) => ExportError::NotInterviews { path, found },
        };
    }
    let io = match failure {
        Failure::Shape => return ExportError::Shape { path },
        Failure::Io(io) => io,
        Failure::Json(e, _) if e.is_io() => io::Error::from(e),
        Failure::Json(e, skipped_lines) => return decode_error(name, &e, skipped_lines),
    };
    match NotUtf8::in_error(&io) {
        Some(NotUtf8 { byte }) => ExportError::NotUtf8 { path, byte },
        None => ExportError::Read { path, source: io },
    }
}

/// Why a pass stopped.
enum Failure {
    Io(io::Error),
    /// The first character is neither `[` nor `{`.
    Shape,
    /// With the lines skipped before the decoder started.
    Json(serde_json::Error, usize),
}

/// One pass over an export: its shape from the first character, then the decoder.
fn run<R: Read>(input: R, pass: &mut Pass<'_>) -> Result<(), Failure> {
    // serde_json reads a byte at a time: std reads those fastest from a BufReader, so one
    // sits in front of the checking reader, which then hands out large chunks.
    let mut reader = BufReader::with_capacity(64 << 10, Utf8Reader::with_capacity(1 << 20, input));
    // The lines skipped to find the first character keep error lines right.
    let mut skipped_lines = 0;
    let mut at_start = true;
    let first = loop {
        let buf = reader.fill_buf().map_err(Failure::Io)?;
        if buf.is_empty() {
            break None;
        }
        // A byte order mark, as some editors save UTF-8, is no character of the JSON.
        let bom = if at_start && buf.starts_with(b"\xef\xbb\xbf") {
            3
        } else {
            0
        };
        at_start = false;
        match buf[bom..].iter().position(|b| !b.is_ascii_whitespace()) {
            Some(i) => {
                skipped_lines += buf[bom..bom + i].iter().filter(|b| **b == b'\n').count();
                let first = buf[bom + i];
                reader.consume(bom + i);
                break Some(first);
            }
            None => {
                let n = buf.len();
                skipped_lines += buf.iter().filter(|b| **b == b'\n').count();
                reader.consume(n);
            }
        }
    };
    let mut deserializer = serde_json::Deserializer::from_reader(reader);
    let decoded = match first {
        Some(b'[') => Each(pass).deserialize(&mut deserializer),
        Some(b'{') => Top(pass).deserialize(&mut deserializer),
        _ => return Err(Failure::Shape),
    };
    decoded
        .and_then(|()| deserializer.end())
        .map_err(|e| Failure::Json(e, skipped_lines))
}

/// What a pass learns besides the interviews it hands on.
#[derive(Default)]
struct Found {
    /// Why the file is not an export, when its shape tells.
    shape: Option<Shape>,
    /// An interview that decoded but cannot be used.
    record: Option<RecordError>,
    /// The first interview the decoder refuses, and where (locating passes only).
    located: Option<String>,
}

enum Shape {
    OneInterview,
    Newer(u32),
    GraphQlErrors(String),
    /// What the response's data holds instead.
    NotInterviews(String),
}

/// The state of one pass.
struct Pass<'s> {
    /// Where decoded interviews go; `None` when locating a refused one.
    sink: Option<&'s mut dyn FnMut(ApiInterview) -> Result<(), RecordError>>,
    found: Found,
    /// Interviews met so far, to name one without an id.
    count: usize,
}

impl<'s> Pass<'s> {
    fn new(sink: Option<&'s mut dyn FnMut(ApiInterview) -> Result<(), RecordError>>) -> Pass<'s> {
        Pass {
            sink,
            found: Found::default(),
            count: 0,
        }
    }

    /// One interview (or a null in its place, which the API's lists may hold).
    fn one<'de, D: Deserializer<'de>>(&mut self, deserializer: D) -> Result<(), D::Error> {
        self.count += 1;
        match &mut self.sink {
            Some(sink) => {
                let Some(interview) = Option::<ApiInterview>::deserialize(deserializer)? else {
                    return Ok(());
                };
                sink(interview).map_err(|e| {
                    self.found.record = Some(e);
                    de::Error::custom("an interview that cannot be used")
                })
            }
            None => {
                let value = Value::deserialize(deserializer)?;
                if value.is_null() {
                    return Ok(());
                }
                ApiInterview::deserialize(locate::At(&value)).map(drop).map_err(|at| {
                    let who = match value.get("id") {
                        Some(Value::String(id)) => format!("interview {id}"),
                        Some(Value::Number(id)) => format!("interview {id}"),
                        _ => format!("interview {} of the file", self.count),
                    };
                    self.found.located = Some(format!("{who}: {at}"));
                    de::Error::custom("located")
                })
            }
        }
    }
}

/// One interview, as a seed.
struct One<'p, 's>(&'p mut Pass<'s>);

impl<'de> DeserializeSeed<'de> for One<'_, '_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        self.0.one(deserializer)
    }
}

/// A list of live interviews, each handed on as soon as it is decoded.
struct Each<'p, 's>(&'p mut Pass<'s>);

impl<'de> DeserializeSeed<'de> for Each<'_, '_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Each<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of live interviews")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(One(&mut *self.0))?.is_some() {}
        Ok(())
    }
}

/// The keys of a live interview: an object that starts with one is an interview.
const INTERVIEW_FIELDS: &[&str] = &[
    "id",
    "candidateEmail",
    "candidateName",
    "status",
    "startDate",
    "finishDate",
    "interviewersFeedback",
];

const TOP_FIELDS: &[&str] = &[
    "blindfold_export",
    "source",
    "fetched_at",
    "live_interviews",
    "data",
    "errors",
];

/// An object: a blindfold export (`{"blindfold_export": 1, "source": ..., "fetched_at":
/// ..., "live_interviews": [...]}`) or a GraphQL response (`{"data": {"liveInterviews":
/// [...]}}`); one interview, or any other key, is an error.
struct Top<'p, 's>(&'p mut Pass<'s>);

impl<'de> DeserializeSeed<'de> for Top<'_, '_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(self)
    }
}

/// A GraphQL error, for its message.
#[derive(Deserialize)]
struct GraphQlError {
    message: Option<String>,
}

impl<'de> Visitor<'de> for Top<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a blindfold export")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let pass = self.0;
        let (mut version, mut interviews, mut envelope, mut response) = (None, false, false, false);
        let mut data_null = false;
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "blindfold_export" => {
                    let found: u32 = map.next_value()?;
                    if found > EXPORT_VERSION {
                        pass.found.shape = Some(Shape::Newer(found));
                        return Err(de::Error::custom("newer"));
                    }
                    version = Some(found);
                    envelope = true;
                }
                "source" | "fetched_at" => {
                    map.next_value::<Option<String>>()?;
                    envelope = true;
                }
                "live_interviews" => {
                    map.next_value_seed(Each(&mut *pass))?;
                    interviews = true;
                    envelope = true;
                }
                "data" => {
                    data_null = !map.next_value_seed(Data(&mut *pass))?;
                    response = true;
                }
                "errors" => {
                    let errors = map.next_value::<Option<Vec<GraphQlError>>>()?.unwrap_or_default();
                    if !errors.is_empty() {
                        let messages: Vec<String> = errors.into_iter().filter_map(|e| e.message).collect();
                        pass.found.shape = Some(Shape::GraphQlErrors(messages.join("; ")));
                        return Err(de::Error::custom("errors"));
                    }
                    response = true;
                }
                "extensions" => {
                    map.next_value::<de::IgnoredAny>()?;
                    response = true;
                }
                field if INTERVIEW_FIELDS.contains(&field) && !envelope && !response => {
                    pass.found.shape = Some(Shape::OneInterview);
                    return Err(de::Error::custom("one interview"));
                }
                other => return Err(de::Error::unknown_field(other, TOP_FIELDS)),
            }
        }
        if data_null {
            pass.found.shape = Some(Shape::NotInterviews("null".into()));
            return Err(de::Error::custom("no data"));
        }
        if response && !envelope {
            return Ok(());
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

/// A GraphQL response's `data`: `liveInterviews` (a list) or `liveInterview` (one). Its
/// value says whether there was any data (not null).
struct Data<'p, 's>(&'p mut Pass<'s>);

impl<'de> DeserializeSeed<'de> for Data<'_, '_> {
    type Value = bool;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<bool, D::Error> {
        deserializer.deserialize_option(self)
    }
}

impl<'de> Visitor<'de> for Data<'_, '_> {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("the data of a GraphQL response")
    }

    fn visit_none<E: de::Error>(self) -> Result<bool, E> {
        Ok(false)
    }

    fn visit_unit<E: de::Error>(self) -> Result<bool, E> {
        Ok(false)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<bool, D::Error> {
        deserializer.deserialize_map(self)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<bool, A::Error> {
        let pass = self.0;
        let mut any = false;
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "liveInterviews" => map.next_value_seed(Each(&mut *pass))?,
                "liveInterview" => map.next_value_seed(One(&mut *pass))?,
                other => {
                    pass.found.shape = Some(Shape::NotInterviews(format!("`{other}`")));
                    return Err(de::Error::custom("another query"));
                }
            }
            any = true;
        }
        if !any {
            pass.found.shape = Some(Shape::NotInterviews("nothing".into()));
            return Err(de::Error::custom("no data"));
        }
        Ok(true)
    }
}

/// Where and what: serde_json counts lines from where it started reading.
fn decode_error(name: &str, e: &serde_json::Error, skipped_lines: usize) -> ExportError {
    ExportError::Decode {
        path: name.to_string(),
        line: e.line() + skipped_lines,
        column: e.column(),
        message: strip_position(e),
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

    fn one_line() -> String {
        ONE.replace('\n', " ")
    }

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
        let text = format!("\n\n[\n{},\n{{\"id\": 5}}\n]", one_line());
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
    fn errors_name_file_line_interview_and_field() {
        let text = format!(
            "[\n{},\n{}\n]",
            one_line(),
            one_line().replace("li-1", "li-2").replace("\"status\": \"over\",", "")
        );
        let err = parse("export.json", &text).unwrap_err().to_string();
        assert!(err.starts_with("export.json:3:"), "{err}");
        assert!(err.ends_with(": interview li-2: status is missing"), "{err}");
        assert!(
            parse("e.json", "{\"blindfold_export\": 9, \"live_interviews\": []}")
                .unwrap_err()
                .to_string()
                .contains("newer")
        );
        assert!(parse("e.json", "42").unwrap_err().to_string().contains("neither"));
    }

    #[test]
    fn a_value_of_the_wrong_kind_is_named_by_path_never_by_type() {
        let text = format!(
            "[{}]",
            one_line().replace("\"categories\": null", "\"categories\": [{\"name\": \"Coding\", \"attributes\": [{\"name\": \"Speed\", \"score\": \"four\", \"notes\": null}]}]")
        );
        let err = parse("e.json", &text).unwrap_err().to_string();
        assert!(
            err.ends_with(
                "interview li-1: interviewersFeedback[0].categories[0].attributes[0].score is text; expected a whole number"
            ),
            "{err}"
        );
        let text = format!("[{}]", one_line().replace("\"username\": \"iv1\",", ""));
        let err = parse("e.json", &text).unwrap_err().to_string();
        assert!(
            err.ends_with("interview li-1: interviewersFeedback[0].author.username is missing"),
            "{err}"
        );
        assert!(!err.contains("LiveInterviews"), "{err}");
    }

    #[test]
    fn null_notes_are_empty_and_feedback_without_author_is_left_out() {
        let text = format!(
            "[{}]",
            one_line().replace("\"notes\": \"Good.\"", "\"notes\": null").replace(
                "\"interviewersFeedback\": [",
                "\"interviewersFeedback\": [null, {\"author\": null, \"notes\": \"Orphaned.\"}, "
            )
        );
        let interviews = parse("e.json", &text).unwrap();
        assert_eq!(interviews[0].feedback.len(), 1);
        assert_eq!(interviews[0].feedback[0].notes, "");
        assert_eq!(interviews[0].feedback_without_author, [1]);
    }

    #[test]
    fn a_date_given_as_text_names_the_interview_and_field() {
        let text = format!("[{}]", one_line().replace("1700000000000", "\"2026-11-02\""));
        assert_eq!(
            parse("e.json", &text).unwrap_err().to_string(),
            "e.json: interview li-1: startDate is the text \"2026-11-02\", not a time (milliseconds since 1970, as a number)"
        );
    }

    #[test]
    fn one_interview_object_is_told_to_be_wrapped() {
        assert_eq!(
            parse("e.json", &one_line()).unwrap_err().to_string(),
            "e.json holds one interview object; wrap it in [ ] to make it a list of interviews"
        );
    }

    #[test]
    fn a_saved_graphql_response_is_read_as_its_interviews() {
        let list = parse(
            "r.json",
            &format!("{{\"data\": {{\"liveInterviews\": [{ONE}, null]}}}}"),
        )
        .unwrap();
        assert_eq!(list, parse("e.json", &format!("[{ONE}]")).unwrap());
        let single = parse(
            "r.json",
            &format!("{{\"data\": {{\"liveInterview\": {ONE}}}, \"errors\": []}}"),
        )
        .unwrap();
        assert_eq!(single, list);
        assert_eq!(
            parse(
                "r.json",
                "{\"data\": null, \"errors\": [{\"message\": \"Access denied\"}]}"
            )
            .unwrap_err()
            .to_string(),
            "r.json is a GraphQL response with errors (Access denied); save a response without errors, or use `blindfold fetch`"
        );
        assert_eq!(
            parse("r.json", "{\"data\": {\"companyTestSessions\": []}}")
                .unwrap_err()
                .to_string(),
            "r.json is a GraphQL response without live interviews (its data holds `companyTestSessions`); save the answer to a liveInterviews query, or use `blindfold fetch`"
        );
    }

    #[test]
    fn bytes_that_are_not_utf8_are_named_by_offset() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("e.json");
        let mut bytes = format!("[{}", one_line()).into_bytes();
        let at = bytes.iter().position(|b| *b == b'G').unwrap();
        bytes[at] = 0xff;
        bytes.push(b']');
        std::fs::write(&path, &bytes).unwrap();
        assert_eq!(
            read(&path).unwrap_err().to_string(),
            format!("{} is not UTF-8 (at byte {at}); save it as UTF-8", path.display())
        );
    }

    #[test]
    fn a_byte_order_mark_is_skipped() {
        let text = format!("\u{feff}[{ONE}]");
        assert_eq!(parse("e.json", &text).unwrap().len(), 1);
    }
}
