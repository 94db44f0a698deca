//! "Did you mean …?": the one way every check picks a suggestion for a
//! misspelt name (a key, a directive, a policy, an action, an anchor, a file).

/// The candidate most like `wanted`, if it is close enough to be a likely
/// typo. Case-insensitive edit distance relative to length, with a bonus when
/// one name contains the other (so `marketplace` suggests
/// `aws-marketplace`, not a shorter lookalike), more when it is a prefix
/// (`cpu-arch` suggests `cpu-architecture` before `arch`). Ties go to the first in
/// alphabetical order, so the hint is stable.
pub(crate) fn closest<'a>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    likely(wanted, candidates)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, c)| c)
}

/// The one right answer, when there is one: the suggestion [`closest`]
/// gives, at most two edits away, with no other candidate as few edits
/// away. Only this may be applied by `responder-docs fix`.
pub(crate) fn only<'a>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let candidates: Vec<&str> = candidates.into_iter().collect();
    let best = closest(wanted, candidates.iter().copied())?;
    let lower = wanted.to_lowercase();
    let edits = |c: &str| strsim::levenshtein(&lower, &c.to_lowercase());
    let distance = edits(best);
    let rival = candidates
        .iter()
        .any(|c| *c != best && !c.is_empty() && edits(c) <= distance);
    (distance <= 2 && !rival).then_some(best)
}

/// Every candidate as likely as the best one (the one [`closest`] gives,
/// and those that tie with it), alphabetically, without repeats: when two
/// are as close, the writer is offered both and `fix` applies neither.
pub(crate) fn tied<'a>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Vec<&'a str> {
    let scored: Vec<(f64, &str)> = likely(wanted, candidates).collect();
    let best = scored.iter().map(|(s, _)| *s).fold(f64::MIN, f64::max);
    let mut tied: Vec<&str> = scored
        .into_iter()
        .filter(|(s, _)| *s == best)
        .map(|(_, c)| c)
        .collect();
    tied.sort_unstable();
    tied.dedup();
    tied
}

/// `did you mean `A`?`, or `` `A` or `B` `` when two are as likely.
pub(crate) fn offer(tied: &[&str], prefix: &str) -> Option<String> {
    let shown: Vec<String> = tied.iter().map(|c| format!("`{prefix}{c}`")).collect();
    match shown.as_slice() {
        [] => None,
        [one] => Some(format!("did you mean {one}?")),
        [init @ .., last] => Some(format!("did you mean {} or {last}?", init.join(", "))),
    }
}

/// Names longer than this are not compared: the edit distance costs the
/// product of the two lengths, and no writer mistypes a 200-character name
/// into another one.
const MAX_COMPARED_CHARS: usize = 200;

/// Every candidate close enough to `wanted`, with its score.
fn likely<'a>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> impl Iterator<Item = (f64, &'a str)> {
    let wanted = wanted.to_lowercase();
    let wanted_chars = wanted.chars().count();
    candidates
        .into_iter()
        .filter(|c| !c.is_empty())
        .filter_map(move |c| {
            let lower = c.to_lowercase();
            let contained =
                wanted_chars >= 3 && (lower.contains(&wanted) || wanted.contains(&lower));
            // The length difference alone bounds the edit distance: skip
            // the costly distance when it cannot reach the threshold.
            let chars = lower.chars().count();
            let longest = chars.max(wanted_chars) as f64;
            let best = 1.0 - chars.abs_diff(wanted_chars) as f64 / longest;
            if (!contained && best < 0.6) || chars.max(wanted_chars) > MAX_COMPARED_CHARS {
                return None;
            }
            let mut score = strsim::normalized_levenshtein(&wanted, &lower);
            if contained {
                score += 0.3;
                if lower.starts_with(&wanted) || wanted.starts_with(&lower) {
                    score += 0.1;
                }
            }
            (score >= 0.6).then_some((score, c))
        })
}

/// `did you mean `X`?` for the closest candidate, if any.
pub(crate) fn hint<'a>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    closest(wanted, candidates).map(|near| format!("did you mean `{near}`?"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_find_their_word_and_strangers_find_nothing() {
        let keys = ["deny-warnings", "link-ignore", "online"];
        assert_eq!(closest("deny-warings", keys), Some("deny-warnings"));
        assert_eq!(closest("link-ignor", keys), Some("link-ignore"));
        assert_eq!(closest("Online", keys), Some("online"));
        assert_eq!(closest("colour", keys), None);
        assert_eq!(closest("x", [""]), None);
        assert_eq!(
            closest("cpu-arch", ["arch", "cpu-architecture"]),
            Some("cpu-architecture")
        );
        assert_eq!(
            closest("marketplace", ["aws-marketplace", "mediapackage"]),
            Some("aws-marketplace")
        );
        assert_eq!(
            hint("us-east1", ["us-east-1", "us-west-1"]).as_deref(),
            Some("did you mean `us-east-1`?")
        );
    }

    #[test]
    fn names_too_long_to_be_mistyped_are_not_compared() {
        // Comparing two 100,000-character ids cost minutes per link.
        let id = "a".repeat(MAX_COMPARED_CHARS + 1);
        let typo = format!("{}b", &id[1..]);
        assert_eq!(closest(&typo, [id.as_str()]), None);
        let fits = "a".repeat(MAX_COMPARED_CHARS);
        let typo = format!("{}b", &fits[1..]);
        assert_eq!(closest(&typo, [fits.as_str()]), Some(fits.as_str()));
    }

    #[test]
    fn only_one_likely_candidate_is_a_fix() {
        assert_eq!(
            only("deny-warings", ["deny-warnings", "online"]),
            Some("deny-warnings")
        );
        assert_eq!(
            only("image-ur", ["image-uri", "image-uris"]),
            Some("image-uri")
        );
        assert_eq!(
            only("us-east", ["us-east-1", "us-east-2"]),
            None,
            "two as close"
        );
        assert_eq!(
            only("a-b", ["a-b-x", "a-b-x"]),
            Some("a-b-x"),
            "repeats are one"
        );
        assert_eq!(
            only("cpu-arch", ["arch", "cpu-architecture"]),
            None,
            "too far"
        );
        assert_eq!(only("colour", ["online"]), None);
    }

    #[test]
    fn candidates_as_likely_are_all_offered() {
        let keys = ["task.container-name", "task.container-port", "task.cpu"];
        assert_eq!(
            tied("task.container-pome", keys),
            ["task.container-name", "task.container-port"]
        );
        assert_eq!(tied("task.cpus", keys), ["task.cpu"]);
        assert!(tied("colour", keys).is_empty());
        assert_eq!(
            offer(&["a", "b", "c"], "#").as_deref(),
            Some("did you mean `#a`, `#b` or `#c`?")
        );
        assert_eq!(offer(&["a"], "").as_deref(), Some("did you mean `a`?"));
        assert_eq!(offer(&[], ""), None);
    }
}
