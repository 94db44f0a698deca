//! Links and images to files that do not exist.

use crate::checks::rule::Model;
use crate::diagnostics::Diagnostics;
use crate::model::page::LinkKind;

crate::checks::rule::rule! {
    check: check;
    LINKS_MISSING_FILE = "links::missing-file", error: "a link or image to a file that does not exist";
}

fn check(model: &Model<'_, '_>, out: &mut Diagnostics) -> anyhow::Result<()> {
    super::report_targets(model, out, LINKS_MISSING_FILE, |target, mut problem| {
        if target.link.kind == LinkKind::Image {
            problem.message = format!("image {}", problem.message);
        }
        problem
    })
}
