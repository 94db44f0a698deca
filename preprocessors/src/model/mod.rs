//! The model of the book, read once: its settings, the one read primitive
//! and its confinement, the parsed chapters and everything the checks ask
//! about. Nothing here knows a check, the pipeline or a command.

pub mod book_root;
pub mod by_root;
pub mod chapters;
pub mod code_blocks;
pub mod config;
pub mod directive;
pub mod html;
pub mod json;
pub mod kept_texts;
pub mod markdown;
pub mod ordered_lists;
pub mod origin;
pub mod outline;
pub mod page;
pub mod parallel;
pub mod pass;
pub mod paths;
pub mod reach;
pub mod release;
pub mod run_paths;
pub mod sandbox;
