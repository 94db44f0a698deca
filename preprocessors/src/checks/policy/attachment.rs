//! Prose that offers a policy an inline attachment whose size quota it
//! exceeds (how an offer is read is [`offers`]'s).

use super::Policies;
use super::offers::{ALLOW, INLINE, policy_of_link, problems};
use crate::checks::rule::Model;
use crate::diagnostics::Diagnostics;
use anyhow::Result;

crate::checks::rule::rule! {
    check: check;
    POLICY_ATTACHMENT = "policy::attachment", error: "prose that offers a policy an inline attachment (a user's, a group's, …) whose size quota it exceeds";
}

/// The shell: [`problems`] of each chapter that shows or links a policy
/// some inline attachment refuses (no other can be offered wrongly),
/// located in the writer's source.
fn check(model: &Model<'_, '_>, diagnostics: &mut Diagnostics) -> Result<()> {
    let policies = model.shared::<Policies>();
    let sizes = &policies.sizes;
    let known: Vec<String> = sizes.keys().cloned().collect();
    let large: Vec<&String> = sizes
        .iter()
        .filter(|(_, size)| INLINE.iter().any(|a| !size.fits(*a)))
        .map(|(stem, _)| stem)
        .collect();
    if large.is_empty() {
        return Ok(());
    }
    let model = model.chapters;
    for chapter in &model.chapters {
        let page_dir = chapter.path.rsplit_once('/').map_or("", |(dir, _)| dir);
        let links_large = chapter.page.links.iter().any(|link| {
            policy_of_link(page_dir, &link.dest, &known).is_some_and(|s| large.contains(&&s))
        });
        // A chapter that only names the policy (`put-user-policy … file://
        // policies/deployer-policy.json`, "the deployer policy") offers it by
        // name.
        let lower = chapter.content().to_lowercase();
        let names_large = large.iter().any(|stem| {
            lower.contains(&format!("{stem}.json")) || lower.contains(&stem.replace('-', " "))
        });
        if !links_large && !names_large {
            continue;
        }
        let parsed = crate::model::markdown::parse(chapter.content(), &model.markdown);
        let origin = chapter.origin();
        for problem in problems(chapter.content(), &parsed.events, page_dir, sizes) {
            let diagnostic = problem.locate(|r| origin.locate(r));
            if !diagnostic.location.line_text.contains(ALLOW) {
                diagnostics.push(diagnostic);
            }
        }
    }
    Ok(())
}
