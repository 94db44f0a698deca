//! The model of the book, read once: its settings, the one read primitive
//! and its confinement, the parsed chapters and everything the checks ask
//! about. Nothing here knows a check, the pipeline or a command.

pub mod book_root;
pub(crate) mod by_root;
pub mod chapters;
pub mod code_blocks;
pub(crate) mod config;
pub mod directive;
pub(crate) mod html;
pub(crate) mod inputs;
pub mod json;
pub mod kept_texts;
pub mod markdown;
pub mod ordered_lists;
pub mod origin;
pub(crate) mod outline;
pub mod page;
pub mod parallel;
pub(crate) mod pass;
pub mod paths;
pub(crate) mod reach;
pub(crate) mod release;
pub mod run_paths;
pub mod sandbox;
