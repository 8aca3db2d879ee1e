//! The people a text must not name: the candidate and the other candidates of the batch.
//!
//! A [`SubjectSpec`] is what the caller knows (name, email); [`Subjects`] is the compiled form:
//! every variant of every name in one small automaton, built once per batch and shared.

use std::sync::Arc;

use aho_corasick::{AhoCorasick, MatchKind};
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use super::fold::fold;
use crate::rules::RuleSet;

/// Who a subject is to the packet being written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// The person the packet is about: "the candidate".
    Candidate,
    /// Someone else of the same batch: "another candidate".
    OtherCandidate,
}

/// A person whose names must not survive, as given by the caller.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubjectSpec {
    pub role: Role,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// What replaces the name (e.g. a packet label); defaults to the role's phrase.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SubjectError {
    #[error("subject {index}: needs a `name` or an `email`")]
    Empty { index: usize },
    #[error("subject {index}: its label would itself name the subject")]
    LabelNamesSubject { index: usize },
    #[error("subjects: could not build the name matcher: {0}")]
    Matcher(String),
}

/// Which rule a variant of a name belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum VariantKind {
    Part,
    Nickname,
    Email,
    Handle,
}

/// How sure a bare match of this variant is to be the name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Ambiguity {
    /// Not an English word: every match is the name.
    None,
    /// Also a common word ("Will", "Grace"): a name when capitalised mid-sentence or in context.
    CommonWord,
    /// Usually capitalised in notes without being a name ("Ruby", "May"): only in context.
    ProperWord,
    /// A pronoun ("He" is a surname): only next to another part of the name or a title.
    Pronoun,
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Variant {
    pub subject: u32,
    pub kind: VariantKind,
    pub ambiguity: Ambiguity,
}

#[derive(Debug)]
pub(crate) struct CompiledSubject {
    pub role: Role,
    /// Replaces the name, as written, whatever the role.
    pub label: Option<String>,
    /// First letters of the name's parts, for initials ("P. Raman").
    pub initials: Vec<char>,
    /// Folded particles of the name ("van", "de"), which may sit between its parts.
    pub particles: Vec<String>,
}

/// A compiled set of subjects, cheap to share between threads and to clone.
#[derive(Debug, Clone, Default)]
pub struct Subjects {
    pub(crate) inner: Option<Arc<SubjectsInner>>,
    /// The subject who is "the candidate" of the text at hand, whatever the roles say: a
    /// batch compiles every candidate's names once, and each packet focuses on its own.
    pub(crate) focus: Option<u32>,
}

#[derive(Debug)]
pub(crate) struct SubjectsInner {
    pub subjects: Vec<CompiledSubject>,
    pub matcher: AhoCorasick,
    /// Per automaton pattern: the subjects and kinds it is a variant of, candidate first.
    pub variants: Vec<Vec<Variant>>,
}

impl Subjects {
    /// No subjects: nothing is a name.
    pub fn none() -> Subjects {
        Subjects {
            inner: None,
            focus: None,
        }
    }

    /// The same subjects, with the one at `index` as "the candidate" and every other as
    /// "another candidate".
    pub fn focused_on(&self, index: usize) -> Subjects {
        Subjects {
            inner: self.inner.clone(),
            focus: Some(index as u32),
        }
    }

    /// Is `subject` "the candidate" here?
    pub(crate) fn is_candidate(&self, subject: u32) -> bool {
        match self.focus {
            Some(focus) => focus == subject,
            None => self
                .inner
                .as_ref()
                .is_some_and(|i| i.subjects[subject as usize].role == Role::Candidate),
        }
    }

