//! `http(s)` links whose URL does not parse (checked on every build; whether
//! they answer, only with `--online`).

use super::targets::{Verdict, broken};
use super::{Links, external};
use crate::checks::rule::Model;
use crate::diagnostics::Diagnostics;

crate::checks::rule::rule! {
    check: check;
    LINKS_BAD_URL = "links::bad-url", error: "an `http(s)` URL that does not parse";
}

fn check(model: &Model<'_, '_>, out: &mut Diagnostics) -> anyhow::Result<()> {
    let links = model.shared::<Links>();
    links.each(&model.chapters.chapters, |at, resolved| {
        for target in &resolved.targets {
            let Verdict::External(url) = &target.verdict else {
                continue;
            };
            if let Err(why) = external::syntax(url) {
                let link = &target.link;
                let problem = broken(
                    LINKS_BAD_URL,
                    format!("`{}` is not a valid URL: it {why}", link.dest),
                    None,
                );
                out.push(at.place(problem.at(link.range.clone()), None));
            }
        }
    });
    Ok(())
}
