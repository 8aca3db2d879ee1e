//! CodeSignal's GraphQL API. Operations are compiled by graphql_client from
//! `queries/*.graphql` against our transcription `queries/schema.graphql`, and posted with
//! our own blocking reqwest client: throttled under the documented rate limit, with timeouts,
//! and retries with backoff and jitter on timeouts, 5xx, 429 and GraphQL rate or cost errors.
//! Responses are mapped into `source::Interview`. One generated type leaves this module,
//! unread: [`ApiInterview`], the API's own record, which `fetch` saves as is and
//! `source::export` reads back, so an export file is exactly what the API sent.

mod throttle;

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use graphql_client::GraphQLQuery;
use serde::Serialize;
use serde::de::DeserializeOwned;

pub use throttle::Throttle;

use super::{
    Attribute, Category, Feedback, Interview, InterviewStatus, Interviewer, PreScreen, PreScreenTask, dedupe_by_id,
};

/// An interview record that decoded but cannot be used as it stands; named by interview id
/// and field, as the API spells them.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RecordError {
    #[error("interview {id}: {field} is {found}, not a time (milliseconds since 1970, as a number)")]
    Timestamp {
        id: String,
        field: &'static str,
        /// What was there, described (short values quoted; never a long text).
        found: String,
    },
}

impl RecordError {
    /// The error without any value the API sent, for logs.
    pub fn summary(&self) -> String {
        match self {
            RecordError::Timestamp { id, field, .. } => format!("interview {id}: {field} is not a time"),
        }
    }
}

/// The documented endpoint.
pub const DEFAULT_ENDPOINT: &str = "https://app.codesignal.com/graphql";
/// Page size of `liveInterviews` (the API's cap is undocumented; 20 is what others use).
pub const PAGE_SIZE: i64 = 20;
/// The permission a key needs to read live interviews.
pub const PERMISSION: &str = "liveInterview.company.read";

/// Types generated from the schema and the operations; private to this module.
mod api {
    #![allow(clippy::all, dead_code)]
    use graphql_client::GraphQLQuery;

    /// Milliseconds since the epoch; kept as sent, a number or (tolerated) a numeric string.
    pub type Timestamp = serde_json::Value;

    #[derive(GraphQLQuery)]
    #[graphql(
        schema_path = "queries/schema.graphql",
        query_path = "queries/live_interviews.graphql",
        response_derives = "Debug, Clone, Serialize"
    )]
    pub struct LiveInterviews;

    #[derive(GraphQLQuery)]
    #[graphql(
        schema_path = "queries/schema.graphql",
        query_path = "queries/live_interview.graphql",
        response_derives = "Debug, Clone, Serialize"
    )]
    pub struct LiveInterview;

    #[derive(GraphQLQuery)]
    #[graphql(
        schema_path = "queries/schema.graphql",
        query_path = "queries/company_test_session.graphql",
        response_derives = "Debug, Clone"
    )]
    pub struct CompanyTestSession;

    #[derive(GraphQLQuery)]
    #[graphql(
        schema_path = "queries/schema.graphql",
        query_path = "queries/company_test_sessions.graphql",
        response_derives = "Debug, Clone"
    )]
    pub struct CompanyTestSessions;
}

/// An interview as the API returns it, the form exports keep.
pub type ApiInterview = api::live_interviews::LiveInterviewsLiveInterviews;

/// The API key: never printed, never in an error or a debug dump.
#[derive(Clone)]
pub struct ApiKey(String);

impl ApiKey {
    pub fn new(key: &str) -> Option<ApiKey> {
        let key = key.trim();
        (!key.is_empty()).then(|| ApiKey(key.to_string()))
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey(<redacted>)")
    }
}

/// How to reach the API and how patiently.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    pub endpoint: String,
    pub key: ApiKey,
    /// Requests per second, all threads together.
    pub rate: f64,
    /// For one request, connecting included.
    pub timeout: Duration,
    /// Attempts per request, the first included.
    pub attempts: u32,
    /// The first retry waits about this long; each next one twice as long.
    pub backoff: Duration,
}

