//! The first-run setup code. A server that starts with no accounts would otherwise make
//! whoever reaches it first the admin; instead it prints a one-time code on its console
//! (or takes `--setup-code`), and the first sign-up must send it. Once any account
//! exists the code is void.
//!
//! Codes are compared through their SHA-256 digests, so the comparison time says
//! nothing about the code. The code itself stays in memory only (it is on the console
//! anyway) so an embedding program or a test harness can read it with `armed`.

use std::sync::Mutex;

use rand::Rng;
use sha2::{Digest, Sha256};

/// Generated codes: 16 characters from an alphabet without look-alikes (no 0/O, 1/I/L,
/// U), about 80 bits, shown in groups of four.
const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTVWXYZ";
const GENERATED_CHARS: usize = 16;
/// A configured code shorter than this would be guessable.
pub const MIN_CONFIGURED_CHARS: usize = 8;

#[derive(Default)]
pub struct SetupCode(Mutex<Option<String>>);

/// Case, spaces and dashes do not matter when typing the code.
fn digest(code: &str) -> [u8; 32] {
    let normal: String = code
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .flat_map(char::to_uppercase)
        .collect();
    Sha256::digest(normal.as_bytes()).into()
}

pub fn generate() -> String {
    let mut rng = rand::thread_rng();
    let chars: Vec<char> = (0..GENERATED_CHARS)
        .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
        .collect();
    chars
        .chunks(4)
        .map(|group| group.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

impl SetupCode {
    /// Arms the code (the server has no accounts yet).
    pub fn arm(&self, code: &str) {
        *self.lock() = Some(code.to_string());
    }

    /// The code the first sign-up must send, while there is one.
    pub fn armed(&self) -> Option<String> {
        self.lock().clone()
    }

    /// Whether `given` is the armed code. `false` when none is armed: a server that
    /// somehow has no accounts and no code refuses rather than trusting the first comer.
    pub fn matches(&self, given: Option<&str>) -> bool {
        let Some(given) = given else { return false };
        matches!(&*self.lock(), Some(armed) if digest(armed) == digest(given))
    }

    /// Voids the code (the first account now exists).
    pub fn void(&self) {
        *self.lock() = None;
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<String>> {
        // A panic while holding this lock cannot leave the Option half-written.
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// The console banner; printed on stdout so `make run` (the binary in the
/// foreground) shows it whatever the log level. A configured code is not echoed: its
/// owner knows it, and logs are often kept.
pub fn banner(generated: Option<&str>) -> String {
    let rule = "=".repeat(68);
    let how = match generated {
        Some(code) => format!(
            "this one-time setup code:\n\n      {code}\n\n  \
             (It changes on every restart until the first account exists.)"
        ),
        None => "the setup code given with --setup-code / TANDEM_SETUP_CODE.".to_string(),
    };
    format!(
        "\n{rule}\n  This Tandem server has no accounts yet. The first person to sign up\n  \
         becomes the workspace admin and must enter {how}\n{rule}\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_codes_are_grouped_and_random() {
        let (a, b) = (generate(), generate());
        assert_eq!(a.len(), 19);
        assert_eq!(a.matches('-').count(), 3);
        assert_ne!(a, b);
    }

    #[test]
    fn matching_ignores_case_spaces_and_dashes_and_voids() {
        let code = SetupCode::default();
        assert!(!code.matches(Some("ABCD-EFGH")), "nothing armed");
        code.arm("ABCD-EFGH-JKMN-PQRS");
        assert!(code.matches(Some(" abcd efgh-jkmn pqrs ")));
        assert!(!code.matches(Some("ABCD-EFGH-JKMN-PQRT")));
        assert!(!code.matches(None));
        assert_eq!(code.armed().as_deref(), Some("ABCD-EFGH-JKMN-PQRS"));
        code.void();
        assert!(!code.matches(Some("ABCD-EFGH-JKMN-PQRS")));
        assert_eq!(code.armed(), None);
    }
}
