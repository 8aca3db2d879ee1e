//! Command-line arguments, as parsed by clap. Resolved into a configuration in `cli::run`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Anonymize CodeSignal interview feedback for a hiring committee.
///
/// blindfold rewrites interview notes so a committee can judge the work without knowing
/// who the candidate is: pronouns become singular they (with correct grammar), the
/// candidates' names and contact details are removed, gendered words become neutral, and
/// anything a rule cannot rewrite safely (an age, a nationality...) is flagged for review.
#[derive(Debug, Parser)]
#[command(name = "blindfold", version, propagate_version = true, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Write one anonymized packet per candidate, for the hiring committee.
    ///
    /// Fetches every live interview's feedback of the selected candidates from CodeSignal
    /// (or reads an export file), rewrites all free text, audits each packet for any name or
    /// email of the batch, and writes <label>.json and <label>.md per candidate plus
    /// index.md into --out. The map from label back to candidate goes to --private, which
    /// must not be shared with the committee.
    ///
    /// Examples:
    ///   blindfold packets --export fixtures/demo-export.json --out packets/
    ///   CODESIGNAL_API_KEY=... blindfold packets --candidates review.txt --out packets/
    ///   blindfold packets --all --since 2026-11-01 --until 2026-11-20 --out packets/
    #[command(verbatim_doc_comment)]
    Packets(PacketsArgs),
    /// Fetch live interviews from CodeSignal and save them as an export file (mode 0600),
    /// to run `packets --export` offline later.
    Fetch(FetchArgs),
    /// Re-check a folder of packets for any name or email of the candidates in the private map.
    Audit(AuditArgs),
    /// List the flags still to decide, by packet (from the private folder's review file).
    ///
    /// Each flag has an id; settle it in <private>/decisions.toml, then run `packets` again:
    ///   [7K3QXM2A]
    ///   3f9a0c12d4 = "keep"                   # the committee reads the words
    ///   81be77a0c5 = "redact"                 # they read "[redacted]"
    ///   c0ffee1234 = { replace = "a relative" }
    #[command(verbatim_doc_comment)]
    Review(ReviewArgs),
    /// Keep packets current from CodeSignal webhooks (finished interviews, new feedback,
    /// pre-screen results).
    ///
    /// Each event is checked against X-CodeSignal-Signature, stored durably (in the private
    /// folder) before it is answered 200, then processed: what it names is fetched again by
    /// id, and the packet of a candidate under review is rebuilt with the same label as
    /// `packets` gives. Stop with SIGTERM or Ctrl-C; --drain processes what is stored and exits.
    ///
    /// Example:
    ///   blindfold listen --endpoint-url https://hooks.example.com/codesignal \
    ///     --secret-file webhook-secret --candidates review.txt --out packets/
    #[command(
        verbatim_doc_comment,
        // clap leaves out of the usage what --drain makes optional: both forms, in full.
        override_usage = "blindfold listen --endpoint-url <URL> --secret-file <FILE> --candidates <FILE> --out <DIR> [OPTIONS]\n       \
                          blindfold listen --drain --candidates <FILE> --out <DIR> [OPTIONS]"
    )]
    Listen(ListenArgs),
    /// Rewrite texts given as JSON Lines (or plain lines) on stdin or in a file.
    ///
    /// Each input line is one JSON object:
    ///   {"id": "n1", "text": "...", "subjects": [{"role": "candidate", "name": "Priya Raman", "email": "priya@example.com"}]}
    /// and gives exactly one output line, in order:
    ///   {"id": "n1", "text": "...", "edits": [...], "flags": [...]}
    ///
    /// Subjects are the people whose names must not survive: role "candidate" becomes
    /// "the candidate", role "other_candidate" becomes "another candidate" (or the subject's
    /// "label" when given).
    #[command(verbatim_doc_comment)]
    Rewrite(RewriteArgs),
    /// Check or test a rule set.
    Rules {
        #[command(subcommand)]
        command: RulesCommand,
    },
}

