//! Links on the first chapter that break on `index.html`, the copy of it
//! mdBook writes at the top of the site (the page most readers land on).

use super::Links;
use super::targets::{Verdict, broken};
use crate::checks::rule::Model;
use crate::diagnostics::Diagnostics;

crate::checks::rule::rule! {
    check: check;
    LINKS_INDEX_COPY = "links::index-copy", warning: "a link on the first chapter that breaks on its `index.html` copy";
}

fn check(model: &Model<'_, '_>, out: &mut Diagnostics) -> anyhow::Result<()> {
    let links = model.shared::<Links>();
    links.each(&model.chapters.chapters, |at, resolved| {
        for target in &resolved.top {
            let (Verdict::Broken(problem) | Verdict::MissingAnchor(problem, _)) = &target.verdict
            else {
                continue;
            };
            let link = &target.link;
            let problem = broken(
                LINKS_INDEX_COPY,
                format!(
                    "`{}` is broken on `index.html`, mdBook's copy of this first chapter at the top of the site ({})",
                    link.dest, problem.message
                ),
                Some(
                    "move the first chapter to the top of src/, or write the link so it works from both folders"
                        .into(),
                ),
            );
            out.push(at.place(problem.at(link.range.clone()), None));
        }
    });
    Ok(())
}
