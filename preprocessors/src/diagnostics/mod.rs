//! One diagnostic model for every validator: a stable code, a repo-relative
//! `path:line:col`, the offending source line, a hint, and three renderings
//! (human, GitHub annotations, JSON, SARIF).

pub mod codes;
pub mod collect;
pub mod location;
pub mod model;
pub mod phases;
pub mod render;
pub mod sarif;
pub mod suggest;

pub use codes::Code;
pub use collect::*;
pub use model::*;
pub use render::*;

#[cfg(test)]
mod tests;
