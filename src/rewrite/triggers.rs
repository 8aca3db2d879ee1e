//! The word rules' automaton, and where in a text it is worth running.
//!
//! Every word rule is a pattern `" " + skeleton`, so a match only ever starts at a space of
//! the skeleton. Stepping an automaton through every byte costs a dependent memory load a
//! byte; most words of a note open no rule at all, which their first four bytes tell. So
//! the automaton runs anchored, and only at the starts of words that pass that filter: the
//! same matches, leftmost-longest, as an unanchored search of the whole text.

use aho_corasick::automaton::{Automaton, StateID};
use aho_corasick::dfa::DFA;
use aho_corasick::{Anchored, Match, MatchKind, StartKind};

use crate::swar::{load, splat, zero_bytes};

/// The automaton of a rule set's word patterns, with the filter of the words they open on.
#[derive(Debug)]
pub(crate) struct Triggers {
    automaton: DFA,
    start: StateID,
    starts: StartFilter,
}

impl Triggers {
    /// `patterns`: each a space, then a rule's skeleton.
    pub fn new(patterns: &[String]) -> Result<Triggers, String> {
        // A DFA is the fastest automaton to step through; with a few hundred short words it
        // stays small.
        let automaton = DFA::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .start_kind(StartKind::Anchored)
            .build(patterns)
            .map_err(|e| e.to_string())?;
        let start = automaton.start_state(Anchored::Yes).map_err(|e| e.to_string())?;
        Ok(Triggers {
            automaton,
            start,
            starts: StartFilter::new(patterns),
        })
    }

    /// The leftmost-longest match that starts at or after `pos` in `hay`, a skeleton.
    pub fn find(&self, hay: &[u8], pos: usize) -> Option<Match> {
        let len = hay.len();
        let every_space = self.starts.every_space;
        let mut i = pos;
        // To the next space: no match starts inside a word.
        while i < len && hay[i] != b' ' {
            i += 1;
        }
        while i < len {
            let space = i;
            let start = i + 1;
            let (end, head) = word_at(hay, start);
            i = if every_space { start } else { end };
            let open = every_space || (end > start && self.starts.may_open(head, end - start));
            if open && let Some(m) = self.longest_at(hay, space) {
                return Some(m);
            }
        }
        None
    }

    /// The longest pattern that starts at `start`: the automaton's anchored search, walked
    /// here to spare a dispatch a word.
    fn longest_at(&self, hay: &[u8], start: usize) -> Option<Match> {
        let dfa = &self.automaton;
        let mut sid = self.start;
        let mut found = None;
        for (at, &byte) in hay.iter().enumerate().skip(start) {
            sid = dfa.next_state(Anchored::Yes, sid, byte);
            if dfa.is_special(sid) {
                if dfa.is_dead(sid) {
                    break;
                }
                if dfa.is_match(sid) {
                    let pattern = dfa.match_pattern(sid, 0);
                    let len = dfa.pattern_len(pattern);
                    // A match state also carries patterns that end here but start later
                    // (the automaton's failure links); an anchored search skips them.
                    if at + 1 - len == start {
                        found = Some(Match::new(pattern, start..at + 1));
                    }
                }
            }
        }
        found
    }
}

/// Where the word starting at `start` ends (the next space, or the end of `hay`), and its
/// first four bytes, padded with spaces.
#[inline]
fn word_at(hay: &[u8], start: usize) -> (usize, u32) {
    let space_after = |from: usize| {
        hay[from..]
            .iter()
            .position(|&b| b == b' ')
            .map_or(hay.len(), |n| from + n)
    };
    let Some(x) = load(hay, start) else {
        let end = space_after(start);
        let n = (end - start).min(4);
        return (end, key(&hay[start..start + n], n));
    };
    let spaces = zero_bytes(x ^ splat(b' '));
    // The bytes before the first space, and spaces for the rest of the key.
    let lowest = spaces & spaces.wrapping_neg();
    let keep = (lowest >> 7).wrapping_sub(1) as u32;
    let head = (x as u32 & keep) | (splat(b' ') as u32 & !keep);
    let end = match spaces {
        0 => space_after(start + 8),
        _ => start + (spaces.trailing_zeros() / 8) as usize,
    };
    (end, head)
}

/// A bit per key: a pattern's first word, cut or padded with spaces to four bytes.
#[derive(Debug)]
struct StartFilter {
    bits: Vec<u64>,
    /// Bit `n` (1 to 3): some pattern's first word is `n` bytes long, so a word that begins
    /// with it is looked up by its first `n` bytes too ("he" opens "hello" for the automaton,
    /// which then decides).
    short_lengths: u8,
    /// A pattern starts with two spaces (a rule word that opens on a character no word has):
    /// the automaton must run at every space.
    every_space: bool,
}

const FILTER_BITS: usize = 1 << 16;

