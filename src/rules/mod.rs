//! Rule families as data: parse the TOML files of a rule set, validate them, and compile them
//! into the read-only tables the rewrite engine shares between threads.
//!
//! No I/O here: callers hand in file contents ([`RuleFile`]); [`RuleSet::embedded`] is the
//! default set compiled into the binary.

mod build;
pub(crate) mod class;
mod family;
mod files;
mod load;
mod pattern;
mod schema;
mod tables;

use std::sync::Arc;

pub use family::{Family, FamilySet, UnknownFamily};
pub use files::RULE_FILES;
pub use load::{RuleError, RuleErrors};
pub use pattern::{Element, Pattern};
pub use schema::{ContactKind, Example};
pub(crate) use tables::*;
pub use tables::{NAME_CUES, NAME_RULES, PRONOUN_RULES, WordMap, WordSet};

/// The contents of one rule file, named as it should appear in messages.
#[derive(Debug, Clone)]
pub struct RuleFile {
    /// Path relative to the rule directory, e.g. `terms.toml` or `lexicon/verbs.toml`.
    pub name: String,
    /// Where the file was read from, for messages (`rules/terms.toml`).
    pub display: String,
    pub text: String,
}

/// A rule as the user wrote it: where it is, why it exists and what it must do.
#[derive(Debug, Clone)]
pub struct RuleInfo {
    pub id: Arc<str>,
    pub family: Family,
    pub note: String,
    pub file: String,
    pub line: usize,
    pub examples: Vec<Example>,
    pub unchanged: Vec<String>,
    /// For name rules: the subjects examples use when they do not name their own.
    pub default_subjects: Vec<crate::subject::SubjectSpec>,
}

/// A compiled rule set: every family's tables, shared read-only by all workers.
#[derive(Debug)]
pub struct RuleSet {
    pub(crate) rules: Vec<RuleInfo>,
    pub(crate) pronouns: PronounConfig,
    pub(crate) names: NameConfig,
    pub(crate) terms: TermConfig,
    pub(crate) contact: ContactConfig,
    pub(crate) flags: FlagConfig,
    pub(crate) lexicon: Lexicon,
}

impl RuleSet {
    /// The default rule set, compiled into the binary from `rules/`.
    pub fn embedded() -> Result<RuleSet, RuleErrors> {
        RuleSet::from_files(&files::embedded())
    }

    /// Compile a rule set from the contents of its files (all of [`RULE_FILES`]).
    pub fn from_files(files: &[RuleFile]) -> Result<RuleSet, RuleErrors> {
        build::compile(files)
    }

    /// Every rule, in file order.
    pub fn rules(&self) -> &[RuleInfo] {
        &self.rules
    }
}
