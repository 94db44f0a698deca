//! A file in `policies/` that cannot be read.

use super::{Policies, Unlinted};
use crate::checks::rule::Model;
use crate::diagnostics::{Diagnostic, Diagnostics};
use anyhow::Result;

crate::checks::rule::rule! {
    check: check;
    POLICY_UNREADABLE = "policy::unreadable", error: "a policy file that cannot be read";
}

fn check(model: &Model<'_, '_>, out: &mut Diagnostics) -> Result<()> {
    for file in &model.shared::<Policies>().files {
        if let Unlinted::Unreadable { rel, error } = file {
            out.push(Diagnostic::raise(
                POLICY_UNREADABLE,
                error.location(rel),
                format!("cannot read the policy: {error}"),
            ));
        }
    }
    Ok(())
}
