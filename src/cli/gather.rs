//! Resolving which candidates and interviews a run is about, and gathering them from
//! CodeSignal or an export file; `blindfold fetch` saves what it gathered.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::IsTerminal;
use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use time::OffsetDateTime;

use super::{ApiArgs, CliError, FetchArgs, SelectionArgs};
use crate::files::write_private;
use crate::packet::{Failed, counted, left_out_text};
use crate::source::codesignal::{ApiInterview, ApiKey, Client, ClientConfig, to_domain};
use crate::source::{
    CandidateInterviews, Filter, Interview, InterviewStatus, LeftOut, PreScreen, Selection, export, group_by_candidate,
};

/// Requests in flight at once, at most: the throttle spreads them, this bounds them.
const FETCH_WORKERS: usize = 4;

/// One candidate's fetch: its place in the selection, and the interviews or the error.
type Fetched = (usize, Result<Vec<ApiInterview>, String>);

/// What a run works on.
pub struct Gathered {
    pub candidates: Vec<CandidateInterviews>,
    /// Every email of the batch, found or not: their names must leave every packet.
    pub batch: Vec<(String, Option<String>)>,
    pub problems: Vec<Failed>,
    /// Interviews without a candidate email, which no packet can hold.
    pub orphans: usize,
    /// What the filter left out of each selected candidate's interviews, by email (an entry
    /// for every candidate with interviews).
    pub left_out: BTreeMap<String, LeftOut>,
    /// What the filter left out of the selection, in all (interviews without an email too).
    pub rejected: LeftOut,
    /// The interviews as the API gave them (only when fetched, for `fetch --out`).
    pub raw: Vec<ApiInterview>,
}

/// Counts the interviews a filter leaves out, by candidate and in all, each id once; and
/// remembers every candidate the source named, selected or not.
struct LeftOutCounter<'f> {
    filter: &'f Filter,
    by_candidate: BTreeMap<String, LeftOut>,
    all: LeftOut,
    seen: HashSet<String>,
    /// Every candidate of the source, by email, with a name where one was given: each is
    /// someone whose name must leave every packet, whether or not they get one.
    met: BTreeMap<String, Option<String>>,
}

impl<'f> LeftOutCounter<'f> {
    fn new(filter: &'f Filter) -> LeftOutCounter<'f> {
        LeftOutCounter {
            filter,
            by_candidate: BTreeMap::new(),
            all: LeftOut::new(filter),
            seen: HashSet::new(),
            met: BTreeMap::new(),
        }
    }

    /// Remember the interview's candidate; called on every interview the source holds.
    fn meet(&mut self, interview: &Interview) {
        if let Some(email) = interview.candidate_key() {
            let name = self.met.entry(email).or_default();
            if name.is_none() {
                *name = interview.candidate_name.clone().filter(|n| !n.trim().is_empty());
            }
        }
    }

    /// Whether the filter accepts the interview; if not, it is counted.
    fn passes(&mut self, interview: &Interview) -> bool {
        if self.filter.accepts(interview) {
            return true;
        }
        if self.seen.insert(interview.id.clone()) {
            self.all.count_rejected(interview, self.filter);
            if let Some(email) = interview.candidate_key() {
                self.by_candidate
                    .entry(email)
                    .or_insert_with(|| LeftOut::new(self.filter))
                    .count_rejected(interview, self.filter);
            }
        }
        false
    }
}

/// The emails of a candidates file: one a line, `#` starts a comment; lowercased.
pub fn read_candidates_file(path: &Path) -> Result<Vec<String>, CliError> {
    let text = std::fs::read_to_string(path).map_err(|e| CliError::io(path, e))?;
    let mut emails = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        if !line.contains('@') || line.contains(char::is_whitespace) {
            return Err(CliError::Input(format!(
                "{}:{}: `{line}` is not an email",
                path.display(),
                i + 1
            )));
        }
        emails.push(line.to_lowercase());
    }
    Ok(emails)
}

