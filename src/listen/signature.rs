//! `X-CodeSignal-Signature`: lowercase hex HMAC-SHA256, keyed with the webhook's secret, over
//! the configured endpoint URL, the event name and the decimal `triggeredOn`, concatenated.

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

fn mac(secret: &[u8], endpoint_url: &str, event: &str, triggered_on: &str) -> Hmac<Sha256> {
    // HMAC takes keys of any length.
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(secret).unwrap_or_else(|_| unreachable!());
    mac.update(endpoint_url.as_bytes());
    mac.update(event.as_bytes());
    mac.update(triggered_on.as_bytes());
    mac
}

/// The signature CodeSignal sends for this event.
pub fn sign(secret: &[u8], endpoint_url: &str, event: &str, triggered_on: &str) -> String {
    mac(secret, endpoint_url, event, triggered_on)
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Does `header` hold the right signature? Compared in constant time.
pub fn verify(secret: &[u8], endpoint_url: &str, event: &str, triggered_on: &str, header: &str) -> bool {
    let header = header.trim();
    if header.len() != 64 || !header.bytes().all(|b| b.is_ascii_hexdigit()) {
        return false;
    }
    let Some(bytes) = (0..64)
        .step_by(2)
        .map(|i| u8::from_str_radix(header.get(i..i + 2)?, 16).ok())
        .collect::<Option<Vec<u8>>>()
    else {
        return false;
    };
    mac(secret, endpoint_url, event, triggered_on)
        .verify_slice(&bytes)
        .is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    // From Python's hmac module:
    // hmac.new(b"whsec-test", b"https://hooks.example.com/codesignal" b"liveInterviewFinished"
    //          b"1700000000000", hashlib.sha256).hexdigest()
    const VECTOR: &str = "3c92bf0d0b79944b540d354231edcfb2b65ccbd848a38431dc8db908cb143698";

    #[test]
    fn matches_an_independent_computation() {
        let url = "https://hooks.example.com/codesignal";
        assert_eq!(
            sign(b"whsec-test", url, "liveInterviewFinished", "1700000000000"),
            VECTOR
        );
        assert!(verify(
            b"whsec-test",
            url,
            "liveInterviewFinished",
            "1700000000000",
            VECTOR
        ));
        assert!(verify(
            b"whsec-test",
            url,
            "liveInterviewFinished",
            "1700000000000",
            &VECTOR.to_uppercase()
        ));
    }

    #[test]
    fn any_change_breaks_it() {
        let url = "https://hooks.example.com/codesignal";
        let ok = |secret: &[u8], url: &str, event: &str, at: &str| verify(secret, url, event, at, VECTOR);
        assert!(!ok(b"whsec-other", url, "liveInterviewFinished", "1700000000000"));
        assert!(!ok(
            b"whsec-test",
            "https://hooks.example.com/codesignal/",
            "liveInterviewFinished",
            "1700000000000"
        ));
        assert!(!ok(b"whsec-test", url, "liveInterviewFeedbackUpdated", "1700000000000"));
        assert!(!ok(b"whsec-test", url, "liveInterviewFinished", "1700000000001"));
        assert!(!verify(
            b"whsec-test",
            url,
            "liveInterviewFinished",
            "1700000000000",
            "zz"
        ));
        assert!(!verify(
            b"whsec-test",
            url,
            "liveInterviewFinished",
            "1700000000000",
            ""
        ));
    }
}
