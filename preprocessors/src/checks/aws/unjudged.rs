//! What the AWS checks cannot judge, each check saying where: resource
//! types and services without vendored data, stacks and templates named by
//! what the checks cannot read, commands whose API calls are not known.

use super::{FileChecks, PathChecks, Roles, Schemas};
use crate::checks::rule::Model;
use crate::diagnostics::{Diagnostic, Diagnostics};
use anyhow::Result;

crate::checks::rule::rule! {
    check: check;
    AWS_UNJUDGED = "aws::unjudged", warning: "a command or template resource the AWS behaviour checks cannot judge: a service or resource type whose AWS data is not vendored, or a stack or template named by a shell variable nothing sets (a warning)";
}

fn check(model: &Model<'_, '_>, out: &mut Diagnostics) -> Result<()> {
    let ours = |d: &&Diagnostic| d.code == AWS_UNJUDGED;
    out.extend(
        model
            .shared::<Roles>()
            .problems
            .iter()
            .filter(ours)
            .cloned(),
    );
    out.extend(
        model
            .shared::<Schemas>()
            .problems
            .iter()
            .filter(ours)
            .cloned(),
    );
    let paths = model.shared::<PathChecks>();
    for found in [&paths.stacks, &paths.unmodelled, &paths.deployer] {
        out.extend(found.iter().filter(ours).cloned());
    }
    let files = model.shared::<FileChecks>();
    out.extend(files.problems.iter().filter(ours).cloned());
    Ok(())
}