/// `--status`: one status, or `any`.
pub fn status_filter(status: &str) -> Result<Option<InterviewStatus>, CliError> {
    match status {
        "any" => Ok(None),
        s @ ("pending" | "active" | "over" | "deleted" | "archived") => Ok(Some(InterviewStatus::parse(s))),
        other => Err(CliError::Usage(format!(
            "--status {other}: expected pending, active, over, deleted, archived or any"
        ))),
    }
}

pub fn resolve_selection(args: &SelectionArgs, from_export: bool) -> Result<(Selection, Filter), CliError> {
    let mut emails: Vec<String> = args.candidate.iter().map(|e| e.trim().to_lowercase()).collect();
    if let Some(path) = &args.candidates_file {
        emails.extend(read_candidates_file(path)?);
    }
    emails.sort();
    emails.dedup();
    let selection = match (emails.is_empty(), args.all) {
        (false, true) => {
            return Err(CliError::Usage(
                "--all cannot be combined with --candidate or --candidates".into(),
            ));
        }
        (false, false) => Selection::Candidates(emails),
        (true, true) => Selection::All,
        (true, false) if from_export => Selection::All,
        (true, false) => {
            return Err(CliError::Usage(
                "say whose packets to make: --candidate EMAIL, --candidates FILE, or --all".into(),
            ));
        }
    };
    let status = status_filter(&args.status)?;
    let day = |flag: &str, value: &Option<String>, end: bool| -> Result<Option<i64>, CliError> {
        let Some(value) = value else { return Ok(None) };
        let format = time::macros::format_description!("[year]-[month]-[day]");
        let date = time::Date::parse(value.trim(), &format)
            .map_err(|_| CliError::Usage(format!("{flag} {value}: expected a date as YYYY-MM-DD")))?;
        let start = date.midnight().assume_utc().unix_timestamp() * 1000;
        Ok(Some(if end { start + 86_400_000 - 1 } else { start }))
    };
    let filter = Filter {
        status,
        since: day("--since", &args.since, false)?,
        until: day("--until", &args.until, true)?,
    };
    if let (Some(s), Some(u)) = (filter.since, filter.until)
        && s > u
    {
        return Err(CliError::Usage("--since is after --until".into()));
    }
    Ok((selection, filter))
}

/// The API key from --api-key-file or CODESIGNAL_API_KEY; never printed.
fn api_key(args: &ApiArgs) -> Result<ApiKey, CliError> {
    let (text, origin) = match &args.api_key_file {
        Some(path) => (
            std::fs::read_to_string(path).map_err(|e| CliError::io(path, e))?,
            path.display().to_string(),
        ),
        None => (
            std::env::var("CODESIGNAL_API_KEY").map_err(|_| {
                CliError::Usage(
                    "no API key: set CODESIGNAL_API_KEY or give --api-key-file (or run offline with --export FILE)"
                        .into(),
                )
            })?,
            "CODESIGNAL_API_KEY".to_string(),
        ),
    };
    ApiKey::new(&text).ok_or_else(|| CliError::Usage(format!("{origin}: the API key is empty")))
}

pub fn client(args: &ApiArgs) -> Result<Client, CliError> {
    let mut config = ClientConfig::new(&args.endpoint, api_key(args)?);
    config.rate = args.rate;
    config.timeout = Duration::from_secs(args.timeout.max(1));
    Client::new(config).map_err(|e| CliError::Usage(e.to_string()))
}

