//! `blindfold rules check|test`: validate a rule set, and run every rule's own examples.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::{CliError, RulesCommand, load_rules};
use crate::rewrite::Rewriter;
use crate::rules::{Family, FamilySet, RuleInfo, RuleSet};

pub fn run(command: RulesCommand) -> Result<(), CliError> {
    match command {
        RulesCommand::Check(args) => {
            let rules = load_rules(args.rules.as_deref())?;
            let examples: usize = rules.rules().iter().map(|r| r.examples.len() + r.unchanged.len()).sum();
            println!("ok: {} rules, {examples} examples", rules.rules().len());
            Ok(())
        }
        RulesCommand::Test(args) => {
            let rules = load_rules(args.rules.as_deref())?;
            let report = test_examples(&rules)?;
            for failure in &report.failures {
                println!("{failure}");
            }
            println!(
                "{} rules, {} examples: {} failed",
                report.rules,
                report.examples,
                report.failures.len()
            );
            if report.failures.is_empty() {
                Ok(())
            } else {
                Err(CliError::Reported(format!(
                    "{} rule example(s) failed",
                    report.failures.len()
                )))
            }
        }
    }
}

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
pub fn test_examples(rules: &Arc<RuleSet>) -> Result<ExampleReport, CliError> {
    let mut rewriters: BTreeMap<Family, Rewriter> = BTreeMap::new();
    for family in Family::ALL {
        let rewriter =
            Rewriter::new(rules.clone(), FamilySet::only(family)).map_err(|e| CliError::Input(e.to_string()))?;
        rewriters.insert(family, rewriter);
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
