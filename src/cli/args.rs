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
