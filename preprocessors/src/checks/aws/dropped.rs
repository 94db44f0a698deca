//! Properties a deploy over a stack drops that CloudFormation keeps: for a
//! few properties (`replacement.toml`, `kept-when-dropped`), a template
//! that leaves one out leaves the resource as the earlier template made it;
//! only an empty list removes it. An ECS service deployed without
//! `LoadBalancers` over one with them stays registered with the target
//! group, which the same update may delete.

use super::models;
use super::replacement::{Deployed, Redeploy};
use super::shapes::escape;
use super::stack_diff;
use crate::checks::rule::Model;
use crate::diagnostics::location::Location;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::json::Index;
use serde_json::Value;
use std::collections::BTreeSet;

crate::checks::rule::rule! {
    check: check_book;
    AWS_PROPERTY_KEPT = "aws::property-kept", error: "a deploy over a stack drops a property CloudFormation keeps unless it is given an empty list (an ECS service's `LoadBalancers`): the resource keeps what the earlier template gave it";
}

/// The properties CloudFormation keeps as the paths redeploy a stack without them.
fn check_book(model: &Model<'_, '_>, out: &mut Diagnostics) -> anyhow::Result<()> {
    let paths = model.shared::<super::PathChecks>();
    out.extend(
        paths
            .events
            .iter()
            .filter(|d| d.code == AWS_PROPERTY_KEPT)
            .cloned(),
    );
    Ok(())
}

/// Each dropped property once, at the resource in the template that drops it.
pub(crate) fn check(redeploys: &[Redeploy<'_>]) -> Vec<Diagnostic> {
    let kept = &models::replacement().kept_when_dropped;
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for r in redeploys {
        let (old, new) = (
            stack_diff::resources(r.first.value),
            stack_diff::resources(r.second.value),
        );
        for (id, resource) in new {
            let (Some(kind), Some(before)) = (stack_diff::kind(resource), old.get(id)) else {
                continue;
            };
            for property in kept.get(kind).into_iter().flatten() {
                let had = stack_diff::properties(before).get(property);
                // `{"Ref": "AWS::NoValue"}` leaves the property out too.
                let has = stack_diff::properties(resource)
                    .get(property)
                    .filter(|v| **v != serde_json::json!({"Ref": "AWS::NoValue"}));
                if has.is_some() || had.is_none_or(is_empty) {
                    continue;
                }
                if !seen.insert((r.second.rel, id.clone(), property.clone())) {
                    continue;
                }
                out.push(
                    Diagnostic::raise(
                        AWS_PROPERTY_KEPT,
                        properties_at(&r.second, id),
                        format!(
                            "`{id}` (`{kind}`) has no `{property}` here, but deploying `{}` over `{}` leaves the `{property}` the stack gave it: CloudFormation removes it only when the template gives an empty list",
                            r.second.rel, r.first.rel
                        ),
                    )
                    .with_hint(format!(
                        "give `{id}` `\"{property}\": []` (the CloudFormation User Guide, `{kind}`: to remove this property, specify an empty array)"
                    ))
                    .with_related(
                        Location::in_text(
                            r.first.rel,
                            r.first.text,
                            Index::new(r.first.text).key_range(&format!(
                                "/Resources/{}/Properties/{}",
                                escape(id),
                                escape(property)
                            )),
                        ),
                        format!("`{property}` in `{}`", r.first.rel),
                    )
                    .with_related(r.second.at.clone(), format!("`{}` deployed here", r.second.rel)),
                );
            }
        }
    }
    out
}

fn is_empty(value: &Value) -> bool {
    value.as_array().is_some_and(Vec::is_empty)
}

/// The resource's `Properties` key in the template (or the resource's).
fn properties_at(d: &Deployed<'_>, id: &str) -> Location {
    let index = Index::new(d.text);
    let resource = format!("/Resources/{}", escape(id));
    let range = [format!("{resource}/Properties"), resource]
        .iter()
        .map(|p| index.key_range(p))
        .find(|r| !r.is_empty())
        .unwrap_or(0..0);
    Location::in_text(d.rel, d.text, range)
}
