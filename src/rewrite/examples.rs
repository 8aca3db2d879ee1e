//! Run every rule's own examples, as `blindfold rules test` and the test suite do.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::{BuildError, Rewriter};
use crate::rules::{Family, FamilySet, RuleInfo, RuleSet};

/// The outcome of running every rule's examples.
#[derive(Debug, Default)]
pub struct ExampleReport {
    pub rules: usize,
    pub examples: usize,
    /// One line each: `rule <id> (<file>:<line>): what went wrong`.
    pub failures: Vec<String>,
}

/// Run each rule's examples with only the rule's family on: an example must come out as its
/// `expect`, through an edit (or a flag) of that very rule; an `unchanged` string must come
/// out byte-identical, without a flag of the rule.
pub fn check_rule_examples(rules: &Arc<RuleSet>) -> Result<ExampleReport, BuildError> {
    let mut rewriters: BTreeMap<Family, Rewriter> = BTreeMap::new();
    for family in Family::ALL {
        rewriters.insert(family, Rewriter::new(rules.clone(), FamilySet::only(family))?);
    }
    let mut report = ExampleReport::default();
    for rule in rules.rules() {
        report.rules += 1;
        let rewriter = &rewriters[&rule.family];
        for example in &rule.examples {
            report.examples += 1;
            let specs = example.subjects.as_ref().unwrap_or(&rule.default_subjects);
            let subjects = match rewriter.subjects(specs) {
                Ok(s) => s,
                Err(e) => {
                    report.failures.push(failure(rule, &example.input, &e.to_string()));
                    continue;
                }
            };
            let out = rewriter.rewrite(&example.input, &subjects);
            if let Some(expect) = &example.expect
                && out.text != *expect
            {
                let problem = format!("got {:?}, want {:?}", out.text, expect);
                report.failures.push(failure(rule, &example.input, &problem));
                continue;
            }
            if let Some(want) = &example.flags {
                let got: Vec<&str> = out
                    .flags
                    .iter()
                    .filter(|f| f.rule == rule.id)
                    .map(|f| f.text.as_str())
                    .collect();
                if got != *want {
                    report
                        .failures
                        .push(failure(rule, &example.input, &format!("flags {got:?}, want {want:?}")));
                }
            } else if !out.edits.iter().any(|e| e.rule == rule.id) {
                let used: Vec<&str> = out.edits.iter().map(|e| &*e.rule).collect();
                let problem = format!("no edit by this rule (edits by: {used:?})");
                report.failures.push(failure(rule, &example.input, &problem));
            }
        }
        for unchanged in &rule.unchanged {
            report.examples += 1;
            let subjects = rewriter.subjects(&rule.default_subjects).unwrap_or_default();
            let out = rewriter.rewrite(unchanged, &subjects);
            if out.text != *unchanged {
                report.failures.push(failure(
                    rule,
                    unchanged,
                    &format!("must stay unchanged, got {:?}", out.text),
                ));
            } else if out.flags.iter().any(|f| f.rule == rule.id) {
                report
                    .failures
                    .push(failure(rule, unchanged, "must raise no flag of this rule"));
            }
        }
    }
    Ok(report)
}

fn failure(rule: &RuleInfo, input: &str, problem: &str) -> String {
    format!("rule {} ({}:{}): {:?}: {problem}", rule.id, rule.file, rule.line, input)
}
