//! `blindfold rules check|test`: validate a rule set, and run every rule's own examples.

use super::{CliError, RulesCommand, load_rules};
use crate::packet::counted;
use crate::rewrite::check_rule_examples;

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
            let report = check_rule_examples(&rules)?;
            for failure in &report.failures {
                println!("{failure}");
            }
            println!(
                "{}, {}: {} failed",
                counted(report.rules, "rule"),
                counted(report.examples, "example"),
                report.failures.len()
            );
            if report.failures.is_empty() {
                Ok(())
            } else {
                Err(CliError::Reported(format!(
                    "{} failed",
                    counted(report.failures.len(), "rule example")
                )))
            }
        }
    }
}
