//! CodeSignal webhook events: which ones blindfold acts on, the legacy Certify names and
//! their Pre-Screen equivalents, and the envelope `{"event", "triggeredOn", "payload"}`.
//! The body is not signed: only the event name and `triggeredOn` (which the signature
//! covers) and the object's id (which is fetched again, never trusted) are read from it.

use serde_json::Value;

/// What an event is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `liveInterviewFinished`, `liveInterviewFeedbackUpdated`: the payload names an interview.
    Interview,
    /// A test session event: the payload names a session; how it changed, for verification.
    TestSession(Verification),
}

/// What a test-session event says about verification, if anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verification {
    Unchanged,
    Pending,
    Verified,
    NotVerified,
}

impl Verification {
    pub fn as_str(self) -> Option<&'static str> {
        match self {
            Verification::Unchanged => None,
            Verification::Pending => Some("pending"),
            Verification::Verified => Some("verified"),
            Verification::NotVerified => Some("not verified"),
        }
    }
}

/// Certify events, retired in favour of Pre-Screen ones (CodeSignal's conversion table).
const LEGACY: [(&str, &str); 5] = [
    ("certificationRequestExpired", "preScreenExpired"),
    ("certificationRequestRejected", "preScreenCandidateDeclined"),
    ("certificationResultNotCertified", "preScreenResultNotVerified"),
    ("certificationResultPending", "preScreenResultVerificationPending"),
    ("certificationResultShared", "preScreenResultShared"),
];

/// The current name of a (possibly legacy) event, and whether it was legacy.
pub fn current_name(event: &str) -> (&str, bool) {
    match LEGACY.iter().find(|(old, _)| *old == event) {
        Some((_, new)) => (new, true),
        None => (event, false),
    }
}

/// The kind of an event by its current name; `None` for events blindfold does not act on.
pub fn classify(event: &str) -> Option<Kind> {
    let verification = match event {
        "liveInterviewFinished" | "liveInterviewFeedbackUpdated" => return Some(Kind::Interview),
        "preScreenResultVerificationPending" => Verification::Pending,
        "preScreenResultVerified" => Verification::Verified,
        "preScreenResultNotVerified" => Verification::NotVerified,
        "companyTestSessionCreated"
        | "companyTestSessionStarted"
        | "companyTestSessionFinished"
        | "preScreenResultShared"
        | "preScreenCandidateDeclined"
        | "preScreenExpired"
        | "preScreenIntegrityReviewUpdated" => Verification::Unchanged,
        _ => return None,
    };
    Some(Kind::TestSession(verification))
}

/// The parts of a webhook body blindfold reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Envelope {
    /// As sent (a legacy name stays legacy here: the signature covers it as sent).
    pub event: String,
    /// Milliseconds since the epoch, and the decimal text the signature covers.
    pub triggered_on: i64,
    pub triggered_on_text: String,
    /// `payload.interviewId` or `payload.testSessionId`, if present.
    pub object_id: Option<String>,
}

/// CodeSignal's ids are short tokens; anything else (spaces, newlines) is not an id, and is
/// neither fetched nor logged.
pub fn is_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 128 && id.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.:".contains(&b))
}

/// Read the envelope of a webhook body; the message says what is wrong, never the body.
pub fn parse(body: &[u8]) -> Result<Envelope, String> {
    let value: Value = serde_json::from_slice(body).map_err(|e| format!("not JSON ({e})"))?;
    let event = value
        .get("event")
        .and_then(Value::as_str)
        .ok_or("no `event` string")?
        .to_string();
    // The signature covers `triggeredOn` as sent: a number's digits, or a string's exact
    // text, which must then be digits too ("+1", " 1" or "1.0" are not the number signed).
    let triggered_on_text = match value.get("triggeredOn") {
        Some(Value::Number(n)) if n.is_i64() => n.to_string(),
        Some(Value::String(s)) if !s.is_empty() && s.len() <= 18 && s.bytes().all(|b| b.is_ascii_digit()) => s.clone(),
        _ => return Err("no integer `triggeredOn`".into()),
    };
    let triggered_on: i64 = triggered_on_text
        .parse()
        .map_err(|_| "no integer `triggeredOn`".to_string())?;
    let id = |key: &str| {
        value
            .get("payload")
            .and_then(|p| p.get(key))
            .and_then(|v| match v {
                Value::String(s) => Some(s.trim().to_string()),
                Value::Number(n) => Some(n.to_string()),
                _ => None,
            })
            .filter(|id| is_id(id))
    };
    Ok(Envelope {
        triggered_on_text,
        triggered_on,
        object_id: id("interviewId").or_else(|| id("testSessionId")),
        event,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legacy_names_map_to_pre_screen_ones() {
        assert_eq!(
            current_name("certificationResultPending"),
            ("preScreenResultVerificationPending", true)
        );
        assert_eq!(current_name("preScreenExpired"), ("preScreenExpired", false));
        for (_, new) in LEGACY {
            assert!(classify(new).is_some(), "{new} is handled");
        }
        assert_eq!(
            classify("preScreenResultVerified"),
            Some(Kind::TestSession(Verification::Verified))
        );
        assert_eq!(classify("liveInterviewFinished"), Some(Kind::Interview));
        assert_eq!(classify("companyCreated"), None);
    }

    #[test]
    fn reads_the_envelope_only() {
        let body = br#"{"event":"liveInterviewFinished","triggeredOn":1700000000000,"payload":{"interviewId":"li_1","candidateName":"X"}}"#;
        let envelope = parse(body).unwrap();
        assert_eq!(envelope.event, "liveInterviewFinished");
        assert_eq!(envelope.triggered_on_text, "1700000000000");
        assert_eq!(envelope.object_id.as_deref(), Some("li_1"));
        assert!(parse(b"{\"event\": 1}").unwrap_err().contains("event"));
        assert!(parse(b"nope").unwrap_err().starts_with("not JSON"));
        let planted =
            br#"{"event":"liveInterviewFinished","triggeredOn":1,"payload":{"interviewId":"Ana Lima\nfake"}}"#;
        assert_eq!(
            parse(planted).unwrap().object_id,
            None,
            "not an id: neither fetched nor logged"
        );
    }

    #[test]
    fn triggered_on_is_signed_as_sent() {
        let at = |t: &str| parse(format!(r#"{{"event":"e","triggeredOn":{t}}}"#).as_bytes());
        assert_eq!(at("1700000000000").unwrap().triggered_on_text, "1700000000000");
        assert_eq!(at(r#""1700000000000""#).unwrap().triggered_on, 1_700_000_000_000);
        // Leading zeros are part of the text the sender signed.
        assert_eq!(
            at(r#""0001700000000000""#).unwrap().triggered_on_text,
            "0001700000000000"
        );
        for not_digits in [
            r#""+1700000000000""#,
            r#"" 1700000000000""#,
            r#""1700000000000T""#,
            "1.7e12",
            "17000000000.5",
            r#""""#,
        ] {
            assert!(at(not_digits).is_err(), "{not_digits}");
        }
    }
}
