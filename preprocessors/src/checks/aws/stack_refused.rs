//! A stack command CloudFormation refuses where a way through the guide
//! runs it.

use super::PathChecks;
use crate::checks::rule::Model;
use crate::diagnostics::{Diagnostic, Diagnostics};
use anyhow::Result;

crate::checks::rule::rule! {
    check: check;
    AWS_STACK_REFUSED = "aws::stack-refused", error: "a stack command CloudFormation refuses where the way through the guide runs it: a create with a parameter left without a value, a create of a stack that exists, an update of one that does not";
}

fn check(model: &Model<'_, '_>, out: &mut Diagnostics) -> Result<()> {
    let ours = |d: &&Diagnostic| d.code == AWS_STACK_REFUSED;
    let paths = model.shared::<PathChecks>();
    out.extend(paths.unpaired.iter().filter(ours).cloned());
    out.extend(paths.events.iter().filter(ours).cloned());
    Ok(())
}
