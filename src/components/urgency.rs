//! Urgency tiers in the app (issue #7): the composer's picker and the badges, the
//! shell's inbox state and Critical ring, the focus digest, escalation to a call and
//! "deliver later". Pure rules live in `*_rules.rs` / `countdown.rs` with native tests.

pub mod alerts;
pub mod badge;
pub mod context;
pub mod countdown;
pub mod critical_ring;
pub mod deliver;
pub mod deliver_dialog;
pub mod deliver_rules;
pub mod deliver_time;
pub mod escalate;
pub mod focus_digest;
pub mod links;
pub mod picker;
pub mod ring_rules;
pub mod sla_settings;
pub mod tone;

pub use alerts::UrgencyAlerts;
pub use badge::UrgencyBadge;
pub use context::{provide_urgency_context, use_urgency};
pub use escalate::EscalateButton;
pub use picker::UrgencySelect;
