//! A buffered reader that lets only UTF-8 through: the JSON decoder reads from it, and the
//! first byte that is not UTF-8 (or a character the file cuts short) stops the read with
//! its offset in the file, rather than a decoder's "invalid unicode code point" somewhere.

use std::fmt;
use std::io::{self, BufRead, Read};

/// The input stops being UTF-8 at this byte (counted from 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotUtf8 {
    pub byte: u64,
}

impl fmt::Display for NotUtf8 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "not UTF-8 (at byte {})", self.byte)
    }
}

impl std::error::Error for NotUtf8 {}

impl NotUtf8 {
    /// The offset, if this I/O error is one a [`Utf8Reader`] raised.
    pub fn in_error(error: &io::Error) -> Option<NotUtf8> {
        error.get_ref()?.downcast_ref::<NotUtf8>().copied()
    }
}

pub struct Utf8Reader<R> {
    inner: R,
    buf: Box<[u8]>,
    /// Handed out up to here.
    start: usize,
    /// `buf[..checked]` is whole UTF-8 characters.
    checked: usize,
    /// Read up to here; `buf[checked..end]` is a character the last read cut short.
    end: usize,
    /// Bytes of the input before `buf[0]`.
    offset: u64,
    /// Where the input stops being UTF-8, once found: what comes before is handed out first.
    invalid_at: Option<u64>,
}

impl<R: Read> Utf8Reader<R> {
    pub fn with_capacity(capacity: usize, inner: R) -> Utf8Reader<R> {
        Utf8Reader {
            inner,
            // A character is at most 4 bytes: room for one cut short and more.
            buf: vec![0; capacity.max(8)].into_boxed_slice(),
            start: 0,
            checked: 0,
            end: 0,
            offset: 0,
            invalid_at: None,
        }
    }

    /// Read until there is checked text to hand out, or the input ends.
    fn refill(&mut self) -> io::Result<()> {
        if let Some(byte) = self.invalid_at {
            return Err(io::Error::new(io::ErrorKind::InvalidData, NotUtf8 { byte }));
        }
        self.buf.copy_within(self.checked..self.end, 0);
        self.offset += self.checked as u64;
        self.end -= self.checked;
        self.start = 0;
        self.checked = 0;
        loop {
            let n = match self.inner.read(&mut self.buf[self.end..]) {
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            self.end += n;
            match std::str::from_utf8(&self.buf[self.checked..self.end]) {
                Ok(_) => self.checked = self.end,
                Err(e) => {
                    self.checked += e.valid_up_to();
                    // A bad byte, or the input ending inside a character.
                    if e.error_len().is_some() || n == 0 {
                        let byte = self.offset + self.checked as u64;
                        if self.checked == 0 {
                            return Err(io::Error::new(io::ErrorKind::InvalidData, NotUtf8 { byte }));
                        }
                        self.invalid_at = Some(byte);
                    }
                }
            }
            if self.checked > 0 || n == 0 {
                return Ok(());
            }
        }
    }
}

impl<R: Read> BufRead for Utf8Reader<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.start == self.checked {
            self.refill()?;
        }
        Ok(&self.buf[self.start..self.checked])
    }

    fn consume(&mut self, amount: usize) {
        self.start = (self.start + amount).min(self.checked);
    }
}

impl<R: Read> Read for Utf8Reader<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(out.len());
        out[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Hands out its bytes a few at a time, cutting characters.
    struct Trickle<'a>(&'a [u8], usize);

    impl Read for Trickle<'_> {
        fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
            let n = self.0.len().min(out.len()).min(self.1);
            out[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    fn read_all(bytes: &[u8], step: usize, capacity: usize) -> Result<Vec<u8>, Option<NotUtf8>> {
        let mut out = Vec::new();
        Utf8Reader::with_capacity(capacity, Trickle(bytes, step))
            .read_to_end(&mut out)
            .map(|_| out)
            .map_err(|e| NotUtf8::in_error(&e))
    }

    #[test]
    fn utf8_passes_whole_however_it_is_cut() {
        let text = "José Núñez — 李小龙 👍 done".as_bytes();
        for step in 1..6 {
            for capacity in [8, 9, 13, 64] {
                assert_eq!(
                    read_all(text, step, capacity).unwrap(),
                    text,
                    "step {step}, capacity {capacity}"
                );
            }
        }
    }

    #[test]
    fn the_first_bad_byte_is_named_by_its_offset() {
        let mut bytes = "[\"José\", \"".as_bytes().to_vec();
        let at = bytes.len() as u64;
        bytes.extend_from_slice(b"\xff\"]");
        for step in [1, 3, 100] {
            assert_eq!(
                read_all(&bytes, step, 8),
                Err(Some(NotUtf8 { byte: at })),
                "step {step}"
            );
        }
        // A character cut short by the end of the file.
        assert_eq!(read_all(b"ab\xe2\x80", 2, 8), Err(Some(NotUtf8 { byte: 2 })));
    }
}
