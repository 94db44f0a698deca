//! One diagnostic model for every validator: a stable code, a repo-relative
//! `path:line:col`, the offending source line, a hint, and three renderings
//! (human, GitHub annotations, JSON, SARIF).

pub mod codes;
pub(crate) mod collect;
pub mod location;
pub(crate) mod model;
pub(crate) mod phases;
pub(crate) mod render;
pub(crate) mod sarif;
pub(crate) mod suggest;

pub use codes::Code;
pub use collect::*;
pub use model::Severity;
pub(crate) use model::*;
pub(crate) use render::*;

#[cfg(test)]
mod tests;
