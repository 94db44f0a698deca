//! Reference links (`[text][label]`) whose label has no definition.

use super::Links;
use super::targets::broken;
use crate::checks::rule::Model;
use crate::diagnostics::Diagnostics;

crate::checks::rule::rule! {
    check: check;
    LINKS_UNDEFINED_REFERENCE = "links::undefined-reference", error: "a reference link with no definition";
}

fn check(model: &Model<'_, '_>, out: &mut Diagnostics) -> anyhow::Result<()> {
    let links = model.shared::<Links>();
    links.each(&model.chapters.chapters, |at, resolved| {
        for undefined in &resolved.undefined {
            let problem = broken(
                LINKS_UNDEFINED_REFERENCE,
                format!("the reference `[{}]` has no definition", undefined.label),
                Some(format!(
                    "add a line `[{}]: <target>` to this page, or fix the label",
                    undefined.label
                )),
            );
            out.push(at.place(problem.at(undefined.range.clone()), None));
        }
    });
    Ok(())
}
