//! The checks: each area's rules, functions of the model that return
//! problems. They may use the model and the diagnostics, never the
//! pipeline or a command.

pub mod aws;
pub mod image_uri;
pub mod links;
pub mod policy;
pub mod procedures;
pub(crate) mod render_paths;
pub(crate) mod rule;
pub(crate) mod sources;
