//! A template field the steps rely on that is itself wrong.

use super::{Templates, bound_values};
use crate::checks::rule::Model;
use crate::diagnostics::{Diagnostic, Diagnostics};

crate::checks::rule::rule! {
    check: check;
    PROCEDURES_TEMPLATE_VALUE = "procedures::template-value", error: "a template field a step relies on that is missing or invalid";
}

fn check(model: &Model<'_, '_>, out: &mut Diagnostics) -> anyhow::Result<()> {
    let templates = model.shared::<Templates>();
    if let Some(values) = &templates.values {
        for (key, message) in bound_values::check_template(values) {
            if let Some((at, _)) = templates.field(key) {
                out.push(Diagnostic::raise(PROCEDURES_TEMPLATE_VALUE, at, message));
            }
        }
    }
    Ok(())
}
