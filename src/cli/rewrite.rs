//! `blindfold rewrite`: JSON Lines (or plain lines) in, one output line per input line, in
//! order. Input is read in chunks and each chunk is rewritten in parallel, so memory stays
//! flat however long the input is.

use rustc_hash::FxHashMap;
use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Read, Write};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::{CliError, RewriteArgs, load_rules, resolve_families};
use crate::packet::counted;
use crate::rewrite::{Rewriter, Rewritten, SubjectError, SubjectSpec, Subjects};
use crate::swar::{self, HIGHS, splat, zero_bytes};

/// Lines per chunk, and bytes: whichever is reached first ends the chunk.
const CHUNK_LINES: usize = 4096;
const CHUNK_BYTES: usize = 1 << 20;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct InputLine {
    id: serde_json::Value,
    text: String,
    #[serde(default)]
    subjects: Vec<SubjectSpec>,
}

#[derive(Serialize)]
struct ErrorLine<'a> {
    line: u64,
    error: &'a str,
}

/// What one input line became: its output line, or why it has none.
type LineResult = Result<Vec<u8>, String>;

/// Compiled subjects by their spec, shared by all workers for the whole stream: lines of one
/// candidate reuse one name matcher however they are spread over chunks and threads.
struct SubjectCache {
    compiled: Mutex<FxHashMap<Vec<SubjectSpec>, Subjects>>,
    /// Lines asked for so far, and hits in the current window of them: where no line of a
    /// window's first part repeats another's subjects, the rest of the window skips the cache.
    asked: AtomicU64,
    window_hits: AtomicU64,
}

impl SubjectCache {
    /// Enough for the candidates whose notes sit near each other in a file; past it the
    /// cache starts over. Lines that each name other people only fill it, so it stays small
    /// (a larger one spent more time getting fresh memory than it saved).
    const CAPACITY: usize = 1024;

    /// Lines per window, and how many of them always go through the cache.
    const WINDOW: u64 = 4096;
    const PROBED: u64 = 256;

    fn new() -> SubjectCache {
        SubjectCache {
            compiled: Mutex::new(FxHashMap::default()),
            asked: AtomicU64::new(0),
            window_hits: AtomicU64::new(0),
        }
    }

