//! Links with no destination (`[later]()`): on a page they lead back to the page itself.

use crate::checks::rule::Model;
use crate::diagnostics::Diagnostics;

crate::checks::rule::rule! {
    check: check;
    LINKS_EMPTY_LINK = "links::empty-link", warning: "a link with no destination, such as a `[later]()` placeholder (a warning: it leads back to its own page)";
}

fn check(model: &Model<'_, '_>, out: &mut Diagnostics) -> anyhow::Result<()> {
    super::report_targets(model, out, LINKS_EMPTY_LINK, |_, problem| problem)
}
