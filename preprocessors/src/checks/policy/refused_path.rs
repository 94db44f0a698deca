//! A file in `policies/` that leads out of it (a symlink); the directive
//! refuses such a policy name too.

use super::{Policies, Unlinted};
use crate::checks::rule::Model;
use crate::diagnostics::location::Location;
use crate::diagnostics::{Diagnostic, Diagnostics};
use anyhow::Result;

crate::checks::rule::rule! {
    check: check;
    POLICY_REFUSED_PATH = "policy::refused-path", error: "a policy name or file that leads out of `policies/`";
}

fn check(model: &Model<'_, '_>, out: &mut Diagnostics) -> Result<()> {
    for file in &model.shared::<Policies>().files {
        if let Unlinted::Refused { rel } = file {
            out.push(
                Diagnostic::raise(
                    POLICY_REFUSED_PATH,
                    Location::file(rel),
                    "this file leads out of policies/ (a symlink) and is refused",
                )
                .with_hint("keep the policy itself in policies/"),
            );
        }
    }
    Ok(())
}
