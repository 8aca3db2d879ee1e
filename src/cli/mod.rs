//! The commands behind the binary: arguments are parsed in `main`, resolved here into a
//! configuration (rule set, families, threads), and run against files and standard streams.

mod args;
mod audit;
mod gather;
mod listen;
mod packets;
mod review;
mod rewrite;
mod rules;

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use args::{
    ApiArgs, AuditArgs, Cli, Command, FetchArgs, ListenArgs, PacketsArgs, ReviewArgs, RewriteArgs, RulesArgs,
    RulesCommand, SelectionArgs,
};

use crate::listen::ListenError;
use crate::listen::store::StoreError;
use crate::packet::BatchError;
use crate::rewrite::{self as engine, SubjectError};
use crate::rules::{FamilySet, RULE_FILES, RuleErrors, RuleFile, RuleSet};
use crate::source::export::ExportError;
use crate::workspace::WorkspaceError;

/// A failure the user can fix: bad input, a broken rule file, an unreadable file. Exit code 1.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error("{0}")]
    Rules(#[from] RuleErrors),
    #[error("{path}: {source}")]
    Io { path: String, source: io::Error },
    #[error("{0}")]
    Usage(String),
    #[error("{0}")]
    Input(String),
    /// Problems were already reported (one line each); only the exit code remains to give.
    #[error("{0}")]
    Reported(String),
    #[error(transparent)]
    Workspace(WorkspaceError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Listen(#[from] ListenError),
    #[error(transparent)]
    Rewriter(#[from] engine::BuildError),
    #[error(transparent)]
    Subjects(#[from] SubjectError),
    #[error(transparent)]
    Batch(#[from] BatchError),
    #[error(transparent)]
    Export(#[from] ExportError),
}

impl From<WorkspaceError> for CliError {
    fn from(e: WorkspaceError) -> CliError {
        if e.is_usage() {
            CliError::Usage(e.to_string())
        } else {
            CliError::Workspace(e)
        }
    }
}

impl CliError {
    pub fn io(path: impl AsRef<Path>, source: io::Error) -> CliError {
        CliError::Io {
            path: path.as_ref().display().to_string(),
            source,
        }
    }

    /// 2 for usage errors (as clap uses), 1 for everything else.
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Usage(_) => 2,
            _ => 1,
        }
    }
}

/// Run a parsed command line.
pub fn run(cli: Cli) -> Result<(), CliError> {
    match cli.command {
        Command::Packets(args) => packets::run(args),
        Command::Fetch(args) => gather::fetch(args),
        Command::Audit(args) => audit::run(args),
        Command::Review(args) => review::run(args),
        Command::Listen(args) => listen::run(args),
        Command::Rewrite(args) => rewrite::run(args),
        Command::Rules { command } => rules::run(command),
    }
}

/// The rule set of `--rules DIR`, or the built-in one.
pub fn load_rules(dir: Option<&Path>) -> Result<Arc<RuleSet>, CliError> {
    let rules = match dir {
        None => RuleSet::embedded()?,
        Some(dir) => RuleSet::from_files(&read_rule_dir(dir)?)?,
    };
    Ok(Arc::new(rules))
}

fn read_rule_dir(dir: &Path) -> Result<Vec<RuleFile>, CliError> {
    if !dir.is_dir() {
        return Err(CliError::Usage(format!("--rules {}: not a directory", dir.display())));
    }
    let mut files = Vec::new();
    for name in RULE_FILES {
        let path = dir.join(name);
        if !path.exists() {
            continue; // the rule set reports every missing file at once
        }
        let bytes = fs::read(&path).map_err(|e| CliError::io(&path, e))?;
        let text = String::from_utf8(bytes).map_err(|e| {
            CliError::Input(format!(
                "{}: not UTF-8 (byte {})",
                path.display(),
                e.utf8_error().valid_up_to()
            ))
        })?;
        files.push(RuleFile {
            name: name.to_string(),
            display: path.display().to_string(),
            text,
        });
    }
    // A rule file under another name would silently do nothing: say so.
    for sub in [PathBuf::new(), PathBuf::from("lexicon")] {
        let Ok(entries) = fs::read_dir(dir.join(&sub)) else {
            continue;
        };
        for entry in entries.flatten() {
            let rel = sub.join(entry.file_name());
            let rel = rel.to_string_lossy().replace('\\', "/");
            if rel.ends_with(".toml") && !RULE_FILES.contains(&rel.as_str()) {
                files.push(RuleFile {
                    name: rel,
                    display: entry.path().display().to_string(),
                    text: String::new(),
                });
            }
        }
    }
    Ok(files)
}

/// `--only pronouns,names`, or every family.
pub fn resolve_families(only: Option<&str>) -> Result<FamilySet, CliError> {
    match only {
        None => Ok(FamilySet::all()),
        Some(list) => FamilySet::parse_list(list).map_err(|e| CliError::Usage(format!("--only: {e}"))),
    }
}