impl StartFilter {
    fn new(patterns: &[String]) -> StartFilter {
        let mut filter = StartFilter {
            bits: vec![0; FILTER_BITS / 64],
            short_lengths: 0,
            every_space: false,
        };
        for pattern in patterns {
            let Some(rest) = pattern.strip_prefix(' ') else {
                filter.every_space = true;
                continue;
            };
            let first = rest.split(' ').next().unwrap_or("");
            if first.is_empty() {
                filter.every_space = true;
                continue;
            }
            let n = first.len().min(4);
            if n < 4 {
                filter.short_lengths |= 1 << n;
            }
            let slot = slot(key(first.as_bytes(), n));
            filter.bits[slot / 64] |= 1 << (slot % 64);
        }
        filter
    }

    /// Could a pattern start with a word of `len` bytes whose first four bytes, padded with
    /// spaces, are `head`? No false negatives.
    #[inline]
    fn may_open(&self, head: u32, len: usize) -> bool {
        let test = |key: u32| {
            let slot = slot(key);
            self.bits[slot / 64] & (1 << (slot % 64)) != 0
        };
        // A short first word opens longer words too: "he" of "hello". Every test is made,
        // without branches: they are independent loads of a table in the L1 cache.
        let short = |n: u32| {
            let keep = (1u32 << (8 * n)) - 1;
            (self.short_lengths >> n) & 1 != 0 && (n as usize) < len && test((head & keep) | (0x2020_2020 & !keep))
        };
        test(head) | short(1) | short(2) | short(3)
    }
}

/// The first `n` bytes of `word` (n ≤ 4), padded with spaces to four.
fn key(word: &[u8], n: usize) -> u32 {
    let mut bytes = [b' '; 4];
    bytes[..n].copy_from_slice(&word[..n]);
    u32::from_le_bytes(bytes)
}

fn slot(key: u32) -> usize {
    (key.wrapping_mul(0x9e37_79b1) >> (32 - FILTER_BITS.trailing_zeros())) as usize
}

#[cfg(test)]
mod tests {
    use super::*;
    use aho_corasick::{AhoCorasick, Input};
    use proptest::prelude::*;

    /// The unanchored search the filter stands in for.
    fn reference(patterns: &[String]) -> AhoCorasick {
        AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(patterns)
            .expect("test patterns build")
    }

    fn all_matches(find: impl Fn(usize) -> Option<Match>) -> Vec<(usize, usize, usize)> {
        let mut out = Vec::new();
        let mut pos = 0;
        while let Some(m) = find(pos) {
            out.push((m.start(), m.end(), m.pattern().as_usize()));
            pos = m.end();
        }
        out
    }

    const WORDS: &[&str] = &[
        "he",
        "she",
        "her",
        "hers",
        "hello",
        "y",
        "yo",
        "1",
        "12",
        "1b",
        "ex",
        "exwife",
        "ex wife",
        "maternity",
        "maternity leave",
        "mate",
        "the",
        "them",
        "mr",
        "mrs",
        "fianc  e",
        "a",
        "i",
    ];

    fn patterns(words: &[&str]) -> Vec<String> {
        words.iter().map(|w| format!(" {w}")).collect()
    }

    #[test]
    fn finds_what_an_unanchored_search_finds() {
        let patterns = patterns(&["he", "she", "maternity leave", "maternity", "y", "1", "ex wife"]);
        let triggers = Triggers::new(&patterns).expect("builds");
        let hay = b" hello she said maternity leaves y yes 12 ex wifely the  he";
        let expected = all_matches(|pos| reference(&patterns).find(Input::new(hay).span(pos..hay.len())));
        assert_eq!(all_matches(|pos| triggers.find(hay, pos)), expected);
        assert_eq!(expected.len(), 8, "{expected:?}");
    }

    #[test]
    fn a_pattern_opening_on_a_space_searches_every_space() {
        let patterns = patterns(&[" ette", "he"]);
        let triggers = Triggers::new(&patterns).expect("builds");
        assert!(triggers.starts.every_space);
        let hay = b" la  ette he";
        assert_eq!(
            all_matches(|pos| triggers.find(hay, pos)),
            all_matches(|pos| reference(&patterns).find(Input::new(hay).span(pos..hay.len())))
        );
    }

    proptest! {
        /// Skeletons made of pattern words, their prefixes and extensions, and other words,
        /// with runs of spaces: every match the same as the unanchored automaton's.
        #[test]
        fn same_matches_as_unanchored(
            picks in proptest::collection::vec((0..WORDS.len(), 0..4usize, 1..3usize), 0..40),
            chosen in proptest::collection::vec(0..WORDS.len(), 1..12),
        ) {
            let words: Vec<&str> = chosen.iter().map(|&i| WORDS[i]).collect();
            let patterns = patterns(&words);
            let triggers = Triggers::new(&patterns).expect("builds");
            let mut hay = String::from(" ");
            for (i, shape, spaces) in picks {
                let w = WORDS[i];
                match shape {
                    0 => hay.push_str(w),
                    1 => hay.push_str(&w[..w.len().div_ceil(2)]),
                    2 => { hay.push_str(w); hay.push('s'); }
                    _ => hay.push_str("zq"),
                }
                hay.push_str(&" ".repeat(spaces));
            }
            let hay = hay.as_bytes();
            let expected = all_matches(|pos| reference(&patterns).find(Input::new(hay).span(pos..hay.len())));
            prop_assert_eq!(all_matches(|pos| triggers.find(hay, pos)), expected);
        }
    }
}
