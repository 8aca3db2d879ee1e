//! Rewriter throughput on the synthetic notes corpus (benches/support/corpus.rs, 16 MiB):
//! all rule families on, each note rewritten with its candidate as subject. The subjects are
//! compiled once per candidate, as a batch run does.

#[path = "support/corpus.rs"]
mod corpus;

use std::sync::Arc;

use blindfold::rewrite::{Rewriter, Role, SubjectSpec};
use blindfold::rules::{Family, FamilySet, RuleSet};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

fn rewrite(c: &mut Criterion) {
    let corpus = corpus::generate(16 << 20, 42);
    let rules = Arc::new(RuleSet::embedded().expect("embedded rules"));
    let mut group = c.benchmark_group("rewrite");
    group.throughput(Throughput::Bytes(corpus.bytes() as u64));
    group.sample_size(10);
    for (name, families) in [
        ("all-families", FamilySet::all()),
        ("pronouns-only", FamilySet::only(Family::Pronouns)),
    ] {
        let rewriter = Rewriter::new(rules.clone(), families).expect("rewriter");
        let subjects: Vec<_> = corpus
            .candidates
            .iter()
            .map(|c| {
                let spec = SubjectSpec {
                    role: Role::Candidate,
                    name: Some(c.name.clone()),
                    email: Some(c.email.clone()),
                    label: None,
                };
                rewriter.subjects(&[spec]).expect("subjects")
            })
            .collect();
        group.bench_function(name, |b| {
            b.iter(|| {
                let mut changed = 0usize;
                for note in &corpus.notes {
                    changed += rewriter.rewrite(&note.text, &subjects[note.candidate]).edits.len();
                }
                changed
            })
        });
    }
    group.finish();
}

criterion_group!(benches, rewrite);
criterion_main!(benches);
