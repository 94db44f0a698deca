//! Links to a chapter's `README.md`, which mdBook publishes as `index.html`.

use crate::checks::rule::Model;
use crate::diagnostics::Diagnostics;

crate::checks::rule::rule! {
    check: check;
    LINKS_README_LINK = "links::readme-link", error: "a link to `README.md`, which mdBook renames to `index.html`";
}

fn check(model: &Model<'_, '_>, out: &mut Diagnostics) -> anyhow::Result<()> {
    super::report_targets(model, out, LINKS_README_LINK, |_, problem| problem)
}
