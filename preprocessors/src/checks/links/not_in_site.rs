//! Links to files outside `src/` but inside the book: mdBook publishes only `src/`.

use crate::checks::rule::Model;
use crate::diagnostics::Diagnostics;

crate::checks::rule::rule! {
    check: check;
    LINKS_NOT_IN_SITE = "links::not-in-site", error: "a link to a file outside `src/`, which is not published with the site";
}

fn check(model: &Model<'_, '_>, out: &mut Diagnostics) -> anyhow::Result<()> {
    super::report_targets(model, out, LINKS_NOT_IN_SITE, |_, problem| problem)
}
