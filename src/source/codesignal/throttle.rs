//! A client-side throttle: requests leave at most `rate` per second, whichever thread sends them.

use std::sync::Mutex;
use std::time::{Duration, Instant};

#[derive(Debug)]
pub struct Throttle {
    interval: Duration,
    /// When the next request may leave.
    next: Mutex<Instant>,
}

impl Throttle {
    /// `rate` requests per second (must be positive).
    pub fn new(rate: f64) -> Throttle {
        Throttle {
            interval: Duration::from_secs_f64(1.0 / rate),
            next: Mutex::new(Instant::now()),
        }
    }

    /// Wait for this request's slot. Slots are handed out in order, one interval apart, so
    /// bursts from several threads are spread evenly.
    pub fn wait(&self) {
        let slot = {
            let mut next = self.next.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            let slot = (*next).max(Instant::now());
            *next = slot + self.interval;
            slot
        };
        let now = Instant::now();
        if slot > now {
            std::thread::sleep(slot - now);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spaces_requests_by_the_interval() {
        let throttle = Throttle::new(200.0);
        let start = Instant::now();
        for _ in 0..11 {
            throttle.wait();
        }
        // Ten intervals of 5 ms after the first, immediate request.
        assert!(start.elapsed() >= Duration::from_millis(50));
    }
}