/// A progress bar on stderr when it is a terminal; nothing otherwise.
pub fn progress(len: usize, what: &str) -> ProgressBar {
    let bar = ProgressBar::new(len as u64);
    if std::io::stderr().is_terminal() {
        bar.set_draw_target(ProgressDrawTarget::stderr());
        if let Ok(style) = ProgressStyle::with_template("{msg:>10} [{bar:30}] {pos}/{len} {elapsed}") {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_message(what.to_string());
    } else {
        bar.set_draw_target(ProgressDrawTarget::hidden());
    }
    bar
}

/// Gather the selected candidates' interviews from an export file.
pub fn from_export(path: &Path, selection: &Selection, filter: &Filter) -> Result<Gathered, CliError> {
    let wanted: Option<HashSet<&str>> = match selection {
        Selection::Candidates(emails) => Some(emails.iter().map(String::as_str).collect()),
        Selection::All => None,
    };
    let mut counter = LeftOutCounter::new(filter);
    let selected = export::read_filtered(path, |i| {
        counter.meet(i);
        let selected = wanted
            .as_ref()
            .is_none_or(|emails| i.candidate_key().is_some_and(|email| emails.contains(email.as_str())));
        selected && counter.passes(i)
    })?;
    Ok(gathered(selected, selection, counter, Vec::new(), Vec::new()))
}

/// Gather the selected candidates' interviews from the API.
pub fn from_api(client: &Client, selection: &Selection, filter: &Filter) -> Result<Gathered, CliError> {
    let mut counter = LeftOutCounter::new(filter);
    match selection {
        Selection::All => {
            let bar = progress(0, "fetching");
            bar.set_message("fetching all");
            let raw = client
                .interviews(None)
                .map_err(|e| CliError::Input(format!("fetching interviews: {e}")))?;
            bar.finish_and_clear();
            let (raw, interviews) = keep_accepted(raw, &mut counter)?;
            Ok(gathered(interviews, selection, counter, Vec::new(), raw))
        }
        Selection::Candidates(emails) => {
            let bar = progress(emails.len(), "fetching");
            let next = AtomicUsize::new(0);
            let results: Mutex<Vec<Fetched>> = Mutex::new(Vec::new());
            std::thread::scope(|scope| {
                for _ in 0..FETCH_WORKERS.min(emails.len()) {
                    scope.spawn(|| {
                        loop {
                            let i = next.fetch_add(1, Ordering::Relaxed);
                            let Some(email) = emails.get(i) else { break };
                            let result = client.interviews(Some(email)).map_err(|e| e.to_string());
                            bar.inc(1);
                            results.lock().unwrap_or_else(|p| p.into_inner()).push((i, result));
                        }
                    });
                }
            });
            bar.finish_and_clear();
            let mut results = results.into_inner().unwrap_or_else(|p| p.into_inner());
            results.sort_by_key(|(i, _)| *i);
            let mut problems = Vec::new();
            let mut all_raw = Vec::new();
            for (i, result) in results {
                match result {
                    Ok(raw) => all_raw.extend(raw),
                    Err(message) => problems.push(Failed {
                        email: emails[i].clone(),
                        message: format!("could not fetch: {message}"),
                    }),
                }
            }
            let (raw, interviews) = keep_accepted(all_raw, &mut counter)?;
            Ok(gathered(interviews, selection, counter, problems, raw))
        }
    }
}

/// The interviews the filter accepts, both as the API gave them and as domain values; an
/// interview that cannot be used (a date that is not one) fails the run, named.
fn keep_accepted(
    mut raw: Vec<ApiInterview>,
    counter: &mut LeftOutCounter,
) -> Result<(Vec<ApiInterview>, Vec<Interview>), CliError> {
    // Deduplicated first, so that the domain list (deduplicated too) lines up with it.
    let mut seen = HashSet::new();
    raw.retain(|i| seen.insert(i.id.clone()));
    let domain = to_domain(raw.clone()).map_err(|e| CliError::Input(e.to_string()))?;
    Ok(raw
        .into_iter()
        .zip(domain)
        .filter(|(_, d)| {
            counter.meet(d);
            counter.passes(d)
        })
        .unzip())
}

/// The batch as gathered: candidates found, emails asked for and missing, what went wrong.
fn gathered(
    interviews: Vec<Interview>,
    selection: &Selection,
    counter: LeftOutCounter,
    mut problems: Vec<Failed>,
    raw: Vec<ApiInterview>,
) -> Gathered {
    let filter = counter.filter;
    let mut left_out = counter.by_candidate;
    let (candidates, orphans) = group_by_candidate(interviews);
    for candidate in &candidates {
        left_out
            .entry(candidate.email.clone())
            .or_insert_with(|| LeftOut::new(filter));
    }
    let mut batch: Vec<(String, Option<String>)> =
        candidates.iter().map(|c| (c.email.clone(), c.name.clone())).collect();
    if let Selection::Candidates(emails) = selection {
        for email in emails {
            if problems.iter().any(|p| &p.email == email) {
                batch.push((email.clone(), None));
                continue;
            }
            if !candidates.iter().any(|c| &c.email == email) {
                let status = filter
                    .status
                    .as_ref()
                    .map_or("any status".to_string(), |s| format!("status {s}"));
                let why = match left_out.get(email).and_then(left_out_text) {
                    Some(text) => format!("left out: {text}"),
                    None => "check the email".to_string(),
                };
                problems.push(Failed {
                    email: email.clone(),
                    message: format!("no interviews ({status}{}); {why}", dates(filter)),
                });
                batch.push((email.clone(), None));
            }
        }
    }
    batch.extend(counter.met);
    // One entry per email, the one with a name where there is one.
    batch.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| b.1.is_some().cmp(&a.1.is_some())));
    batch.dedup_by(|a, b| a.0 == b.0);
    Gathered {
        candidates,
        batch,
        problems,
        orphans: orphans.len(),
        left_out,
        rejected: counter.all,
        raw,
    }
}

