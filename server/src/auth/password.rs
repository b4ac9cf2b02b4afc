//! Password hashing: Argon2id, the `argon2` crate (RustCrypto), PHC strings.
//!
//! Parameters: 19 MiB of memory, 2 passes, 1 lane — OWASP's first recommended setting for
//! Argon2id. Memory is what makes guessing on GPUs expensive; 19 MiB keeps a hash in the tens of
//! milliseconds on a small server core, and at most [`CONCURRENT`] run at once, so a burst of
//! sign-ins costs bounded memory and CPU. Hashing runs on the blocking pool, never on the async
//! workers.

use std::sync::LazyLock;
use std::time::Duration;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use tokio::sync::Semaphore;

use crate::error::ApiError;

/// Most password hashes computed at the same time.
const CONCURRENT: usize = 4;

static PERMITS: Semaphore = Semaphore::const_new(CONCURRENT);

fn argon2() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).expect("valid Argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// A hash of a password no one knows, verified when the email is unknown so that a sign-in for
/// an unknown email takes as long as one with a wrong password.
static DECOY: LazyLock<String> = LazyLock::new(|| {
    let (decoy, _) = super::secret::new_token("");
    hash_now(&decoy).expect("hashing works")
});

fn hash_now(password: &str) -> Result<String, argon2::password_hash::Error> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).expect("the operating system's random generator works");
    let salt = SaltString::encode_b64(&bytes)?;
    Ok(argon2()
        .hash_password(password.as_bytes(), &salt)?
        .to_string())
}

/// Computes the decoy hash now, so the first unknown-email sign-in is not slower than the rest.
pub async fn warm() {
    let _ = tokio::task::spawn_blocking(|| LazyLock::force(&DECOY)).await;
}

/// How long a request waits for a hashing slot before it is told to come back (`503 busy`), so
/// a flood of sign-ups or sign-ins queues no more than this much work.
const QUEUE_WAIT: Duration = Duration::from_secs(5);

async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, ApiError> {
    let _permit = tokio::time::timeout(QUEUE_WAIT, PERMITS.acquire())
        .await
        .map_err(|_| ApiError::Busy)?
        .map_err(|_| ApiError::Internal("password hashing stopped".into()))?;
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| ApiError::Internal(format!("password hashing failed: {e}")))
}

/// The PHC string to store for a new password.
pub async fn hash(password: String) -> Result<String, ApiError> {
    blocking(move || hash_now(&password))
        .await?
        .map_err(|e| ApiError::Internal(format!("password hashing failed: {e}")))
}

/// Whether `password` matches `stored`; with no stored hash (unknown email) the decoy is checked
/// and the answer is no.
pub async fn verify(password: String, stored: Option<String>) -> Result<bool, ApiError> {
    blocking(move || {
        let known = stored.is_some();
        let stored = stored.unwrap_or_else(|| DECOY.clone());
        let matches = PasswordHash::new(&stored).is_ok_and(|parsed| {
            argon2()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        });
        known && matches
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_its_password_only() {
        let stored = hash("correct horse battery".into()).await.unwrap();
        assert!(stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(
            verify("correct horse battery".into(), Some(stored.clone()))
                .await
                .unwrap()
        );
        assert!(
            !verify("wrong horse battery".into(), Some(stored))
                .await
                .unwrap()
        );
        assert!(!verify("anything".into(), None).await.unwrap());
    }
}