/// Where interviews come from.
#[derive(Debug, Args)]
pub struct ApiArgs {
    /// CodeSignal's GraphQL endpoint (https; plain http only to loopback, for tests).
    #[arg(long, value_name = "URL", default_value = crate::source::codesignal::DEFAULT_ENDPOINT)]
    pub endpoint: String,

    /// Read the API key from this file instead of the CODESIGNAL_API_KEY environment variable.
    /// The key needs the permission liveInterview.company.read.
    #[arg(long, value_name = "FILE")]
    pub api_key_file: Option<PathBuf>,

    /// Requests per second, at most (CodeSignal allows 10).
    #[arg(long, value_name = "N", default_value_t = 5.0)]
    pub rate: f64,

    /// Seconds before one request times out (it is then retried).
    #[arg(long, value_name = "SECONDS", default_value_t = 30)]
    pub timeout: u64,
}

/// Which candidates and interviews.
#[derive(Debug, Args)]
pub struct SelectionArgs {
    /// A candidate by email (repeat for more).
    #[arg(long = "candidate", value_name = "EMAIL")]
    pub candidate: Vec<String>,

    /// A file of candidate emails, one a line; `#` starts a comment.
    #[arg(long = "candidates", value_name = "FILE")]
    pub candidates_file: Option<PathBuf>,

    /// Every candidate with an interview in the date range.
    #[arg(long)]
    pub all: bool,

    /// Only interviews that started on or after this day (UTC).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub since: Option<String>,

    /// Only interviews that started on or before this day (UTC).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub until: Option<String>,

    /// Only interviews in this status: pending, active, over, deleted, archived, or any.
    #[arg(long, value_name = "STATUS", default_value = "over")]
    pub status: String,
}

#[derive(Debug, Args)]
pub struct PacketsArgs {
    /// Read interviews from this export file instead of the API: what `blindfold fetch` saved,
    /// a JSON array of live interviews, or a saved GraphQL response to liveInterviews. Without
    /// --candidate or --candidates, every candidate in the file gets a packet.
    #[arg(long, value_name = "FILE")]
    pub export: Option<PathBuf>,

    #[command(flatten)]
    pub api: ApiArgs,

    #[command(flatten)]
    pub selection: SelectionArgs,

    /// Folder for the committee's packets (created, mode 0700).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,

    /// Folder for the label key and the map from labels to candidates; keep it from the
    /// committee [default: the --out folder's name with .private, beside it].
    #[arg(long, value_name = "DIR")]
    pub private: Option<PathBuf>,

    /// How interviewers appear: keep (their names), label (Interviewer 1, 2...) or drop.
    #[arg(long, value_name = "MODE", default_value = "keep")]
    pub interviewers: String,

    /// Write no packet with open flags (an age, a nationality... nobody has decided on in
    /// the private folder's decisions.toml; see its review.md).
    #[arg(long)]
    pub strict: bool,

    /// Add the candidates' pre-screen results of these company tests (from the API; the
    /// key then also needs read access to test sessions).
    #[arg(long, value_name = "TEST_ID[,TEST_ID]", value_delimiter = ',')]
    pub tests: Vec<String>,

    /// Rule directory to use instead of the built-in rules.
    #[arg(long, value_name = "DIR")]
    pub rules: Option<PathBuf>,

    /// Worker threads for rewriting (default: one per core).
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
}

#[derive(Debug, Args)]
pub struct FetchArgs {
    #[command(flatten)]
    pub api: ApiArgs,

    #[command(flatten)]
    pub selection: SelectionArgs,

    /// The export file to write (mode 0600).
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
}

#[derive(Debug, Args)]
pub struct ListenArgs {
    /// Address to listen on.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
    pub bind: String,

