//! Preprocessors and validators for the ResponderAPI deployment guide, an
//! mdBook 0.5 book. Each pass is a plain [`model::pass::Pass`], run in the
//! one order of [`pipeline::steps::steps`]; the logic lives in pure
//! functions over the model, and thin shells speak the mdBook protocol.
//!
//! The folders are the layers, each using only those below it (a test,
//! `tests/tests/all/layers.rs`, holds it): `diagnostics` (problems, their
//! locations and how they are shown), `model` (the book read once),
//! `checks`, `pipeline` (the one order of the passes, the build) and
//! `shells` (the command line, `serve`, the stock-mdBook protocol).

pub mod checks;
pub mod diagnostics;
pub mod model;
pub mod pipeline;
pub mod shells;

use model::pass::Pass;

/// Every directive pass, in the one order they run (procedures first: a
/// procedure may hold the other passes' directives).
pub(crate) fn passes() -> Vec<Box<dyn Pass>> {
    vec![
        Box::new(checks::procedures::Procedure),
        Box::new(checks::policy::IamPolicy),
        Box::new(checks::image_uri::ImageUri),
    ]
}
