//! An action a wildcard beside it in the same statement already covers.

use super::catalog::wildcard_match;
use super::linted::Linted;
use crate::checks::rule::Model;
use crate::diagnostics::{Diagnostic, Diagnostics};
use anyhow::Result;
use std::collections::HashMap;

crate::checks::rule::rule! {
    check: check;
    POLICY_REDUNDANT_ACTION = "policy::redundant-action", warning: "an action already granted by a wildcard in the same statement";
}

fn check(model: &Model<'_, '_>, out: &mut Diagnostics) -> Result<()> {
    super::each_policy(model, out, lint)
}

pub(crate) fn lint(policy: &Linted, out: &mut Vec<Diagnostic>) {
    let Some(parsed) = policy.parsed() else {
        return;
    };
    for statement in parsed.statements() {
        let actions = &statement.actions;
        let lowered: Vec<String> = actions
            .iter()
            .map(|(_, a)| a.to_ascii_lowercase())
            .collect();
        // Wildcards by service prefix, in order, so each action is compared
        // with its own service's patterns only (large policies list thousands);
        // one pass, so a minified policy repeating one action 800,000 times
        // stays linear, and at most PER_FILE_AND_CODE reports.
        let service_of = |a: &str| a.split_once(':').map_or("", |(p, _)| p).to_string();
        let mut patterns: HashMap<String, Vec<usize>> = HashMap::new();
        let mut any_service: Vec<usize> = Vec::new();
        for (j, other) in lowered.iter().enumerate() {
            if other.contains(['*', '?']) {
                let service = service_of(other);
                if service.contains(['*', '?']) || !other.contains(':') {
                    any_service.push(j);
                } else {
                    patterns.entry(service).or_default().push(j);
                }
            }
        }
        // A repeat is the duplicate rule's, not covered again.
        let mut first: HashMap<&str, usize> = HashMap::new();
        let (mut shown, mut unshown) = (0, 0);
        let cap = crate::diagnostics::PER_FILE_AND_CODE;
        let mut unshown_at = None;
        for (i, (pointer, action)) in actions.iter().enumerate() {
            let this = lowered[i].as_str();
            if first.contains_key(this) {
                continue;
            }
            first.insert(this, i);
            let same_service = patterns
                .get(&service_of(this))
                .map_or(&[][..], Vec::as_slice);
            let covering = same_service
                .iter()
                .chain(&any_service)
                .copied()
                .filter(|&j| j != i && lowered[j] != this && wildcard_match(&lowered[j], this))
                .min();
            if let Some(j) = covering {
                if shown >= cap {
                    unshown += 1;
                    unshown_at.get_or_insert_with(|| parsed.value_at(pointer));
                    continue;
                }
                shown += 1;
                out.push(
                    Diagnostic::raise(
                        POLICY_REDUNDANT_ACTION,
                        parsed.value_at(pointer),
                        format!(
                            "`{action}` is already covered by `{}` in this `{}`",
                            actions[j].1, statement.action_key
                        ),
                    )
                    .with_related(parsed.value_at(&actions[j].0), "covered by this")
                    .with_hint("keep one of the two (preferably the named action)"),
                );
            }
        }
        if let Some(at) = unshown_at {
            out.push(crate::diagnostics::more(
                POLICY_REDUNDANT_ACTION.severity(),
                POLICY_REDUNDANT_ACTION,
                at,
                unshown,
            ));
        }
    }
}