    /// The line's own specs are kept as the key: no copy of them is made.
    fn get(&self, rewriter: &Rewriter, specs: Vec<SubjectSpec>) -> Result<Subjects, SubjectError> {
        let n = self.asked.fetch_add(1, Ordering::Relaxed);
        if n.is_multiple_of(Self::WINDOW) {
            self.window_hits.store(0, Ordering::Relaxed);
        }
        // Threads may race on the counters: that only moves where the cache is skipped.
        if n % Self::WINDOW >= Self::PROBED && self.window_hits.load(Ordering::Relaxed) == 0 {
            return rewriter.subjects(&specs);
        }
        if let Some(found) = self.lock().get(&specs) {
            self.window_hits.fetch_add(1, Ordering::Relaxed);
            return Ok(found.clone());
        }
        let compiled = rewriter.subjects(&specs)?;
        let mut cache = self.lock();
        if cache.len() >= Self::CAPACITY {
            cache.clear();
        }
        cache.insert(specs, compiled.clone());
        Ok(compiled)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, FxHashMap<Vec<SubjectSpec>, Subjects>> {
        // A worker that panicked while holding the lock left a usable map behind.
        self.compiled.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

pub fn run(args: RewriteArgs) -> Result<(), CliError> {
    let families = resolve_families(args.only.as_deref())?;
    if args.threads == Some(0) {
        return Err(CliError::Usage("--threads: must be at least 1".into()));
    }
    let rules = load_rules(args.rules.as_deref())?;
    let rewriter = Rewriter::new(rules, families)?;
    let (input, name): (Box<dyn Read + Send>, String) = match &args.input {
        Some(path) => (
            Box::new(File::open(path).map_err(|e| CliError::io(path, e))?),
            path.display().to_string(),
        ),
        None => (Box::new(io::stdin()), "<stdin>".to_string()),
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.threads.unwrap_or(0))
        .build()
        .map_err(|e| CliError::Input(format!("cannot start worker threads: {e}")))?;
    let stdout = io::stdout();
    pool.install(|| {
        stream(
            &rewriter,
            BufReader::with_capacity(1 << 16, input),
            &name,
            BufWriter::with_capacity(1 << 16, stdout),
            &args,
        )
    })
}

fn stream(
    rewriter: &Rewriter,
    mut input: impl BufRead,
    name: &str,
    mut out: impl Write + Send,
    args: &RewriteArgs,
) -> Result<(), CliError> {
    let mut line_no: u64 = 0;
    let mut failed = 0usize;
    let mut pending: Vec<LineResult> = Vec::new();
    let mut pending_first_line = 0u64;
    let cache = SubjectCache::new();
    // One input buffer for the whole stream: a fresh megabyte a chunk is fresh pages a chunk,
    // which the kernel zeroes every time.
    let mut chunk = Chunk {
        bytes: Vec::with_capacity(CHUNK_BYTES + (1 << 14)),
        ends: Vec::new(),
    };
    loop {
        let first_line = line_no + 1;
        read_chunk(&mut input, name, &mut line_no, &mut chunk)?;
        let done = chunk.is_empty();
        // Rewrite this chunk while the previous one is written out.
        let (results, written) = rayon::join(
            || rewrite_chunk(rewriter, &cache, &chunk, first_line, args.lines),
            || write_results(&mut out, &pending, pending_first_line, args.keep_going),
        );
        let written = written?;
        failed += written.failures;
        if let Some(stop) = written.stopped {
            out.flush().map_err(|e| CliError::io("<stdout>", e))?;
            return Err(CliError::Input(format!("{name}:{stop}")));
        }
        if done {
            break;
        }
        pending = results;
        pending_first_line = first_line;
    }
    out.flush().map_err(|e| CliError::io("<stdout>", e))?;
    if failed > 0 {
        return Err(CliError::Reported(format!(
            "{} of {name} could not be rewritten",
            counted(failed, "line")
        )));
    }
    Ok(())
}

/// Lines of input, end to end in one buffer: one allocation a chunk, not one a line.
struct Chunk {
    bytes: Vec<u8>,
    /// Where each line ends in `bytes` (its line ending included).
    ends: Vec<usize>,
}

impl Chunk {
    fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    fn lines(&self) -> impl IndexedParallelIterator<Item = &[u8]> {
        self.ends.par_iter().enumerate().map(|(i, &end)| {
            let start = if i == 0 { 0 } else { self.ends[i - 1] };
            &self.bytes[start..end]
        })
    }
}

/// Fill `chunk` with the next lines of `input`, replacing what it held.
fn read_chunk(input: &mut impl BufRead, name: &str, line_no: &mut u64, chunk: &mut Chunk) -> Result<(), CliError> {
    chunk.bytes.clear();
    chunk.ends.clear();
    while chunk.ends.len() < CHUNK_LINES && chunk.bytes.len() < CHUNK_BYTES {
        let n = input
            .read_until(b'\n', &mut chunk.bytes)
            .map_err(|e| CliError::io(name, e))?;
        if n == 0 {
            break;
        }
        *line_no += 1;
        chunk.ends.push(chunk.bytes.len());
    }
    Ok(())
}

fn rewrite_chunk(
    rewriter: &Rewriter,
    cache: &SubjectCache,
    chunk: &Chunk,
    first_line: u64,
    lines: bool,
) -> Vec<LineResult> {
    chunk
        .lines()
        .enumerate()
        .map(|(i, raw)| {
            let line = first_line + i as u64;
            if lines {
                rewrite_plain(rewriter, raw, line)
            } else {
                rewrite_json(rewriter, cache, raw, line)
            }
        })
        .collect()
}

/// Strip the line ending, keeping whether it was CRLF.
fn split_ending(raw: &[u8]) -> (&[u8], &[u8]) {
    let body = raw.strip_suffix(b"\n").unwrap_or(raw);
    let body = body.strip_suffix(b"\r").unwrap_or(body);
    (body, &raw[body.len()..])
}

fn rewrite_plain(rewriter: &Rewriter, raw: &[u8], line: u64) -> LineResult {
    let (body, ending) = split_ending(raw);
    let text = std::str::from_utf8(body)
        .map_err(|e| format!("{line}: not UTF-8 (byte {} of the line)", e.valid_up_to() + 1))?;
    let out = rewriter.rewrite(text, &Subjects::none());
    let mut bytes = out.text.into_bytes();
    bytes.extend_from_slice(if ending.is_empty() { b"\n" } else { ending });
    Ok(bytes)
}

fn rewrite_json(rewriter: &Rewriter, cache: &SubjectCache, raw: &[u8], line: u64) -> LineResult {
    let (body, _) = split_ending(raw);
    // Some editors save a byte-order mark before the first line.
    let body = if line == 1 {
        body.strip_prefix(b"\xef\xbb\xbf").unwrap_or(body)
    } else {
        body
    };
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(format!("{line}: empty line, expected a JSON object"));
    }
    let input: InputLine = serde_json::from_slice(body).map_err(|e| format!("{line}: {}", json_error(&e)))?;
    let subjects = if input.subjects.is_empty() {
        Subjects::none()
    } else {
        cache
            .get(rewriter, input.subjects)
            .map_err(|e| format!("{line}: {e}"))?
    };
    let out = rewriter.rewrite(&input.text, &subjects);
    let mut bytes = Vec::with_capacity(out.text.len() * 3 / 2 + 64);
    write_output_line(&mut bytes, &input.id, &out).map_err(|e| format!("{line}: {e}"))?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// One output line, as serde_json would write the `OutputLine` of the tests, with strings
/// escaped a word at a time: note text is most of the output, and serde_json reads it byte
/// by byte.
fn write_output_line(out: &mut Vec<u8>, id: &serde_json::Value, rewritten: &Rewritten) -> serde_json::Result<()> {
    out.extend_from_slice(b"{\"id\":");
    serde_json::to_writer(&mut *out, id)?;
    out.extend_from_slice(b",\"text\":");
    push_json_str(out, &rewritten.text);
    out.extend_from_slice(b",\"edits\":");
    push_array(out, &rewritten.edits, |out, e| {
        push_rule_and_span(out, &e.rule, &e.span);
        out.extend_from_slice(b",\"before\":");
        push_json_str(out, &e.before);
        out.extend_from_slice(b",\"after\":");
        push_json_str(out, &e.after);
    });
    out.extend_from_slice(b",\"flags\":");
    push_array(out, &rewritten.flags, |out, f| {
        push_rule_and_span(out, &f.rule, &f.span);
        out.extend_from_slice(b",\"text\":");
        push_json_str(out, &f.text);
    });
    out.push(b'}');
    Ok(())
}

/// `[{…},{…}]`, each object's fields written by `fields`.
fn push_array<T>(out: &mut Vec<u8>, items: &[T], mut fields: impl FnMut(&mut Vec<u8>, &T)) {
    out.push(b'[');
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.push(b'{');
        fields(out, item);
        out.push(b'}');
    }
    out.push(b']');
}

fn push_rule_and_span(out: &mut Vec<u8>, rule: &str, span: &std::ops::Range<usize>) {
    out.extend_from_slice(b"\"rule\":");
    push_json_str(out, rule);
    out.extend_from_slice(b",\"span\":[");
    push_decimal(out, span.start);
    out.push(b',');
    push_decimal(out, span.end);
    out.push(b']');
}

/// `n` in decimal, without the formatting machinery (two numbers for every edit).
fn push_decimal(out: &mut Vec<u8>, mut n: usize) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[at..]);
}

