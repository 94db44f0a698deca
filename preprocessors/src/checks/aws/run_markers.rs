//! Run markers the paths cannot use, and shell blocks an `{{#arch}}`
//! sibling marks but that have no marker: found while the model reads the
//! run paths (`model::run_paths`), reported here.

use super::PathChecks;
use crate::checks::rule::Model;
use crate::diagnostics::Diagnostics;
use crate::model::run_paths::{AWS_RUN_MARKER, AWS_UNMARKED_BLOCK};

crate::checks::rule::rule! {
    check: check;
    reports: AWS_RUN_MARKER, AWS_UNMARKED_BLOCK;
}

fn check(model: &Model<'_, '_>, out: &mut Diagnostics) -> anyhow::Result<()> {
    out.extend(model.shared::<PathChecks>().markers.iter().cloned());
    Ok(())
}
