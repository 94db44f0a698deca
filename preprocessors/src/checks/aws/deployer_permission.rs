//! The deployer policy against every API call the run paths make, directly
//! or through the AWS CLI or CloudFormation (see [`super::deployer`]).

use super::PathChecks;
use crate::checks::rule::Model;
use crate::diagnostics::{Diagnostic, Diagnostics};
use anyhow::Result;

crate::checks::rule::rule! {
    check: check;
    AWS_DEPLOYER_PERMISSION = "aws::deployer-permission", error: "the deployer policy does not allow an API call that a run path makes, directly or through the AWS CLI or CloudFormation";
}

fn check(model: &Model<'_, '_>, out: &mut Diagnostics) -> Result<()> {
    let ours = |d: &&Diagnostic| d.code == AWS_DEPLOYER_PERMISSION;
    let paths = model.shared::<PathChecks>();
    out.extend(paths.deployer.iter().filter(ours).cloned());
    Ok(())
}
