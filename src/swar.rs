//! Eight bytes of text at a time, as one `u64`: the loops that find where a word or a run of
//! plain bytes ends read most words in one step this way.

/// The high bit of every byte.
pub(crate) const HIGHS: u64 = 0x8080_8080_8080_8080;

/// `b` in every byte.
pub(crate) const fn splat(b: u8) -> u64 {
    0x0101_0101_0101_0101 * b as u64
}

/// The eight bytes from `at`, the first in the lowest byte, if there are eight.
#[inline]
pub(crate) fn load(bytes: &[u8], at: usize) -> Option<u64> {
    let chunk: [u8; 8] = bytes.get(at..at + 8)?.try_into().ok()?;
    Some(u64::from_le_bytes(chunk))
}

/// The high bit of each zero byte of `x`. The lowest is exact; one above a zero byte may be
/// set by its borrow, so only "any" and "the lowest" may be read from the result.
#[inline]
pub(crate) fn zero_bytes(x: u64) -> u64 {
    x.wrapping_sub(splat(1)) & !x & HIGHS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lowest_zero_byte_and_whether_any() {
        let x = load(b"ab\0d\0fgh", 0).expect("eight bytes");
        assert_eq!(zero_bytes(x).trailing_zeros() / 8, 2);
        assert_eq!(zero_bytes(load(b"abcdefgh", 0).expect("eight bytes")), 0);
        assert_eq!(load(b"abcdefg", 0), None);
        assert_eq!(load(b"xabcdefgh", 1), load(b"abcdefgh", 0));
    }
}