    /// Compile the variants the rule set's name rules ask for (`all_forms`: every variant,
    /// whatever the rules say, as the audit needs).
    pub(crate) fn compile(rules: &RuleSet, specs: &[SubjectSpec], all_forms: bool) -> Result<Subjects, SubjectError> {
        if specs.is_empty() {
            return Ok(Subjects::none());
        }
        let mut patterns: Vec<String> = Vec::new();
        let mut index: FxHashMap<String, usize> = FxHashMap::default();
        let mut variants: Vec<Vec<Variant>> = Vec::new();
        let mut subjects = Vec::with_capacity(specs.len());
        for (i, spec) in specs.iter().enumerate() {
            let has_name = spec.name.as_deref().is_some_and(|n| !n.trim().is_empty());
            let has_email = spec.email.as_deref().is_some_and(|e| !e.trim().is_empty());
            if !has_name && !has_email {
                return Err(SubjectError::Empty { index: i });
            }
            let forms = name_forms(rules, spec, all_forms);
            if let Some(label) = &spec.label {
                let folded_label = fold(label);
                let label_words: Vec<&str> = folded_label.split(|c: char| !c.is_ascii_alphanumeric()).collect();
                if forms
                    .iter()
                    .any(|(form, kind, _)| *kind != VariantKind::Email && label_words.contains(&form.as_str()))
                {
                    return Err(SubjectError::LabelNamesSubject { index: i });
                }
            }
            for (form, kind, ambiguity) in forms {
                let id = *index.entry(form.clone()).or_insert_with(|| {
                    patterns.push(form);
                    variants.push(Vec::new());
                    variants.len() - 1
                });
                variants[id].push(Variant {
                    subject: i as u32,
                    kind,
                    ambiguity,
                });
            }
            let names = &rules.names;
            let folded_name = spec.name.as_deref().map(fold).unwrap_or_default();
            subjects.push(CompiledSubject {
                role: spec.role,
                label: spec.label.clone(),
                initials: name_tokens(&folded_name)
                    .filter_map(|t| t.chars().next())
                    .filter(char::is_ascii_alphabetic)
                    .collect(),
                particles: name_tokens(&folded_name)
                    .filter(|t| names.particles.contains(*t))
                    .map(str::to_string)
                    .collect(),
            });
        }
        for list in &mut variants {
            list.sort_by_key(|v| (specs[v.subject as usize].role != Role::Candidate, v.subject));
        }
        if patterns.is_empty() {
            return Ok(Subjects::none());
        }
        // Patterns are folded to lowercase ASCII, as is the text they are matched against.
        let matcher = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&patterns)
            .map_err(|e| SubjectError::Matcher(e.to_string()))?;
        Ok(Subjects {
            inner: Some(Arc::new(SubjectsInner {
                subjects,
                matcher,
                variants,
            })),
            focus: None,
        })
    }

    /// Number of subjects.
    pub fn len(&self) -> usize {
        self.inner.as_ref().map_or(0, |i| i.subjects.len())
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

fn name_tokens(folded: &str) -> impl Iterator<Item = &str> {
    folded
        .split(|c: char| c.is_whitespace() || c == ',')
        .map(|t| t.trim_end_matches('.'))
        .filter(|t| !t.is_empty())
}

fn ambiguity(rules: &RuleSet, form: &str) -> Ambiguity {
    const PRONOUNS: [&str; 8] = ["he", "she", "him", "his", "her", "hers", "himself", "herself"];
    if PRONOUNS.contains(&form) {
        Ambiguity::Pronoun
    } else if rules.names.proper_words.contains(form) {
        Ambiguity::ProperWord
    } else if rules.lexicon.common_words.contains(form) {
        Ambiguity::CommonWord
    } else {
        Ambiguity::None
    }
}

/// Every folded form of a subject's name and email that the text must not contain.
fn name_forms(rules: &RuleSet, spec: &SubjectSpec, all_forms: bool) -> Vec<(String, VariantKind, Ambiguity)> {
    let names = &rules.names;
    let ids = &names.ids;
    let mut forms: Vec<(String, VariantKind, Ambiguity)> = Vec::new();
    let mut add = |form: String, kind: VariantKind| {
        if form.chars().count() < 2 || forms.iter().any(|(f, _, _)| *f == form) {
            return;
        }
        let ambiguity = match kind {
            VariantKind::Email => Ambiguity::None,
            _ => ambiguity(rules, &form),
        };
        forms.push((form, kind, ambiguity));
    };

    let folded = spec.name.as_deref().map(fold).unwrap_or_default();
    let tokens: Vec<&str> = name_tokens(&folded)
        .filter(|t| !names.titles.contains(*t) && !names.suffixes.contains(*t))
        .collect();
    // The parts that carry the name: not particles, not initials.
    let main: Vec<&str> = tokens
        .iter()
        .copied()
        .filter(|t| !names.particles.contains(*t) && t.chars().count() > 1)
        .collect();
    let wanted = |id: &Option<std::sync::Arc<str>>| all_forms || id.is_some();
    if wanted(&ids.part) {
        for token in &main {
            // "álvarez-núñez", "álvarez", "núñez"; and "o'connell" also as "oconnell".
            let pieces = token
                .split('-')
                .filter(|p| *p == *token || !names.particles.contains(*p));
            for piece in std::iter::once(*token).chain(pieces) {
                add(piece.to_string(), VariantKind::Part);
                if piece.contains('\'') {
                    add(piece.replace('\'', ""), VariantKind::Part);
                }
            }
        }
    }
    if wanted(&ids.nickname) {
        // Nicknames stand for given names: every part but the family name.
        let given = if main.len() > 1 {
            &main[..main.len() - 1]
        } else {
            &main[..]
        };
        for token in given {
            for nick in rules.lexicon.nicknames.get(*token).into_iter().flatten() {
                add(nick.to_string(), VariantKind::Nickname);
            }
        }
    }
    if wanted(&ids.handle)
        && let (Some(first), Some(last)) = (main.first(), main.last())
        && main.len() > 1
    {
        let first = first.replace(['\'', '-'], "");
        let last = last.replace(['\'', '-'], "");
        if let (Some(f), Some(l)) = (first.get(..1), last.get(..1)) {
            for handle in [
                format!("{first}{last}"),
                format!("{first}.{last}"),
                format!("{first}_{last}"),
                format!("{f}{last}"),
                format!("{first}{l}"),
                format!("{last}{first}"),
            ] {
                if handle.len() >= 4 {
                    add(handle, VariantKind::Handle);
                }
            }
        }
    }
    if let Some(email) = spec.email.as_deref().map(|e| fold(e.trim())).filter(|e| !e.is_empty()) {
        if wanted(&ids.email) {
            add(email.clone(), VariantKind::Email);
        }
        if wanted(&ids.handle)
            && let Some((local, _)) = email.split_once('@')
        {
            let local = local.split('+').next().unwrap_or(local);
            add(local.to_string(), VariantKind::Handle);
            let letters = local.trim_end_matches(|c: char| c.is_ascii_digit());
            add(letters.to_string(), VariantKind::Handle);
            for piece in local.split(['.', '_', '-']) {
                let piece = piece.trim_end_matches(|c: char| c.is_ascii_digit());
                if piece.len() >= 3 {
                    add(piece.to_string(), VariantKind::Handle);
                }
            }
        }
    }
    forms
}
