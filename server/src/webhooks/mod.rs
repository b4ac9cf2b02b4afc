//! Webhooks: outside systems told of a diagram's changes as they happen, signed as the Standard
//! Webhooks specification says. The outbox is in the database (`db::webhooks`), written with
//! the change; [`deliver`] sends what is due, retrying with backoff.

mod deliver;
pub mod payload;
pub mod sign;
pub mod target;

use std::time::Duration;

pub use deliver::run;

/// How deliveries are made.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Whether targets on loopback, private and link-local addresses are allowed
    /// (`--webhook-allow-private`).
    pub allow_private: bool,
    /// The first retry's delay; each later one doubles, up to `max_delay`.
    pub first_delay: Duration,
    pub max_delay: Duration,
    /// The share of a delay that is random, either way (0.2: 80 % to 120 %), so that webhooks
    /// failing together do not retry together.
    pub jitter: f64,
    /// How long a delivery is retried before it fails and its webhook is turned off.
    pub give_up_after: Duration,
    /// How long the receiver has to answer.
    pub timeout: Duration,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            allow_private: false,
            first_delay: Duration::from_secs(5),
            max_delay: Duration::from_secs(3600),
            jitter: 0.2,
            give_up_after: Duration::from_secs(24 * 3600),
            timeout: Duration::from_secs(10),
        }
    }
}
