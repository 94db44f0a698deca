//! Step numbers that skip or repeat, and "step 9" when there is no step 9.

use super::kept::NUMBERING;
use super::missing_step::mentions_steps;
use super::{Text, Texts};
use crate::checks::rule::Model;
use crate::diagnostics::{Diagnostics, Fix};
use crate::model::ordered_lists::StepList;

pub(crate) use crate::diagnostics::Problem;

crate::checks::rule::rule! {
    check: check;
    PROCEDURES_NUMBERING = "procedures::numbering", error: "step numbers that skip or repeat";
}

/// Numbering runs across `{{#procedure}}` expansions: steps written around
/// one must continue its numbers. Between two steps of one expansion, the
/// procedure file is where it was checked.
fn check(model: &Model<'_, '_>, out: &mut Diagnostics) -> anyhow::Result<()> {
    let texts = model.shared::<Texts>();
    let texts = texts.gather(model.chapters)?;
    let found = NUMBERING.per_text(model.root, model.chapters, &texts, |_, text| {
        check_text(text)
    });
    for found in found {
        out.extend(found);
    }
    Ok(())
}

fn check_text(text: &Text<'_>) -> Diagnostics {
    let mut diagnostics = Diagnostics::new();
    let doc = text.steps;
    let origin = &text.origin();
    let mentions_steps = mentions_steps(doc);
    for list in &doc.lists {
        for mut problem in check_list(list) {
            let i = list
                .steps
                .iter()
                .position(|s| s.marker == problem.range)
                .unwrap_or(0);
            let previous = list.steps[i.saturating_sub(1)].marker.clone();
            let in_expansion = text.in_expansion(origin, problem.range.clone());
            if in_expansion
                && Text::expanded(origin, previous.clone()).is_some()
                && origin.locate(previous).line == origin.locate(problem.range.clone()).line
            {
                continue;
            }
            // Renumbering is for the steps the writer typed, and only
            // when no words elsewhere point at a step by its number.
            if in_expansion || mentions_steps {
                problem.set_fixes(Vec::new());
            }
            let hint = if in_expansion {
                "`{{#procedure}}` keeps the procedure's own numbers (a range starts at its \
                 first step): number the steps before it so they lead up to them"
            } else {
                "number the steps 1, 2, 3… (or `1.` on every step)"
            };
            diagnostics.push(origin.diagnostic(problem.with_hint(hint)));
        }
    }
    diagnostics
}

/// Numbers must count up by one, or all be the same (`1.` on every step,
/// which Markdown renders as 1, 2, 3…).
pub(crate) fn check_list(list: &StepList) -> Vec<Problem> {
    let numbers: Vec<Option<u64>> = list.steps.iter().map(|s| s.number).collect();
    if numbers.iter().all(|n| *n == numbers[0]) {
        return Vec::new();
    }
    let mut problems = Vec::new();
    for (i, pair) in numbers.windows(2).enumerate() {
        let (Some(before), Some(number)) = (pair[0], pair[1]) else {
            continue;
        };
        let message = if number == before {
            format!("step number {number} repeats the one before")
        } else if number == before + 2 {
            format!(
                "step number {number} follows {before}: step {} is missing",
                before + 1
            )
        } else if number > before {
            format!(
                "step number {number} follows {before}: steps {}-{} are missing",
                before + 1,
                number - 1
            )
        } else {
            format!("step number {number} follows {before}")
        };
        if number != before + 1 {
            let mut problem = Problem::raise(
                PROCEDURES_NUMBERING,
                list.steps[i + 1].marker.clone(),
                message,
            );
            problem.set_fixes(renumbered(list));
            problems.push(problem);
        }
    }
    problems
}

/// The edits that number the list on from its first step (only the digits
/// of the markers that differ), or none when a marker cannot be read or a
/// new number would be wider or narrower: the items' indentation, which
/// Markdown measures from the marker, must stay as it is.
fn renumbered(list: &StepList) -> Vec<Fix> {
    let Some(Some(start)) = list.steps.first().map(|s| s.number) else {
        return Vec::new();
    };
    let mut fixes = Vec::new();
    for (step, wanted) in list.steps.iter().zip(start..) {
        let Some(number) = step.number else {
            return Vec::new();
        };
        if number == wanted {
            continue;
        }
        let (old, new) = (number.to_string(), wanted.to_string());
        let digits = step.marker.start..step.marker.end - 1;
        if old.len() != new.len() || digits.len() != old.len() {
            return Vec::new();
        }
        fixes.push(Fix {
            range: digits,
            replacement: new,
        });
    }
    fixes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ordered_lists::parse;

    fn list_problems(text: &str) -> Vec<String> {
        let doc = parse(text);
        doc.lists
            .iter()
            .flat_map(check_list)
            .map(|p| format!("{}: {}", &text[p.range], p.message))
            .collect()
    }

    #[test]
    fn skips_repeats_and_backward_numbers_are_found_lazy_numbering_is_not() {
        assert_eq!(
            list_problems("1. a\n2. b\n4. c\n4. d\n7. e\n2. f\n"),
            [
                "4.: step number 4 follows 2: step 3 is missing",
                "4.: step number 4 repeats the one before",
                "7.: step number 7 follows 4: steps 5-6 are missing",
                "2.: step number 2 follows 7",
            ]
        );
        assert!(list_problems("1. a\n1. b\n1. c\n").is_empty());
        assert!(list_problems("3. a\n4. b\n5) new list\n").is_empty());
    }

    fn renumbering(text: &str) -> Vec<Vec<String>> {
        let doc = parse(text);
        doc.lists
            .iter()
            .flat_map(check_list)
            .map(|p| {
                p.fixes()
                    .iter()
                    .map(|f| format!("{}->{}", &text[f.range.clone()], f.replacement))
                    .collect()
            })
            .collect()
    }

    #[test]
    fn a_misnumbered_list_is_renumbered_from_its_first_step() {
        let every = vec!["4->3".to_string(), "5->4".to_string()];
        assert_eq!(renumbering("1. a\n2. b\n4. c\n5. d\n"), [every]);
        let twice = vec!["2->3".to_string()];
        assert_eq!(renumbering("1) a\n2) b\n2) c\n"), [twice]);
        // `9.` becoming `10.` would move the items' indentation: no fix.
        let wide = "1. a\n2. b\n3. c\n4. d\n5. e\n6. f\n7. g\n8. h\n10. i\n11. j\n";
        assert_eq!(renumbering(wide), [Vec::<String>::new()]);
        assert!(mentions_steps(&parse("1. a\n3. b\n\nRepeat step 3.\n")));
        assert!(!mentions_steps(&parse("1. a\n3. b\n\nThe steps above.\n")));
    }
}
