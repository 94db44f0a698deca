//! A template the procedures are bound to that is not JSON, with how many
//! `{{#value}}` uses it blocks.

use super::{Templates, Texts, blocked_uses};
use crate::checks::rule::Model;
use crate::diagnostics::Diagnostics;

crate::checks::rule::rule! {
    check: check;
    PROCEDURES_TEMPLATE_INVALID = "procedures::template-invalid", error: "a template that is not valid JSON";
}

fn check(model: &Model<'_, '_>, out: &mut Diagnostics) -> anyhow::Result<()> {
    let templates = model.shared::<Templates>();
    if templates.invalid.is_empty() {
        return Ok(());
    }
    let texts = model.shared::<Texts>();
    let texts = texts.gather(model.chapters)?;
    for found in &templates.invalid {
        let mut found = found.clone();
        let uses = blocked_uses(&texts, &found.location.path);
        if uses > 0 {
            let plural = if uses == 1 { "" } else { "s" };
            found.message = format!(
                "{}; it blocks {uses} `{{{{#value}}}}` use{plural}",
                found.message
            );
        }
        out.push(found);
    }
    Ok(())
}
