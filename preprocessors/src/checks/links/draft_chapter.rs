//! Links to draft chapters: a draft has no page until SUMMARY.md gives it a file.

use crate::checks::rule::Model;
use crate::diagnostics::Diagnostics;

crate::checks::rule::rule! {
    check: check;
    LINKS_DRAFT_CHAPTER = "links::draft-chapter", error: "a link to a draft chapter, which has no page";
}

fn check(model: &Model<'_, '_>, out: &mut Diagnostics) -> anyhow::Result<()> {
    super::report_targets(model, out, LINKS_DRAFT_CHAPTER, |_, problem| problem)
}
