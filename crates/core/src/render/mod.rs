//! Renderers: one per output format (text for terminals, Google Workspace card JSON), each a pure function of a [`crate::Report`].
//!
//! Rendering is kept apart from findings (findings are data; words for a particular medium are
//! made here). The canonical JSON is [`crate::to_json`]; this module holds the others.
//! Every renderer treats strings inside the report as attacker-controlled: subjects, names and
//! evidence come straight from the message.

pub mod card;
pub mod text;

pub use card::{CardOptions, ReportAction, card};
pub use text::text;
