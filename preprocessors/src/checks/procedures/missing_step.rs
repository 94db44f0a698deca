//! "step 9" when the steps it points at have no step 9.

use super::kept::MISSING_STEP;
use super::{Text, Texts, numbering};
use crate::checks::rule::Model;
use crate::diagnostics::Diagnostics;

crate::checks::rule::rule! {
    check: check;
    PROCEDURES_MISSING_STEP = "procedures::missing-step", error: "a \"step N\" reference to a step that does not exist";
}

fn check(model: &Model<'_, '_>, out: &mut Diagnostics) -> anyhow::Result<()> {
    let texts = model.shared::<Texts>();
    let texts = texts.gather(model.chapters)?;
    let found = MISSING_STEP.per_text(model.root, model.chapters, &texts, |_, text| {
        check_text(text)
    });
    for found in found {
        out.extend(found);
    }
    Ok(())
}

fn check_text(text: &Text<'_>) -> Diagnostics {
    let mut diagnostics = Diagnostics::new();
    let origin = &text.origin();
    for problem in numbering::check_references(text.steps) {
        if text.in_expansion(origin, problem.range.clone()) {
            continue;
        }
        diagnostics.push(
            problem
                .with_hint("renumber the reference, or name the procedure it points to")
                .locate(|r| origin.locate(r)),
        );
    }
    diagnostics
}