impl ClientConfig {
    pub fn new(endpoint: &str, key: ApiKey) -> ClientConfig {
        ClientConfig {
            endpoint: endpoint.to_string(),
            key,
            rate: 5.0,
            timeout: Duration::from_secs(30),
            attempts: 5,
            backoff: Duration::from_millis(500),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error(
        "the API refused the key ({0}); it needs the permission {PERMISSION} (an admin grants it under Integrations > API Keys)"
    )]
    Auth(String),
    #[error("{0}")]
    Endpoint(String),
    #[error("gave up after {attempts} attempts; last: {last}")]
    Exhausted { attempts: u32, last: String },
    #[error("the API answered with errors: {0}")]
    GraphQl(String),
    #[error("the API answered HTTP {0}")]
    Status(u16),
    /// The process is stopping: no more retries.
    #[error("stopped before the API answered; last: {0}")]
    Cancelled(String),
    #[error(transparent)]
    Record(#[from] RecordError),
}

impl FetchError {
    /// The error without any text the server sent (which may echo a query's variables, such
    /// as a candidate's email), for logs that must not name anyone.
    pub fn summary(&self) -> String {
        match self {
            FetchError::Auth(_) => format!("the API refused the key; it needs the permission {PERMISSION}"),
            FetchError::Endpoint(message) => message.clone(),
            FetchError::Exhausted { attempts, last } => {
                // `last` starts with what kind of failure it was, then the details.
                let kind = last.split(':').next().unwrap_or("");
                format!("gave up after {attempts} attempts; last: {kind}")
            }
            FetchError::GraphQl(_) => "the API answered with errors".to_string(),
            FetchError::Status(status) => format!("the API answered HTTP {status}"),
            FetchError::Cancelled(_) => "stopped before the API answered".to_string(),
            FetchError::Record(e) => e.summary(),
        }
    }
}

/// Why one attempt failed, and whether another may do better.
enum Attempt {
    Retry(String, Option<Duration>),
    Fail(FetchError),
}

/// A blocking GraphQL client for the live-interview API, shareable between threads.
#[derive(Debug)]
pub struct Client {
    http: reqwest::blocking::Client,
    endpoint: reqwest::Url,
    key: ApiKey,
    throttle: Throttle,
    attempts: u32,
    backoff: Duration,
    /// Set when the process is stopping: waits end and no retry starts.
    cancel: Arc<AtomicBool>,
}

/// Makes ring the process's TLS crypto provider, once. reqwest is built without one (see
/// Cargo.toml: ring compiles in seconds, aws-lc in a minute), so every HTTP client of the
/// process, the tests' and examples' too, needs this before it is built.
pub fn install_crypto_provider() {
    // An error only means a provider is installed already.
    let _ = rustls::crypto::ring::default_provider().install_default();
}

impl Client {
    pub fn new(config: ClientConfig) -> Result<Client, FetchError> {
        let endpoint = reqwest::Url::parse(&config.endpoint)
            .map_err(|e| FetchError::Endpoint(format!("--endpoint {}: not a URL ({e})", config.endpoint)))?;
        let loopback = matches!(endpoint.host_str(), Some("localhost" | "127.0.0.1" | "[::1]"));
        match endpoint.scheme() {
            "https" => {}
            "http" if loopback => {}
            scheme => {
                return Err(FetchError::Endpoint(format!(
                    "--endpoint {}: {scheme} is refused; the key only travels over https (plain http only to loopback, for tests)",
                    config.endpoint
                )));
            }
        }
        if !(config.rate > 0.0 && config.rate.is_finite()) {
            return Err(FetchError::Endpoint(format!(
                "--rate {}: must be a positive number",
                config.rate
            )));
        }
        install_crypto_provider();
        let http = reqwest::blocking::Client::builder()
            .timeout(config.timeout)
            .connect_timeout(config.timeout.min(Duration::from_secs(10)))
            .user_agent(concat!("blindfold/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| FetchError::Endpoint(format!("cannot start the HTTP client: {e}")))?;
        Ok(Client {
            http,
            endpoint,
            key: config.key,
            throttle: Throttle::new(config.rate),
            attempts: config.attempts.max(1),
            backoff: config.backoff,
            cancel: Arc::new(AtomicBool::new(false)),
        })
    }

    /// A flag that, once set, ends the client's waits between attempts and its retries (a
    /// request already sent runs to its timeout). `listen` sets it when told to stop.
    pub fn canceller(&self) -> Arc<AtomicBool> {
        self.cancel.clone()
    }

    /// Sleep for `wait`, or less if cancelled; whether the client may go on.
    fn pause(&self, wait: Duration) -> bool {
        let until = std::time::Instant::now() + wait;
        loop {
            if self.cancel.load(Ordering::SeqCst) {
                return false;
            }
            let left = until.saturating_duration_since(std::time::Instant::now());
            if left.is_zero() {
                return true;
            }
            std::thread::sleep(left.min(Duration::from_millis(20)));
        }
    }

    /// Every interview of one candidate (`Some(email)`) or of the company (`None`), all
    /// pages, deduplicated by id, as the API returned them.
    pub fn interviews(&self, candidate_email: Option<&str>) -> Result<Vec<ApiInterview>, FetchError> {
        let mut all = Vec::new();
        let mut offset = 0;
        loop {
            let variables = api::live_interviews::Variables {
                candidate_email: candidate_email.map(str::to_string),
                first: PAGE_SIZE,
                offset,
            };
            let page = self.post::<api::LiveInterviews>(variables)?.live_interviews;
            let full = page.len() as i64 >= PAGE_SIZE;
            all.extend(page.into_iter().flatten());
            if !full {
                break;
            }
            offset += PAGE_SIZE;
        }
        let mut seen = std::collections::HashSet::new();
        all.retain(|i| seen.insert(i.id.clone()));
        Ok(all)
    }

    /// One interview by id, `None` if the API knows no such interview.
    pub fn interview(&self, id: &str) -> Result<Option<Interview>, FetchError> {
        let data = self.post::<api::LiveInterview>(api::live_interview::Variables { id: id.to_string() })?;
        Ok(data.live_interview.map(from_api_one).transpose()?)
    }

    /// One test session (a pre-screen result) by id, `None` if the API knows no such session.
    pub fn test_session(&self, id: &str) -> Result<Option<PreScreen>, FetchError> {
        let data = self.post::<api::CompanyTestSession>(api::company_test_session::Variables { id: id.to_string() })?;
        Ok(data.company_test_session.map(session_one))
    }

    /// Every session of a company test, all pages, deduplicated by id.
    pub fn test_sessions(&self, test_id: &str) -> Result<Vec<PreScreen>, FetchError> {
        let mut all: Vec<PreScreen> = Vec::new();
        let mut offset = 0;
        loop {
            let variables = api::company_test_sessions::Variables {
                company_test_id: test_id.to_string(),
                first: PAGE_SIZE,
                offset,
            };
            let page = self
                .post::<api::CompanyTestSessions>(variables)?
                .company_test_sessions
                .unwrap_or_default();
            let full = page.len() as i64 >= PAGE_SIZE;
            all.extend(page.into_iter().flatten().map(session_list));
            if !full {
                break;
            }
            offset += PAGE_SIZE;
        }
        let mut seen = std::collections::HashSet::new();
        all.retain(|s| seen.insert(s.session_id.clone()));
        Ok(all)
    }

    /// Post one operation; retry what may pass on a second try, fail at once on the rest.
    fn post<Q: GraphQLQuery>(&self, variables: Q::Variables) -> Result<Q::ResponseData, FetchError>
    where
        Q::Variables: Serialize,
        Q::ResponseData: DeserializeOwned,
    {
        let body = Q::build_query(variables);
        let mut last = String::new();
        for attempt in 0..self.attempts {
            if attempt > 0 && !self.pause(self.delay(attempt)) {
                return Err(FetchError::Cancelled(last));
            }
            match self.attempt::<Q>(&body) {
                Ok(data) => return Ok(data),
                Err(Attempt::Fail(error)) => return Err(error),
                Err(Attempt::Retry(why, retry_after)) => {
                    last = why;
                    if let Some(wait) = retry_after
                        && !self.pause(wait.min(Duration::from_secs(60)))
                    {
                        return Err(FetchError::Cancelled(last));
                    }
                }
            }
        }
        Err(FetchError::Exhausted {
            attempts: self.attempts,
            last,
        })
    }

    /// Exponential backoff with jitter: about `backoff * 2^(attempt-1)`, between half and all of it.
    fn delay(&self, attempt: u32) -> Duration {
        let full = self
            .backoff
            .saturating_mul(1 << (attempt - 1).min(10))
            .min(Duration::from_secs(30));
        full.mul_f64(0.5 + fastrand::f64() * 0.5)
    }

    fn attempt<Q: GraphQLQuery>(
        &self,
        body: &graphql_client::QueryBody<Q::Variables>,
    ) -> Result<Q::ResponseData, Attempt>
    where
        Q::Variables: Serialize,
        Q::ResponseData: DeserializeOwned,
    {
        self.throttle.wait();
        let response = self
            .http
            .post(self.endpoint.clone())
            .bearer_auth(&self.key.0)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(serde_json::to_vec(body).map_err(|e| Attempt::Fail(FetchError::GraphQl(e.to_string())))?)
            .send()
            .map_err(|e| {
                let kind = if e.is_timeout() {
                    "timed out"
                } else {
                    "could not connect or send"
                };
                Attempt::Retry(format!("{kind}: {}", without_url(&e)), None)
            })?;
        let status = response.status();
        if status == reqwest::StatusCode::UNAUTHORIZED || status == reqwest::StatusCode::FORBIDDEN {
            return Err(Attempt::Fail(FetchError::Auth(format!("HTTP {}", status.as_u16()))));
        }
        if status == reqwest::StatusCode::TOO_MANY_REQUESTS {
            let retry_after = response
                .headers()
                .get(reqwest::header::RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<u64>().ok())
                .map(Duration::from_secs);
            return Err(Attempt::Retry("HTTP 429 (rate limited)".into(), retry_after));
        }
        if status.is_server_error() {
            return Err(Attempt::Retry(format!("HTTP {}", status.as_u16()), None));
        }
        if !status.is_success() {
            return Err(Attempt::Fail(FetchError::Status(status.as_u16())));
        }
        let bytes = response
            .bytes()
            .map_err(|e| Attempt::Retry(format!("reading the answer: {}", without_url(&e)), None))?;
        let answer: graphql_client::Response<Q::ResponseData> = serde_json::from_slice(&bytes)
            .map_err(|e| Attempt::Retry(format!("the answer is not the expected JSON: {e}"), None))?;
        if let Some(errors) = answer.errors.filter(|e| !e.is_empty()) {
            let messages: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
            let joined = messages.join("; ");
            let lower = joined.to_lowercase();
            if lower.contains("access denied") || lower.contains("unauthorized") || lower.contains("forbidden") {
                return Err(Attempt::Fail(FetchError::Auth(joined)));
            }
            if ["rate limit", "too many requests", "throttl", "cost"]
                .iter()
                .any(|w| lower.contains(w))
            {
                return Err(Attempt::Retry(format!("GraphQL: {joined}"), None));
            }
            // Partial data is not enough for a packet: a missing feedback would go unnoticed.
            return Err(Attempt::Fail(FetchError::GraphQl(joined)));
        }
        answer
            .data
            .ok_or_else(|| Attempt::Retry("the answer has neither data nor errors".into(), None))
    }
}

/// reqwest's message without the URL it may repeat (it holds no key, but keeps lines short).
fn without_url(e: &reqwest::Error) -> String {
    let mut e = e.to_string();
    if let Some(i) = e.find(" for url (") {
        e.truncate(i);
    }
    e
}

/// A timestamp as milliseconds: a number, or a string of digits; anything else is
/// described in the error (a date written as text must not pass for a missing one).
fn millis(value: &Option<serde_json::Value>) -> Result<Option<i64>, String> {
    use serde_json::Value;
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => Ok(n.as_i64().or_else(|| n.as_f64().map(|f| f as i64))),
        Some(Value::String(s)) => match s.trim().parse() {
            Ok(ms) => Ok(Some(ms)),
            // Short values are dates or numbers gone wrong; a long one is quoted by length only.
            Err(_) if s.chars().count() <= 32 => Err(format!("the text {s:?}")),
            Err(_) => Err(format!("a text of {} characters", s.chars().count())),
        },
        Some(Value::Bool(b)) => Err(b.to_string()),
        Some(Value::Array(_)) => Err("a list".into()),
        Some(Value::Object(_)) => Err("an object".into()),
    }
}

/// Map a generated interview type into the domain's. The two operations select the same
/// fields but graphql_client gives each its own types; one macro keeps the mapping single.
/// Feedback without an author is left out (its position kept, to be reported); feedback
/// without notes has empty notes.
macro_rules! from_api {
    ($name:ident, $module:ident, $interview:ident, $status:ident) => {
        fn $name(i: api::$module::$interview) -> Result<Interview, RecordError> {
            use api::$module::$status as S;
            let status = match i.status {
                S::pending => InterviewStatus::Pending,
                S::active => InterviewStatus::Active,
                S::over => InterviewStatus::Over,
                S::deleted => InterviewStatus::Deleted,
                S::archived => InterviewStatus::Archived,
                S::Other(other) => InterviewStatus::Other(other),
            };
            let timestamp = |field: &'static str, value: &Option<serde_json::Value>| {
                millis(value).map_err(|found| RecordError::Timestamp {
                    id: i.id.clone(),
                    field,
                    found,
                })
            };
            let start = timestamp("startDate", &i.start_date)?;
            let finish = timestamp("finishDate", &i.finish_date)?;
            let mut feedback_without_author = Vec::new();
            let feedback = i
                .interviewers_feedback
                .into_iter()
                .flatten()
                .enumerate()
                .filter_map(|(at, f)| {
                    let f = f?;
                    let Some(author) = f.author else {
                        feedback_without_author.push(at);
                        return None;
                    };
                    let profile = author.profile;
                    Some(Feedback {
                        interviewer: Interviewer {
                            id: author.id,
                            username: author.username,
                            name: profile.as_ref().and_then(|p| p.name.clone()),
                            email: profile.and_then(|p| p.email),
                        },
                        notes: f.notes.unwrap_or_default(),
                        categories: f
                            .categories
                            .into_iter()
                            .flatten()
                            .flatten()
                            .map(|c| Category {
                                name: c.name,
                                attributes: c
                                    .attributes
                                    .into_iter()
                                    .flatten()
                                    .flatten()
                                    .map(|a| Attribute {
                                        name: a.name,
                                        score: a.score,
                                        notes: a.notes,
                                    })
                                    .collect(),
                            })
                            .collect(),
                        recommended_level: f.recommended_level,
                        evaluation: f.evaluation,
                    })
                })
                .collect();
            Ok(Interview {
                id: i.id,
                candidate_email: i.candidate_email,
                candidate_name: i.candidate_name,
                status,
                start,
                finish,
                feedback,
                feedback_without_author,
            })
        }
    };
}

from_api!(
    from_api_list,
    live_interviews,
    LiveInterviewsLiveInterviews,
    LiveInterviewStatus
);
from_api!(
    from_api_one,
    live_interview,
    LiveInterviewLiveInterview,
    LiveInterviewStatus
);

/// Map a generated test-session type into the domain's pre-screen result.
macro_rules! session_from_api {
    ($name:ident, $module:ident, $session:ident) => {
        fn $name(s: api::$module::$session) -> PreScreen {
            let result = s.result;
            PreScreen {
                session_id: s.id,
                candidate_email: s.test_taker.and_then(|t| t.email),
                test_title: s.test.and_then(|t| t.title),
                status: s.status,
                score: result.as_ref().and_then(|r| r.score),
                max_score: s.max_score,
                solved_tasks: result.as_ref().and_then(|r| r.solved_task_count),
                tasks: result
                    .and_then(|r| r.task_results)
                    .into_iter()
                    .flatten()
                    .flatten()
                    .map(|t| PreScreenTask {
                        title: t
                            .session_task
                            .as_ref()
                            .and_then(|st| st.task.as_ref())
                            .and_then(|task| task.title.clone()),
                        score: t.score,
                        max_score: t.session_task.and_then(|st| st.max_score),
                    })
                    .collect(),
                // A pre-screen's date only dates it in the packet: one that is not a time is
                // shown as unknown rather than failing the candidate's packet.
                finish: millis(&s.finish_date).ok().flatten(),
                verification: None,
            }
        }
    };
}

session_from_api!(session_one, company_test_session, CompanyTestSessionCompanyTestSession);
session_from_api!(
    session_list,
    company_test_sessions,
    CompanyTestSessionsCompanyTestSessions
);

/// The domain interview of an API (or export) interview.
pub fn to_domain_one(interview: ApiInterview) -> Result<Interview, RecordError> {
    from_api_list(interview)
}

/// The candidate's name as the first interview that gives one has it: only the name is
/// wanted, so an interview that could not make a packet (a bad date) still names them.
pub fn candidate_name(interviews: Vec<ApiInterview>) -> Option<String> {
    interviews.into_iter().find_map(|i| i.candidate_name)
}

/// Domain interviews of API (or export) interviews, deduplicated by id.
pub fn to_domain(interviews: Vec<ApiInterview>) -> Result<Vec<Interview>, RecordError> {
    let mut out = interviews
        .into_iter()
        .map(from_api_list)
        .collect::<Result<Vec<Interview>, RecordError>>()?;
    dedupe_by_id(&mut out);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_never_shows() {
        let key = ApiKey::new(" secret-123 ").unwrap();
        let config = ClientConfig::new(DEFAULT_ENDPOINT, key);
        assert!(!format!("{config:?}").contains("secret-123"));
        let client = Client::new(config).unwrap();
        assert!(!format!("{client:?}").contains("secret-123"));
    }

    #[test]
    fn plain_http_only_to_loopback() {
        let key = ApiKey::new("k").unwrap();
        let refused = Client::new(ClientConfig::new("http://example.com/graphql", key.clone())).unwrap_err();
        assert!(refused.to_string().contains("http is refused"));
        assert!(Client::new(ClientConfig::new("http://127.0.0.1:9/graphql", key)).is_ok());
    }

    #[test]
    fn timestamps_as_numbers_or_digit_strings() {
        assert_eq!(
            millis(&Some(serde_json::json!(1700000000000u64))),
            Ok(Some(1_700_000_000_000))
        );
        assert_eq!(
            millis(&Some(serde_json::json!("1700000000000"))),
            Ok(Some(1_700_000_000_000))
        );
        assert_eq!(millis(&Some(serde_json::json!(null))), Ok(None));
        assert_eq!(millis(&None), Ok(None));
    }

    #[test]
    fn a_date_as_text_is_an_error_naming_the_interview_and_field() {
        let interview: ApiInterview = serde_json::from_value(serde_json::json!({
            "id": "li-7", "candidateEmail": null, "candidateName": null, "status": "over",
            "startDate": "2026-11-02", "finishDate": 1700000000000u64, "interviewersFeedback": null
        }))
        .unwrap();
        let err = to_domain_one(interview).unwrap_err();
        assert_eq!(
            err.to_string(),
            "interview li-7: startDate is the text \"2026-11-02\", not a time (milliseconds since 1970, as a number)"
        );
        assert_eq!(err.summary(), "interview li-7: startDate is not a time");
    }

    #[test]
    fn feedback_without_author_is_left_out_and_null_notes_are_empty() {
        let interview: ApiInterview = serde_json::from_value(serde_json::json!({
            "id": "li-8", "candidateEmail": "a@example.com", "candidateName": null, "status": "over",
            "startDate": null, "finishDate": null,
            "interviewersFeedback": [
                {"author": null, "notes": "Kept from no one.", "categories": null, "recommendedLevel": null, "evaluation": null},
                {"author": {"id": "u2", "username": "iv2", "profile": null}, "notes": null,
                 "categories": null, "recommendedLevel": null, "evaluation": "hire"}
            ]
        }))
        .unwrap();
        let interview = to_domain_one(interview).unwrap();
        assert_eq!(interview.feedback_without_author, [0]);
        assert_eq!(interview.feedback.len(), 1);
        assert_eq!(interview.feedback[0].notes, "");
        assert_eq!(interview.feedback[0].interviewer.display_name(), "iv2");
    }
}