fn dates(filter: &Filter) -> String {
    let day = |ms: i64| crate::source::date_of(ms).unwrap_or_default();
    match (filter.since, filter.until) {
        (Some(s), Some(u)) => format!(", {} to {}", day(s), day(u)),
        (Some(s), None) => format!(", from {}", day(s)),
        (None, Some(u)) => format!(", until {}", day(u)),
        (None, None) => String::new(),
    }
}

/// The pre-screen results of these company tests, by the test taker's email (lowercased).
pub fn pre_screens(client: &Client, tests: &[String]) -> Result<HashMap<String, Vec<PreScreen>>, CliError> {
    let mut by_email: HashMap<String, Vec<PreScreen>> = HashMap::new();
    for test in tests.iter().map(|t| t.trim()).filter(|t| !t.is_empty()) {
        let sessions = client
            .test_sessions(test)
            .map_err(|e| CliError::Input(format!("fetching the sessions of test {test}: {e}")))?;
        for session in sessions {
            if let Some(email) = session.candidate_email.as_deref().map(|e| e.trim().to_lowercase()) {
                by_email.entry(email).or_default().push(session);
            }
        }
    }
    Ok(by_email)
}

/// `blindfold fetch`: save the selected interviews as an export file.
pub fn fetch(args: FetchArgs) -> Result<(), CliError> {
    let started = Instant::now();
    let (selection, filter) = resolve_selection(&args.selection, false)?;
    let client = client(&args.api)?;
    let gathered = from_api(&client, &selection, &filter)?;
    let fetched_at = OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default();
    let text = export::render(&gathered.raw, &args.api.endpoint, &fetched_at)
        .map_err(|e| CliError::Input(format!("cannot encode the export: {e}")))?;
    write_private(&args.out, text.as_bytes()).map_err(|e| CliError::io(&args.out, e))?;
    for problem in &gathered.problems {
        eprintln!("blindfold: {}: {}", problem.email, problem.message);
    }
    eprintln!(
        "blindfold: saved {} of {} to {} in {:.1} s",
        counted(gathered.raw.len(), "interview"),
        counted(gathered.candidates.len(), "candidate"),
        args.out.display(),
        started.elapsed().as_secs_f64()
    );
    if gathered.problems.is_empty() {
        Ok(())
    } else {
        Err(CliError::Reported(format!(
            "{} could not be fetched",
            counted(gathered.problems.len(), "candidate")
        )))
    }
}
