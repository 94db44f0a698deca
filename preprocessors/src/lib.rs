//! Preprocessors and validators for the ResponderAPI deployment guide, an
//! mdBook 0.5 book. Each pass is a plain [`pass::Pass`], run in the one order
//! of [`steps::steps`]; the logic lives in
//! pure functions over text, and thin shells speak the mdBook protocol.

pub mod aws;
pub mod book_root;
pub mod by_root;
pub mod chapters;
pub mod cli;
pub mod code_blocks;
pub mod config;
pub mod destination;
pub mod diagnostics;
pub mod directive;
pub mod fix;
pub mod html;
pub mod image_uri;
pub mod incremental;
pub mod json;
pub mod kept_texts;
pub mod launcher;
pub mod links;
pub mod location;
pub mod markdown;
pub mod mdbook_command;
pub mod ordered_lists;
pub mod origin;
pub mod outline;
pub mod overlay;
pub mod page;
pub mod parallel;
pub mod pass;
pub mod paths;
pub mod phases;
pub mod pipeline;
pub mod policy;
pub mod procedures;
pub mod reach;
pub mod release;
pub mod render_paths;
pub mod run_paths;
pub mod sandbox;
#[cfg(feature = "serve")]
pub mod serve;
pub mod sources;
pub mod steps;
pub mod suggest;
pub mod validate;

use pass::Pass;

/// Every directive pass, in the one order they run (procedures first: a
/// procedure may hold the other passes' directives).
pub fn passes() -> Vec<Box<dyn Pass>> {
    vec![
        Box::new(procedures::Procedure),
        Box::new(policy::IamPolicy),
        Box::new(image_uri::ImageUri),
    ]
}
