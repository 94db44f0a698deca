//! A `file://` argument, or `deploy`'s `--template-file`, naming no file
//! of the book and none an earlier command writes.

use super::{FileChecks, PathChecks};
use crate::checks::rule::Model;
use crate::diagnostics::{Diagnostic, Diagnostics};
use anyhow::Result;

crate::checks::rule::rule! {
    check: check;
    AWS_CLI_MISSING_FILE = "aws::cli-missing-file", error: "a `file://` argument naming no file of the book and none an earlier command writes";
}

fn check(model: &Model<'_, '_>, out: &mut Diagnostics) -> Result<()> {
    let ours = |d: &&Diagnostic| d.code == AWS_CLI_MISSING_FILE;
    let paths = model.shared::<PathChecks>();
    out.extend(paths.stacks.iter().filter(ours).cloned());
    let files = model.shared::<FileChecks>();
    out.extend(files.problems.iter().filter(ours).cloned());
    Ok(())
}
