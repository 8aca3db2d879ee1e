//! `blindfold review DIR`: the flags still to decide, by packet, from the review file the
//! last run left in the private folder.

use super::{CliError, ReviewArgs};
use crate::packet::counted;
use crate::workspace::Paths;

pub fn run(args: ReviewArgs) -> Result<(), CliError> {
    let paths = Paths::resolve(&args.dir, args.private.as_deref())?;
    let review = paths.read_review()?;
    let decisions = paths.private.join("decisions.toml");
    let mut open_total = 0;
    for (label, packet) in review.packets() {
        let open: Vec<_> = packet.items.iter().filter(|item| item.is_open()).collect();
        if open.is_empty() && packet.stale.is_empty() {
            continue;
        }
        println!("{label}: {} open", open.len());
        for item in &open {
            println!("  {}  {}  {}", item.id, item.rule, item.place);
            println!(
                "      {}",
                item.sentence.split_whitespace().collect::<Vec<_>>().join(" ")
            );
            println!("      reads \"{}\" until decided", item.shown);
        }
        for id in &packet.stale {
            println!("  {id}  stale: a decision that matches no flag any more (its text changed)");
        }
        open_total += open.len();
    }
    if open_total == 0 {
        println!("Nothing to decide: every packet is ready.");
    } else {
        println!(
            "\n{}. Decide each in {} (\"keep\", \"redact\" or {{ replace = \"...\" }}; review.md has lines to copy), then run `blindfold packets` again.",
            counted(open_total, "open flag"),
            decisions.display()
        );
    }
    Ok(())
}
