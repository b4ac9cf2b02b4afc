//! People and access: who is asking (`caller`), what each route lets them do (`access`), the
//! pages' rules (`pages`), same-origin and host checks (`origin`), and the secrets involved
//! (`password`, `secret`, `cookie`).

pub mod access;
pub mod caller;
pub mod cookie;
pub mod origin;
pub mod pages;
pub mod password;
pub mod secret;

use std::time::Duration;

pub use access::{Access, Grant};
pub use caller::Caller;
pub use origin::HostPolicy;

/// Who may create an account.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Signup {
    /// Anyone who reaches the server.
    #[default]
    Open,
    /// Only people holding an invite from an administrator or a diagram owner (and the very
    /// first account).
    Invite,
}

/// The server's settings for accounts and access.
#[derive(Debug, Clone)]
pub struct AuthSettings {
    pub signup: Signup,
    /// A session unused this long ends.
    pub session_idle: Duration,
    /// The origin people reach the server at (`https://erd.example.com`), from `--public-url`.
    pub public_url: Option<String>,
    /// Which hosts are answered; unset, `serve` decides by the address it listens on.
    pub host: Option<HostPolicy>,
}

impl Default for AuthSettings {
    fn default() -> Self {
        Self {
            signup: Signup::Open,
            session_idle: Duration::from_secs(30 * 24 * 3600),
            public_url: None,
            host: None,
        }
    }
}
