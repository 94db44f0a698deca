//! "step 9" when the steps it points at have no step 9.

use super::kept::MISSING_STEP;
use super::{Text, Texts};
use crate::checks::rule::Model;
use crate::diagnostics::{Diagnostics, Problem};
use crate::model::ordered_lists::{Document, StepList};
use std::ops::Range;

crate::checks::rule::rule! {
    check: check;
    PROCEDURES_MISSING_STEP = "procedures::missing-step", error: "a \"step N\" reference to a step that does not exist";
}

fn check(model: &Model<'_, '_>, out: &mut Diagnostics) -> anyhow::Result<()> {
    let texts = model.shared::<Texts>();
    let texts = texts.gather(model.chapters)?;
    let found = MISSING_STEP.per_text(model.root, model.chapters, &texts, |_, text| {
        check_text(text)
    });
    for found in found {
        out.extend(found);
    }
    Ok(())
}

fn check_text(text: &Text<'_>) -> Diagnostics {
    let mut diagnostics = Diagnostics::new();
    let origin = &text.origin();
    for problem in check_references(text.steps) {
        if text.in_expansion(origin, problem.range.clone()) {
            continue;
        }
        diagnostics.push(
            problem
                .with_hint("renumber the reference, or name the procedure it points to")
                .locate(|r| origin.locate(r)),
        );
    }
    diagnostics
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