/// `s` as a JSON string, escaped exactly as serde_json escapes it.
fn push_json_str(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    let bytes = s.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        // Eight bytes at a time: does any need escaping (a control byte, '"' or '\\')?
        if let Some(word) = swar::load(bytes, i)
            && !needs_escape(word)
        {
            i += 8;
            continue;
        }
        let b = bytes[i];
        let escape: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0x08 => b"\\b",
            0x0c => b"\\f",
            0x00..=0x1f => b"",
            _ => {
                i += 1;
                continue;
            }
        };
        out.extend_from_slice(&bytes[start..i]);
        if escape.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.extend_from_slice(b"\\u00");
            out.push(HEX[(b >> 4) as usize]);
            out.push(HEX[(b & 0xf) as usize]);
        } else {
            out.extend_from_slice(escape);
        }
        i += 1;
        start = i;
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

/// Does any byte of `word` need escaping in a JSON string: below 0x20, '"' or '\\'?
fn needs_escape(word: u64) -> bool {
    // A byte below 0x20: subtracting 0x20 borrows into its high bit (bytes of 0x80 and
    // above are excluded by `!word`).
    let below = word.wrapping_sub(splat(0x20)) & !word & HIGHS != 0;
    below || zero_bytes(word ^ splat(b'"')) != 0 || zero_bytes(word ^ splat(b'\\')) != 0
}

