//! Step lists written twice: word for word, or nearly (one step differs).
//! Both are outcomes of one comparison of every list with every other.

use super::kept::{Entry, LISTS};
use super::{Text, Texts, near_dup};
use crate::checks::rule::Model;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::directive;
use crate::model::ordered_lists;
use std::collections::HashSet;

crate::checks::rule::rule! {
    check: check;
    PROCEDURES_DUPLICATE = "procedures::duplicate", warning: "a list of steps that repeats another list word for word";
    PROCEDURES_NEAR_DUPLICATE = "procedures::near-duplicate", warning: "a step list that nearly repeats another";
}

fn check(model: &Model<'_, '_>, out: &mut Diagnostics) -> anyhow::Result<()> {
    let texts = model.shared::<Texts>();
    let texts = texts.gather(model.chapters)?;
    let listed = LISTS.per_text(model.root, model.chapters, &texts, entries);
    // A chapter's kept lists keep the place its text had then.
    let entries: Vec<Entry> = listed
        .into_iter()
        .enumerate()
        .flat_map(|(t, listed)| listed.into_iter().map(move |e| Entry { text: t, ..e }))
        .collect();
    report_duplicates(&texts, &entries, out);
    Ok(())
}

/// The lists of three steps or more of the text at `t`.
fn entries(t: usize, text: &Text<'_>) -> Vec<Entry> {
    let origin = &text.origin();
    let arch = arch_slots(text.source);
    let mut entries = Vec::new();
    for (l, list) in text.steps.lists.iter().enumerate() {
        if list.steps.len() < near_dup::MIN_STEPS {
            continue;
        }
        let first = list.steps[0].marker.clone();
        let procedure = text
            .procedure
            .clone()
            .or_else(|| Text::expanded(origin, first.clone()));
        let line = origin.locate(first).line;
        entries.push(Entry {
            text: t,
            list: l,
            procedure,
            arch: arch.get(line.saturating_sub(1)).cloned().flatten(),
        });
    }
    entries
}

/// For each source line, the `{{#arch}}` group and variant it is in.
fn arch_slots(source: &str) -> Vec<Option<(usize, String)>> {
    let mut slots = Vec::new();
    let mut group = 0;
    let mut current: Option<(usize, String)> = None;
    for line in source.lines() {
        let trimmed = line.trim();
        if trimmed == "{{#endarch}}" {
            current = None;
        } else if let Some(d) = directive::find(trimmed, &["arch"]).first() {
            if current.is_none() {
                group += 1;
            }
            current = Some((group, d.args.join(" ")));
        }
        slots.push(current.clone());
    }
    slots
}

fn report_duplicates(texts: &[Text], entries: &[Entry], diagnostics: &mut Diagnostics) {
    let list_of = |e: &Entry| &texts[e.text].steps.lists[e.list];
    let normalized: Vec<Vec<String>> = entries
        .iter()
        .map(|e| {
            list_of(e)
                .steps
                .iter()
                .map(ordered_lists::Step::normalized)
                .collect()
        })
        .collect();
    let hashes: Vec<Vec<u64>> = normalized
        .iter()
        .map(|l| l.iter().map(|s| near_dup::step_hash(s)).collect())
        .collect();
    let key = |e: &Entry, i: usize| match &e.procedure {
        Some(name) => format!("procedure {name}"),
        None => format!("list {i}"),
    };
    let mut reported = HashSet::new();
    for pair in near_dup::find(&hashes) {
        let (a, b) = (&entries[pair.a], &entries[pair.b]);
        if a.procedure.is_some() && a.procedure == b.procedure {
            continue;
        }
        if let (Some((ga, va)), Some((gb, vb))) = (&a.arch, &b.arch)
            && a.text == b.text
            && ga == gb
            && va != vb
        {
            continue;
        }
        let (ka, kb) = (key(a, pair.a), key(b, pair.b));
        if !reported.insert((ka.clone().min(kb.clone()), ka.max(kb))) {
            continue;
        }
        // Report at the hand-written copy; the other is where to look.
        let (here, there, here_diff, there_diff) = if a.procedure.is_none() && b.procedure.is_some()
        {
            (
                pair.a,
                pair.b,
                pair.first_difference.0,
                pair.first_difference.1,
            )
        } else {
            (
                pair.b,
                pair.a,
                pair.first_difference.1,
                pair.first_difference.0,
            )
        };
        let (h, t) = (here, there);
        let locate = |e: usize, step: Option<usize>| {
            let e = &entries[e];
            let list = list_of(e);
            let step = &list.steps[step.unwrap_or(0).min(list.steps.len() - 1)];
            texts[e.text].origin().locate(step.marker.clone())
        };
        let list_len = |e: usize| list_of(&entries[e]).steps.len();
        let number = |e: usize, step: usize| list_of(&entries[e]).start + step as u64;
        let hint = match &entries[there].procedure {
            Some(name) => format!(
                "single-source it: write `{{{{#procedure {name}}}}}` here (or a range such as `{{{{#procedure {name} 2-4}}}}`)"
            ),
            None => "single-source it: write the steps once in src/procedures/NAME.md and show them with `{{#procedure NAME}}` in both places".to_string(),
        };
        let there_at = locate(t, None);
        match pair.kind {
            near_dup::Kind::Identical => diagnostics.push(
                Diagnostic::raise(
                    PROCEDURES_DUPLICATE,
                    locate(h, None),
                    format!(
                        "these {} steps repeat the steps at {}",
                        list_len(h),
                        there_at.short()
                    ),
                )
                .with_related(there_at, "the same steps")
                .with_hint(hint),
            ),
            near_dup::Kind::Near => {
                let longer = list_len(h).max(list_len(t));
                let part = match (here_diff, there_diff) {
                    (Some(x), _) => format!("step {}", number(h, x)),
                    (None, Some(y)) => format!("step {}", number(t, y)),
                    (None, None) => "the end".to_string(),
                };
                // A warning, like an exact copy: two lists that differ in a
                // step are often meant to (other books than ours have them);
                // CI that denies warnings still stops the drift.
                let mut found = Diagnostic::raise(
                    PROCEDURES_NEAR_DUPLICATE,
                    locate(h, None),
                    format!(
                        "these steps nearly repeat the steps at {} ({} of {} the same); they part at {}",
                        there_at.short(),
                        pair.equal,
                        longer,
                        part
                    ),
                )
                .with_related(there_at, "the other copy");
                let side = |e: usize, step: Option<usize>, word: &str| match step {
                    Some(s) => (
                        locate(e, Some(s)),
                        format!("step {} {word}: {}", number(e, s), normalized[e][s]),
                    ),
                    None => (
                        locate(e, Some(list_len(e) - 1)),
                        format!("no step {word} after this one"),
                    ),
                };
                let (at, label) = side(h, here_diff, "here");
                found = found.with_related(at, label);
                let (at, label) = side(t, there_diff, "there");
                found = found.with_related(at, label);
                diagnostics.push(found.with_hint(hint));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arch_blocks_give_each_line_its_group_and_variant() {
        let slots = arch_slots(
            "a\n{{#arch amd64}}\nx\n{{#arch arm64}}\ny\n{{#endarch}}\nb\n{{#arch arm64}}\nz\n",
        );
        let at = |line: usize| slots[line - 1].clone().map(|(g, v)| format!("{g}:{v}"));
        assert_eq!(at(1), None);
        assert_eq!(at(3).as_deref(), Some("1:amd64"));
        assert_eq!(at(5).as_deref(), Some("1:arm64"));
        assert_eq!(at(7), None);
        assert_eq!(at(9).as_deref(), Some("2:arm64"));
    }
}
