//! The thin shells that speak to the outside: the command line, `serve`,
//! the stock-mdBook protocol and its launcher, `fix` and the browser overlay.

pub mod cli;
pub(crate) mod fix;
pub mod launcher;
pub mod mdbook_command;
pub(crate) mod overlay;
#[cfg(feature = "serve")]
pub mod serve;
