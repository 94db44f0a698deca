//! A file in `policies/` that is not a policy document: everything there is
//! published with the site.

use super::{Policies, Unlinted};
use crate::checks::rule::Model;
use crate::diagnostics::location::Location;
use crate::diagnostics::{Diagnostic, Diagnostics};
use anyhow::Result;

crate::checks::rule::rule! {
    check: check;
    POLICY_NOT_A_POLICY = "policy::not-a-policy", warning: "a file in `policies/` that is not a policy document (`.json`)";
}

fn check(model: &Model<'_, '_>, out: &mut Diagnostics) -> Result<()> {
    for file in &model.shared::<Policies>().files {
        if let Unlinted::NotAPolicy { rel } = file {
            out.push(
                Diagnostic::raise(
                    POLICY_NOT_A_POLICY,
                    Location::file(rel),
                    "policies/ holds policy documents (`.json`) only",
                )
                .with_hint(
                    "move this file elsewhere: everything in policies/ is published with the site",
                ),
            );
        }
    }
    Ok(())
}