/// serde_json's message without its "at line 1 column N" tail, which counts within the line.
fn json_error(e: &serde_json::Error) -> String {
    let message = e.to_string();
    match message.rfind(" at line ") {
        Some(i) => format!("{} (column {})", &message[..i], e.column()),
        None => message,
    }
}

struct Written {
    failures: usize,
    /// The line whose error stopped the run, formatted `N: message`.
    stopped: Option<String>,
}

fn write_results(
    out: &mut impl Write,
    results: &[LineResult],
    first_line: u64,
    keep_going: bool,
) -> Result<Written, CliError> {
    let mut failures = 0;
    for (i, result) in results.iter().enumerate() {
        match result {
            Ok(bytes) => out.write_all(bytes).map_err(|e| CliError::io("<stdout>", e))?,
            Err(message) if keep_going => {
                failures += 1;
                let line = first_line + i as u64;
                let message = message.split_once(": ").map_or(message.as_str(), |(_, m)| m);
                let mut bytes = serde_json::to_vec(&ErrorLine { line, error: message }).unwrap_or_default();
                bytes.push(b'\n');
                out.write_all(&bytes).map_err(|e| CliError::io("<stdout>", e))?;
            }
            Err(message) => {
                return Ok(Written {
                    failures,
                    stopped: Some(message.clone()),
                });
            }
        }
    }
    Ok(Written {
        failures,
        stopped: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rewrite::{Edit, Flag};
    use std::sync::Arc;

    /// The shape of an output line, written by serde_json: what `write_output_line` must match.
    #[derive(Serialize)]
    struct OutputLine<'a> {
        id: &'a serde_json::Value,
        text: &'a str,
        edits: Vec<EditOut<'a>>,
        flags: Vec<FlagOut<'a>>,
    }

    #[derive(Serialize)]
    struct EditOut<'a> {
        rule: &'a str,
        span: [usize; 2],
        before: &'a str,
        after: &'a str,
    }

    #[derive(Serialize)]
    struct FlagOut<'a> {
        rule: &'a str,
        span: [usize; 2],
        text: &'a str,
    }

    fn by_serde(id: &serde_json::Value, r: &Rewritten) -> Vec<u8> {
        let line = OutputLine {
            id,
            text: &r.text,
            edits: r
                .edits
                .iter()
                .map(|e| EditOut {
                    rule: &e.rule,
                    span: [e.span.start, e.span.end],
                    before: &e.before,
                    after: &e.after,
                })
                .collect(),
            flags: r
                .flags
                .iter()
                .map(|f| FlagOut {
                    rule: &f.rule,
                    span: [f.span.start, f.span.end],
                    text: &f.text,
                })
                .collect(),
        };
        serde_json::to_vec(&line).unwrap()
    }

    #[test]
    fn output_lines_are_written_as_serde_json_writes_them() {
        let awkward = [
            "",
            "plain ascii text that is longer than eight bytes",
            "quote \" and backslash \\ in the middle of a long run",
            "\"\\\"\\",
            "controls \u{0}\u{1}\u{8}\u{9}\u{a}\u{b}\u{c}\u{d}\u{1f} and \u{7f} del",
            "tab\tnewline\ncarriage\r",
            "Zoë 王伟 — “quoted” \u{2028} ok",
            "exactly8",
            "1234567\"",
        ];
        for (i, text) in awkward.iter().enumerate() {
            let r = Rewritten {
                text: text.to_string(),
                edits: vec![Edit {
                    rule: Arc::from("names.full"),
                    span: 0..text.len(),
                    before: text.chars().rev().collect(),
                    after: format!("{text}\u{1}"),
                }],
                flags: if i % 2 == 0 {
                    vec![Flag {
                        rule: Arc::from("flags.age"),
                        span: if i == 4 { 10..usize::MAX } else { 3..12_345 },
                        text: text.to_string(),
                    }]
                } else {
                    Vec::new()
                },
            };
            let id = if i % 3 == 0 {
                serde_json::json!(i)
            } else {
                serde_json::json!({ "n": text })
            };
            let mut ours = Vec::new();
            write_output_line(&mut ours, &id, &r).unwrap();
            assert_eq!(
                String::from_utf8(ours).unwrap(),
                String::from_utf8(by_serde(&id, &r)).unwrap(),
                "text {text:?}"
            );
        }
    }
}
