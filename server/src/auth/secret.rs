//! The random tokens clients hold (session cookies, API tokens, share links, invites).
//!
//! Each is 256 bits from the operating system's generator, written as URL-safe base64 behind a
//! short prefix that says what it is (`twp_` a personal token, `tws_` a share link, `twi_` an
//! invite; session cookies have none). The server keeps only the SHA-256 of a token: with that
//! much randomness a fast hash cannot be reversed, and a lookup by hash needs no comparison in
//! constant time (the hash of a guess says nothing about the stored one).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};

pub const PERSONAL: &str = "twp_";
pub const LINK: &str = "tws_";
pub const INVITE: &str = "twi_";

/// A new token with `prefix`, and the hash to store.
pub fn new_token(prefix: &str) -> (String, Vec<u8>) {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the operating system's random generator works");
    let token = format!("{prefix}{}", URL_SAFE_NO_PAD.encode(bytes));
    let hash = hash(&token);
    (token, hash)
}

/// The stored form of a token.
pub fn hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// `text` with every token in it cut to its prefix, for logs: share links and invites travel in
/// URLs (`/s/tws_…`, `?invite=twi_…`), and an access log must not keep what the database does not.
pub fn redacted(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = [PERSONAL, LINK, INVITE]
        .iter()
        .filter_map(|prefix| rest.find(prefix).map(|i| (i, prefix.len())))
        .min()
    {
        let (start, len) = at;
        out.push_str(&rest[..start + len]);
        out.push('…');
        rest = &rest[start + len..];
        let end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
            .unwrap_or(rest.len());
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_cut_out_of_logged_urls() {
        let (link, _) = new_token(LINK);
        let (invite, _) = new_token(INVITE);
        assert_eq!(redacted(&format!("/s/{link}")), "/s/tws_…");
        assert_eq!(
            redacted(&format!("/api/links/{link}/join?x=1")),
            "/api/links/tws_…/join?x=1"
        );
        assert_eq!(
            redacted(&format!("/signup?invite={invite}&next=/")),
            "/signup?invite=twi_…&next=/"
        );
        assert_eq!(redacted("/api/diagrams"), "/api/diagrams");
    }

    #[test]
    fn tokens_are_long_distinct_and_hashed() {
        let (a, hash_a) = new_token(LINK);
        let (b, _) = new_token(LINK);
        assert_ne!(a, b);
        assert!(a.starts_with(LINK) && a.len() == LINK.len() + 43);
        assert_eq!(hash_a, hash(&a));
        assert_eq!(hash_a.len(), 32);
    }
}
