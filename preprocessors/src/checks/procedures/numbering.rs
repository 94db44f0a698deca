//! Step numbers that skip or repeat, and "step 9" when there is no step 9.

use super::kept::NUMBERING;
use super::missing_step::PROCEDURES_MISSING_STEP;
use super::{Text, Texts};
use crate::checks::rule::Model;
use crate::diagnostics::{Diagnostics, Fix};
use crate::model::ordered_lists::{Document, StepList};
use std::ops::Range;

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

/// Whether any words of the document refer to a step by number (then
/// renumbering could change what they point at, and is left to the writer).
pub(crate) fn mentions_steps(doc: &Document) -> bool {
    doc.prose.iter().any(|p| !references(&p.text).is_empty())
}

/// "step 9", "steps 3-5", "steps 3 to 5", "steps 3 and 4" that name a step
/// the nearest list does not have: the list the words are in, else the last
/// one before them in the same section, else the next one in it. Words
/// followed by "of"/"in" ("step 3 of Create the service") point elsewhere
/// and are skipped.
pub(crate) fn check_references(doc: &Document) -> Vec<Problem> {
    let top: Vec<&StepList> = doc.lists.iter().filter(|l| l.depth == 0).collect();
    let mut problems = Vec::new();
    for prose in &doc.prose {
        for (numbers, range) in references(&prose.text) {
            let at = prose.range.start;
            let list = top
                .iter()
                .find(|l| l.range.contains(&at))
                .or_else(|| {
                    top.iter()
                        .rev()
                        .find(|l| l.section == prose.section && l.range.end <= at)
                })
                .or_else(|| {
                    top.iter()
                        .find(|l| l.section == prose.section && l.range.start > at)
                });
            let Some(list) = list else { continue };
            let last = list.start + list.steps.len() as u64 - 1;
            for n in numbers {
                if n < list.start || n > last {
                    let words = &prose.text[range.clone()];
                    // Text events of a source line map 1:1 unless escapes were decoded.
                    let start = prose.range.start + range.start;
                    let exact = prose.range.len() == prose.text.len();
                    let at = if exact {
                        start..start + range.len()
                    } else {
                        prose.range.clone()
                    };
                    problems.push(Problem::raise(
                        PROCEDURES_MISSING_STEP,
                        at,
                        format!(
                            "\"{words}\" refers to step {n}, but the steps here are {}-{last}",
                            list.start
                        ),
                    ));
                }
            }
        }
    }
    problems
}

/// The step numbers a text refers to, with the range of each reference.
fn references(text: &str) -> Vec<(Vec<u64>, Range<usize>)> {
    // Most prose never says "step": find that out without copying it.
    let bytes = text.as_bytes();
    let says_step = memchr::memchr2_iter(b's', b'S', bytes).any(|i| {
        bytes[i..]
            .get(..4)
            .is_some_and(|w| w.eq_ignore_ascii_case(b"step"))
    });
    if !says_step {
        return Vec::new();
    }
    let lower = text.to_ascii_lowercase();
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(i) = lower[from..].find("step") {
        let start = from + i;
        from = start + 4;
        let before = lower[..start].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric()) {
            continue;
        }
        let mut at = start + 4;
        if lower[at..].starts_with('s') {
            at += 1;
        }
        let Some((first, mut end)) = number(&lower, at, true) else {
            continue;
        };
        let mut numbers = vec![first];
        for joint in ["-", "–", " to ", " and ", " through "] {
            if lower[end..].starts_with(joint)
                && let Some((second, after)) = number(&lower, end + joint.len(), false)
            {
                numbers.push(second);
                end = after;
                break;
            }
        }
        let rest = lower[end..].trim_start();
        if rest.starts_with("of ") || rest.starts_with("in ") {
            from = end;
            continue;
        }
        found.push((numbers, start..end));
        from = end;
    }
    found
}

/// A number at `at` (after spaces when `space` is set) and where it ends.
fn number(text: &str, at: usize, space: bool) -> Option<(u64, usize)> {
    let rest = &text[at..];
    let trimmed = if space {
        rest.trim_start_matches(' ')
    } else {
        rest
    };
    if space && trimmed.len() == rest.len() {
        return None;
    }
    let start = at + rest.len() - trimmed.len();
    let digits = trimmed.bytes().take_while(u8::is_ascii_digit).count();
    let next = trimmed[digits..].chars().next();
    if digits == 0 || next.is_some_and(|c| c.is_alphanumeric()) {
        return None;
    }
    Some((trimmed[..digits].parse().ok()?, start + digits))
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

    #[test]
    fn references_resolve_to_the_nearest_list() {
        let text = "# A\n\n1. a\n2. Repeat step 1 and steps 2 to 3.\n\nIf step 2 fails, see step 3 of [B](b.md).\n\n# B\n\nSee step 4.\n\n1. x\n2. y\n3. z\n4. w\n\n# C\n\nStep 7 has no list here.\n";
        let doc = parse(text);
        let found: Vec<String> = check_references(&doc)
            .into_iter()
            .map(|p| format!("{}: {}", &text[p.range], p.message))
            .collect();
        assert_eq!(
            found,
            ["steps 2 to 3: \"steps 2 to 3\" refers to step 3, but the steps here are 1-2"]
        );
    }

    #[test]
    fn words_that_merely_contain_step_are_not_references() {
        assert!(references("footstep 3, steps, stepping 4, step 2b").is_empty());
        assert_eq!(references("Step 12.")[0].0, [12]);
        assert_eq!(references("steps 3–5")[0].0, [3, 5]);
    }
}