    /// The webhook URL exactly as configured in CodeSignal (it is part of the signature).
    #[arg(long, value_name = "URL", required_unless_present = "drain")]
    pub endpoint_url: Option<String>,

    /// File holding the webhook's secret.
    #[arg(long, value_name = "FILE", required_unless_present = "drain")]
    pub secret_file: Option<PathBuf>,

    /// The candidates under review: one email a line, `#` starts a comment.
    #[arg(long = "candidates", value_name = "FILE")]
    pub candidates_file: PathBuf,

    /// Folder of the packets to keep current.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,

    /// The private folder of the run that wrote them [default: the --out folder's name with
    /// .private, beside it]. The event store lives there too.
    #[arg(long, value_name = "DIR")]
    pub private: Option<PathBuf>,

    #[command(flatten)]
    pub api: ApiArgs,

    /// Only interviews in this status: pending, active, over, deleted, archived, or any.
    #[arg(long, value_name = "STATUS", default_value = "over")]
    pub status: String,

    /// How interviewers appear: keep, label or drop.
    #[arg(long, value_name = "MODE", default_value = "keep")]
    pub interviewers: String,

    /// Rule directory to use instead of the built-in rules.
    #[arg(long, value_name = "DIR")]
    pub rules: Option<PathBuf>,

    /// Process the events already stored, once each, and exit (no server).
    #[arg(long)]
    pub drain: bool,

    /// Put the events given up on (after days of retries, or stopped by the audit) back in
    /// the queue first, as new.
    #[arg(long)]
    pub retry_failed: bool,

    /// Write no packet with open flags, as `packets --strict`.
    #[arg(long)]
    pub strict: bool,

    /// Milliseconds a sender has to deliver a whole request (tests shorten it).
    #[arg(long, value_name = "MS", default_value_t = 10_000, hide = true)]
    pub request_timeout_ms: u64,

    /// Milliseconds open connections get to finish after a stop signal (tests shorten it).
    #[arg(long, value_name = "MS", default_value_t = 10_000, hide = true)]
    pub shutdown_grace_ms: u64,
}

#[derive(Debug, Args)]
pub struct AuditArgs {
    /// The folder of packets to check.
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,

    /// The private folder of the run that wrote them [default: DIR's name with .private].
    #[arg(long, value_name = "DIR")]
    pub private: Option<PathBuf>,

    /// Rule directory to use instead of the built-in rules.
    #[arg(long, value_name = "DIR")]
    pub rules: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ReviewArgs {
    /// The folder of packets.
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,

    /// The private folder of the run that wrote them [default: DIR's name with .private].
    #[arg(long, value_name = "DIR")]
    pub private: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    /// Rule directory to use instead of the built-in rules (a copy of the project's rules/).
    #[arg(long, value_name = "DIR")]
    pub rules: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// Validate the rule files: syntax, unknown keys, ids, conflicts. Exit 1 on any problem.
    Check(RulesArgs),
    /// Run every rule's examples and report the failures by rule id. Exit 1 on any failure.
    Test(RulesArgs),
}

#[derive(Debug, Args)]
pub struct RewriteArgs {
    /// Read from this file instead of standard input.
    #[arg(value_name = "FILE")]
    pub input: Option<PathBuf>,

    /// Plain text in and out: one document per line, no subjects, no JSON.
    #[arg(long)]
    pub lines: bool,

    /// Apply only these rule families (comma-separated): pronouns, names, terms, contact, flags.
    #[arg(long, value_name = "FAMILY[,FAMILY]")]
    pub only: Option<String>,

    /// On a malformed input line, write {"line": N, "error": "..."} for it and go on
    /// (the exit code is still 1). Without it, the first bad line stops the run.
    #[arg(long)]
    pub keep_going: bool,

    /// Rule directory to use instead of the built-in rules.
    #[arg(long, value_name = "DIR")]
    pub rules: Option<PathBuf>,

    /// Worker threads (default: one per core).
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
}
