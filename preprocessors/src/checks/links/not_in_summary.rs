//! Links to Markdown files SUMMARY.md does not list: mdBook renders no page for them.

use crate::checks::rule::Model;
use crate::diagnostics::Diagnostics;

crate::checks::rule::rule! {
    check: check;
    LINKS_NOT_IN_SUMMARY = "links::not-in-summary", error: "a link to a Markdown file that `SUMMARY.md` does not list";
}

fn check(model: &Model<'_, '_>, out: &mut Diagnostics) -> anyhow::Result<()> {
    super::report_targets(model, out, LINKS_NOT_IN_SUMMARY, |_, problem| problem)
}
