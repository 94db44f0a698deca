//! Links that leave the book altogether.

use crate::checks::rule::Model;
use crate::diagnostics::Diagnostics;

crate::checks::rule::rule! {
    check: check;
    LINKS_OUTSIDE_BOOK = "links::outside-book", error: "a link or include that leaves the book";
}

fn check(model: &Model<'_, '_>, out: &mut Diagnostics) -> anyhow::Result<()> {
    super::report_targets(model, out, LINKS_OUTSIDE_BOOK, |_, problem| problem)
}
