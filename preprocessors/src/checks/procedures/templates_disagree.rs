//! The task definition against each stack: the container, the roles and
//! their policies must be the same in both.

use super::{Templates, agreement, templates};
use crate::checks::rule::Model;
use crate::diagnostics::location::Location;
use crate::diagnostics::{Diagnostic, Diagnostics};

crate::checks::rule::rule! {
    check: check;
    PROCEDURES_TEMPLATES_DISAGREE = "procedures::templates-disagree", error: "the CloudFormation template and the task definition disagree";
}

fn check(model: &Model<'_, '_>, out: &mut Diagnostics) -> anyhow::Result<()> {
    let book_root = model.root;
    let shared = model.shared::<Templates>();
    let Some(task) = &shared.task else {
        return Ok(());
    };
    for stack in &shared.stacks {
        let mut found = agreement::task_definition(stack, task);
        found.extend(
            agreement::policies(stack, |path| {
                templates::load(book_root, path).and_then(Result::ok)
            })
            .into_iter()
            // A policy file that is there but unreadable (not UTF-8, a FIFO)
            // is reported at the file by the policy checker, once.
            .filter(|d| {
                !(d.other_pointer.is_empty() && book_root.root.join(&d.other_path).exists())
            }),
        );
        for d in found {
            let other = match templates::load(book_root, &d.other_path).and_then(Result::ok) {
                Some(file) => file.locate(&d.other_pointer),
                None => Location::file(&d.other_path),
            };
            out.push(
                Diagnostic::raise(
                    PROCEDURES_TEMPLATES_DISAGREE,
                    stack.locate(&d.stack_pointer),
                    d.message,
                )
                .with_related(other, "the other template")
                .with_hint(format!(
                    "the stack and {} must describe the same thing; change one to match the other",
                    d.other_path
                )),
            );
        }
    }
    Ok(())
}
