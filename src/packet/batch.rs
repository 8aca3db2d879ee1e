//! A batch of packets: the cores build them, writer threads put them on the shelf, and the
//! index lists what came out. One failing candidate does not stop the others.

use std::sync::{Mutex, mpsc};

use rayon::prelude::*;

use super::{Batch, IndexEntry, PacketReview, PublishError, Rendered, Shelf, Sources, Totals, build};
use crate::files::Staged;

/// One candidate's packet to make.
pub struct Job<'a> {
    pub email: &'a str,
    /// Where the candidate is in the batch the subjects were compiled from.
    pub index: usize,
    pub sources: Sources<'a>,
}

/// A candidate who got no packet, and why (no note text, ever).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failed {
    pub email: String,
    pub message: String,
}

/// What a batch made.
#[derive(Debug, Default)]
pub struct Published {
    pub entries: Vec<IndexEntry>,
    pub totals: Totals,
    pub failed: Vec<Failed>,
    /// The flags of every packet written, by label.
    pub reviews: std::collections::BTreeMap<String, PacketReview>,
    /// Labels of packets an earlier run left that this one did not write.
    pub withdrawn: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum BatchError {
    #[error("cannot start worker threads: {0}")]
    Threads(String),
    #[error(transparent)]
    Index(#[from] PublishError),
}

/// Threads that write packets to disk.
const WRITERS: usize = 8;

/// Build every job's packet on `threads` cores (`None`: all of them), put each on the
/// shelf, withdraw every other packet (the folder holds this run's and nothing older), and
/// publish the index of what this run wrote. `done` is called once per job built.
pub fn publish_batch(
    batch: &Batch<'_>,
    shelf: &Shelf,
    jobs: &[Job<'_>],
    threads: Option<usize>,
    done: &(dyn Fn() + Sync),
) -> Result<Published, BatchError> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads.unwrap_or(0))
        .build()
        .map_err(|e| BatchError::Threads(e.to_string()))?;
    // The cores rewrite, render and audit; writer threads write finished packets beside
    // their places, and once all are written one flush makes them durable and renames put
    // them in place. The channel bounds the packets in memory.
    let (sender, receiver) = mpsc::sync_channel::<(usize, Rendered)>(64);
    let receiver = Mutex::new(receiver);
    let (built, written) = std::thread::scope(|scope| {
        let writers: Vec<_> = (0..WRITERS)
            .map(|_| scope.spawn(|| write_until_closed(shelf, &receiver)))
            .collect();
        let built: Vec<Option<String>> = pool.install(|| {
            jobs.par_iter()
                .enumerate()
                .map(|(j, job)| {
                    let result = build(batch, job.index, &job.sources);
                    done();
                    match result {
                        // The writers outlive this loop; a send fails only if they all died.
                        Ok(packet) => sender
                            .send((j, packet))
                            .err()
                            .map(|_| "packet not written: no writer".to_string()),
                        Err(e) => Some(e.to_string()),
                    }
                })
                .collect()
        });
        drop(sender);
        let written: Vec<WriteOutcome> = writers.into_iter().flat_map(|w| w.join().unwrap_or_default()).collect();
        (built, written)
    });

    let mut published = Published::default();
    let mut failed: Vec<(usize, String)> = Vec::new();
    let mut settled = vec![false; jobs.len()];
    let mut staged = Vec::with_capacity(2 * jobs.len());
    for (j, not_built) in built.into_iter().enumerate() {
        if let Some(message) = not_built {
            failed.push((j, message));
        }
    }
    for (j, result) in written {
        match result {
            Ok((entry, totals, review, files)) => {
                staged.extend(files);
                published.totals.add(&totals);
                published.reviews.insert(entry.label.clone(), review);
                published.entries.push(entry);
                settled[j] = true;
            }
            Err(e) => failed.push((j, e.to_string())),
        }
    }
    for &(j, _) in &failed {
        settled[j] = true;
    }
    // A writer that died took its packets with it: their candidates failed too.
    for (j, _) in settled.iter().enumerate().filter(|(_, settled)| !**settled) {
        failed.push((j, "packet not written: its writer stopped".into()));
    }
    for (j, message) in failed {
        shelf.withdraw(jobs[j].sources.label);
        published.failed.push(Failed {
            email: jobs[j].email.to_string(),
            message,
        });
    }
    shelf.put_all(staged)?;
    let written: std::collections::HashSet<&str> = published.entries.iter().map(|e| e.label.as_str()).collect();
    // Packets of this run that failed are gone already: what is withdrawn here is older.
    published.withdrawn = shelf.withdraw_all_but(&written);
    shelf.publish_index(&published.entries)?;
    Ok(published)
}

/// What a writer did with one job's packet: its index entry and totals, or why not.
type WriteOutcome = (
    usize,
    Result<(IndexEntry, Totals, PacketReview, [Staged; 2]), PublishError>,
);

fn write_until_closed(shelf: &Shelf, receiver: &Mutex<mpsc::Receiver<(usize, Rendered)>>) -> Vec<WriteOutcome> {
    let mut done = Vec::new();
    loop {
        // The lock is released before writing, so writers create files side by side.
        let next = receiver.lock().unwrap_or_else(|p| p.into_inner()).recv();
        let Ok((j, packet)) = next else { break };
        let result = shelf
            .stage(&packet)
            .map(|staged| (packet.entry, packet.totals, packet.review, staged));
        done.push((j, result));
    }
    done
}
