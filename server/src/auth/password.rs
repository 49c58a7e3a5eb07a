//! argon2id password hashing. Both operations are CPU-heavy: call them from
//! `spawn_blocking` (the async wrappers here do).
//!
//! Each hash holds argon2's memory (19 MiB by default) while it runs. The async
//! wrappers let at most one hash per core run at once and queue the rest, so a burst of
//! sign-ups or log-ins costs time, not gigabytes (the blocking pool would otherwise run
//! hundreds side by side).

use std::sync::{LazyLock, OnceLock};

use tokio::sync::Semaphore;

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;

pub fn hash_blocking(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    let hash = Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map_err(|e| anyhow::anyhow!("hashing failed: {e}"))?;
    Ok(hash.to_string())
}

pub fn verify_blocking(password: &str, phc: &str) -> bool {
    match PasswordHash::new(phc) {
        Ok(parsed) => Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

/// A hash of a random secret, verified against when the email is unknown so that an
/// unknown account takes as long to refuse as a wrong password.
fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        let secret = hex::encode(rand::random::<[u8; 16]>());
        hash_blocking(&secret).unwrap_or_default()
    })
}

/// One argon2 run per core at a time.
static HASHING: LazyLock<Semaphore> = LazyLock::new(|| {
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    Semaphore::new(cores.max(1))
});

pub async fn hash(password: String) -> anyhow::Result<String> {
    let _turn = HASHING.acquire().await?;
    tokio::task::spawn_blocking(move || hash_blocking(&password)).await?
}

/// Verifies `password` against `phc`, or against the dummy hash when `phc` is `None`
/// (always `false` then).
pub async fn verify(password: String, phc: Option<String>) -> anyhow::Result<bool> {
    let _turn = HASHING.acquire().await?;
    Ok(tokio::task::spawn_blocking(move || match phc {
        Some(phc) => verify_blocking(&password, &phc),
        None => {
            verify_blocking(&password, dummy_hash());
            false
        }
    })
    .await?)
}

/// Computes the dummy hash ahead of the first unknown-email log-in.
pub async fn warm_up() {
    let _ = tokio::task::spawn_blocking(dummy_hash).await;
}
