//! The end-to-end tests, one module per concern, linked into one test
//! binary: each separate binary linked every dependency again, which cost
//! minutes of linking and gigabytes of disk on a clean build.
//!
//! Run one concern with `cargo test -p responder-docs-tests --test all <module>::`.

mod a11y_browser;
mod arch_selector_browser;
mod aws;
mod aws_deployer;
mod aws_replacement;
mod aws_run_paths;
mod aws_stacks;
mod browser;
mod cli;
mod codes;
mod docs;
mod fix;
mod guide;
mod guide_runs;
mod guide_site;
mod image_uri;
mod includes;
mod layers;
mod layout_browser;
mod links;
mod links_online;
mod mdbook_command;
mod parallel;
mod policy_book;
mod policy_lint;
mod policy_props;
mod policy_quota;
mod procedures;
mod public_books;
mod readme;
mod reads;
mod sarif;
mod scanner_props;
mod security;
mod serve;
mod serve_incremental;
mod spelling;
mod stock_mdbook;
