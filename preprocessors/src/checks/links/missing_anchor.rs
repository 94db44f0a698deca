//! `#fragment`s that name no heading or `id` on their page: the hint lists
//! the closest ids, and a fix writes the one id that is close.

use crate::checks::rule::Model;
use crate::diagnostics::Diagnostics;

crate::checks::rule::rule! {
    check: check;
    LINKS_MISSING_ANCHOR = "links::missing-anchor", error: "a `#fragment` that names no heading or `id` on its page";
}

fn check(model: &Model<'_, '_>, out: &mut Diagnostics) -> anyhow::Result<()> {
    super::report_targets(model, out, LINKS_MISSING_ANCHOR, |_, problem| problem)
}
