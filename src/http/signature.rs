//! Is this request from Discord, and fresh? Discord signs every interaction it POSTs with the
//! application's Ed25519 key: the signature (`X-Signature-Ed25519`, hex) covers the timestamp
//! (`X-Signature-Timestamp`, Unix seconds) followed by the raw body. serenity's [`Verifier`]
//! checks the signature; this module adds the replay window, since a signed request recorded
//! once must not be accepted again later.
//!
//! [`precheck`] is what can be known before the body is read (headers there, shaped right,
//! fresh), so that the endpoint buffers no body for a request that cannot be Discord's.
//!
//! The outcome is a yes or no for the client (401 and nothing more); the reason is kept for the
//! debug log only.

use serenity::interactions_endpoint::Verifier;

pub const SIGNATURE_HEADER: &str = "x-signature-ed25519";
pub const TIMESTAMP_HEADER: &str = "x-signature-timestamp";

/// How far a request's timestamp may be from the server's clock, either way.
pub const MAX_SKEW_SECONDS: i64 = 5 * 60;

/// Why a request was refused (logged at debug, never sent).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("no {SIGNATURE_HEADER} header")]
    NoSignature,
    #[error("no {TIMESTAMP_HEADER} header")]
    NoTimestamp,
    #[error("the signature does not match the body and timestamp")]
    BadSignature,
    #[error("the timestamp is not a number of seconds")]
    BadTimestamp,
    #[error("the timestamp is {0} s away from now (replay?)")]
    Stale(i64),
}

/// Checks the signature over `timestamp` + `body`, then that the timestamp is within
/// [`MAX_SKEW_SECONDS`] of `now` (Unix seconds).
pub fn check(
    verifier: &Verifier,
    signature: Option<&str>,
    timestamp: Option<&str>,
    body: &[u8],
    now: i64,
) -> Result<(), Refusal> {
    precheck(signature, timestamp, now)?;
    let (Some(signature), Some(timestamp)) = (signature, timestamp) else {
        // precheck refused both cases already; kept as an error, never a panic.
        return Err(Refusal::NoSignature);
    };
    verifier
        .verify(signature, timestamp, body)
        .map_err(|()| Refusal::BadSignature)
}

/// What can be checked before the body is read: both headers are there, the signature has the
/// shape of one (128 hex digits) and the timestamp is fresh. A request that fails here is
/// refused without buffering a byte of its body.
pub fn precheck(signature: Option<&str>, timestamp: Option<&str>, now: i64) -> Result<(), Refusal> {
    let signature = signature.ok_or(Refusal::NoSignature)?;
    let timestamp = timestamp.ok_or(Refusal::NoTimestamp)?;
    if signature.len() != 128 || !signature.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(Refusal::BadSignature);
    }
    let sent: i64 = timestamp.parse().map_err(|_| Refusal::BadTimestamp)?;
    let skew = now.saturating_sub(sent);
    if skew.checked_abs().is_none_or(|s| s > MAX_SKEW_SECONDS) {
        return Err(Refusal::Stale(skew));
    }
    Ok(())
}

/// The system clock in Unix seconds (0 if it is set before 1970).
pub fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ed25519_dalek::{Signer, SigningKey};

    fn key() -> (SigningKey, Verifier) {
        let signing = SigningKey::from_bytes(&[7; 32]);
        let verifier = Verifier::try_new(signing.verifying_key().to_bytes()).unwrap();
        (signing, verifier)
    }

    fn sign(key: &SigningKey, timestamp: &str, body: &[u8]) -> String {
        let message = [timestamp.as_bytes(), body].concat();
        key.sign(&message)
            .to_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    #[test]
    fn accepts_a_fresh_signed_request() {
        let (signing, verifier) = key();
        let signature = sign(&signing, "1000", b"{}");
        for now in [1000, 1000 - MAX_SKEW_SECONDS, 1000 + MAX_SKEW_SECONDS] {
            assert_eq!(
                check(&verifier, Some(&signature), Some("1000"), b"{}", now),
                Ok(())
            );
        }
    }

    #[test]
    fn refuses_anything_else() {
        let (signing, verifier) = key();
        let signature = sign(&signing, "1000", b"{}");
        let check = |signature: Option<&str>, timestamp: Option<&str>, body: &[u8], now| {
            check(&verifier, signature, timestamp, body, now)
        };
        assert_eq!(
            check(None, Some("1000"), b"{}", 1000),
            Err(Refusal::NoSignature)
        );
        assert_eq!(
            check(Some(&signature), None, b"{}", 1000),
            Err(Refusal::NoTimestamp)
        );
        assert_eq!(
            check(Some(&signature), Some("1000"), b"{ }", 1000),
            Err(Refusal::BadSignature)
        );
        assert_eq!(
            check(Some(&signature), Some("1001"), b"{}", 1000),
            Err(Refusal::BadSignature)
        );
        assert_eq!(
            check(Some("zz"), Some("1000"), b"{}", 1000),
            Err(Refusal::BadSignature)
        );
        assert_eq!(
            check(
                Some(&signature),
                Some("1000"),
                b"{}",
                1000 + MAX_SKEW_SECONDS + 1
            ),
            Err(Refusal::Stale(MAX_SKEW_SECONDS + 1))
        );
        assert_eq!(
            check(
                Some(&signature),
                Some("1000"),
                b"{}",
                1000 - MAX_SKEW_SECONDS - 1
            ),
            Err(Refusal::Stale(-MAX_SKEW_SECONDS - 1))
        );
        let odd = sign(&signing, "soon", b"{}");
        assert_eq!(
            check(Some(&odd), Some("soon"), b"{}", 1000),
            Err(Refusal::BadTimestamp)
        );
        // The shape and the freshness are known before the body is read.
        assert_eq!(precheck(Some(&signature), Some("1000"), 1000), Ok(()));
        assert_eq!(
            precheck(Some(&"ab".repeat(63)), Some("1000"), 1000),
            Err(Refusal::BadSignature)
        );
        assert_eq!(
            precheck(Some(&"zz".repeat(64)), Some("1000"), 1000),
            Err(Refusal::BadSignature)
        );
        assert_eq!(
            precheck(Some(&signature), Some("1000"), 2000),
            Err(Refusal::Stale(1000))
        );
        let ancient = sign(&signing, "-9223372036854775808", b"{}");
        assert!(matches!(
            check(
                Some(&ancient),
                Some("-9223372036854775808"),
                b"{}",
                i64::MAX
            ),
            Err(Refusal::Stale(_))
        ));
    }
}
