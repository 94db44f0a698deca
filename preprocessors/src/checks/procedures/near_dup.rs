//! Near-duplicate step lists, found without comparing every pair of lists:
//! each step is hashed once, identical lists collapse into one class by the
//! hash of their whole sequence, and an inverted index from step hash to the
//! classes holding it proposes only the pairs that share steps. Only those
//! candidates are aligned, and the alignment runs over step hashes.

use similar::{Algorithm, DiffOp, capture_diff_slices};
use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};

/// Lists shorter than this are not procedures.
pub const MIN_STEPS: usize = 3;
/// Two lists are near-duplicates when at least this many steps are equal
/// in the same order…
pub(crate) const MIN_EQUAL: usize = 3;
/// …and they make at least this share of the longer list.
pub(crate) const MIN_SHARE: f64 = 0.6;
/// A step found in more lists than this ("Choose **Create**.") proposes no
/// candidates by itself; it still counts when a candidate is aligned.
pub(crate) const COMMON_STEP: usize = 256;

/// The hash of a normalised step.
pub fn step_hash(normalized: &str) -> u64 {
    let mut hasher = DefaultHasher::new();
    normalized.hash(&mut hasher);
    hasher.finish()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Every step equal, in order.
    Identical,
    /// Most steps equal in order; `first_difference` is set.
    Near,
}

/// Two lists, by index in the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pair {
    pub a: usize,
    pub b: usize,
    pub kind: Kind,
    /// How many steps are equal, in order.
    pub equal: usize,
    /// The first step (0-based index in `a`, in `b`) where they part; `None`
    /// on a side whose steps all matched before the other went on.
    pub first_difference: (Option<usize>, Option<usize>),
}

/// Identical and near-duplicate pairs among `lists` (each a list of step
/// hashes). Identical lists are paired with the first of their kind; near
/// duplicates are reported once per pair of distinct step sequences, between
/// the first list of each.
pub fn find(lists: &[Vec<u64>]) -> Vec<Pair> {
    let mut pairs = Vec::new();
    // Identical sequences: one class each, keyed by the whole sequence.
    let mut class_of: HashMap<&[u64], usize> = HashMap::new();
    let mut classes: Vec<usize> = Vec::new();
    for (i, list) in lists.iter().enumerate() {
        if list.len() < MIN_STEPS {
            continue;
        }
        match class_of.get(list.as_slice()) {
            Some(&class) => pairs.push(Pair {
                a: classes[class],
                b: i,
                kind: Kind::Identical,
                equal: list.len(),
                first_difference: (None, None),
            }),
            None => {
                class_of.insert(list, classes.len());
                classes.push(i);
            }
        }
    }
    // Inverted index: step hash → classes holding it (each class once).
    let mut postings: HashMap<u64, Vec<u32>> = HashMap::new();
    for (class, &list) in classes.iter().enumerate() {
        let mut seen: Vec<u64> = lists[list].clone();
        seen.sort_unstable();
        seen.dedup();
        for step in seen {
            postings.entry(step).or_default().push(class as u32);
        }
    }
    let mut shared: HashMap<u32, usize> = HashMap::new();
    for (class, &list) in classes.iter().enumerate() {
        shared.clear();
        let mut seen: Vec<u64> = lists[list].clone();
        seen.sort_unstable();
        seen.dedup();
        for step in &seen {
            let holders = &postings[step];
            if holders.len() > COMMON_STEP {
                continue;
            }
            // Postings are in class order: only later classes, so each pair once.
            let later = holders.partition_point(|&c| c as usize <= class);
            for &other in &holders[later..] {
                *shared.entry(other).or_default() += 1;
            }
        }
        let common = seen
            .iter()
            .filter(|s| postings[*s].len() > COMMON_STEP)
            .count();
        let mut candidates: Vec<u32> = shared
            .iter()
            .filter(|&(&other, &count)| {
                count + common >= needed(lists[list].len(), lists[classes[other as usize]].len())
            })
            .map(|(&other, _)| other)
            .collect();
        candidates.sort_unstable();
        for other in candidates {
            let b = classes[other as usize];
            if let Some(pair) = compare(&lists[list], &lists[b]) {
                pairs.push(Pair { a: list, b, ..pair });
            }
        }
    }
    pairs.sort_by_key(|p| (p.a, p.b));
    pairs
}

/// The reference: every pair of lists aligned step by step on their texts.
/// Quadratic in the number of lists; kept for the benchmark and as the
/// oracle `find` is tested against.
pub fn find_naive(lists: &[Vec<String>]) -> Vec<Pair> {
    let mut pairs = Vec::new();
    for a in 0..lists.len() {
        if lists[a].len() < MIN_STEPS {
            continue;
        }
        for b in a + 1..lists.len() {
            if lists[b].len() < MIN_STEPS {
                continue;
            }
            if let Some(pair) = compare(&lists[a], &lists[b]) {
                pairs.push(Pair { a, b, ..pair });
            }
        }
    }
    pairs
}

fn needed(a: usize, b: usize) -> usize {
    MIN_EQUAL.max((MIN_SHARE * a.max(b) as f64).ceil() as usize)
}

/// Aligns two step sequences: identical, near-duplicate or neither.
fn compare<T: Hash + Eq + Ord>(a: &[T], b: &[T]) -> Option<Pair> {
    if a == b {
        return Some(Pair {
            a: 0,
            b: 0,
            kind: Kind::Identical,
            equal: a.len(),
            first_difference: (None, None),
        });
    }
    let ops = capture_diff_slices(Algorithm::Myers, a, b);
    let equal: usize = ops
        .iter()
        .map(|op| match op {
            DiffOp::Equal { len, .. } => *len,
            _ => 0,
        })
        .sum();
    if equal < needed(a.len(), b.len()) {
        return None;
    }
    let first = ops.iter().find(|op| !matches!(op, DiffOp::Equal { .. }))?;
    let (old, new) = match *first {
        DiffOp::Delete {
            old_index,
            new_index,
            ..
        }
        | DiffOp::Insert {
            old_index,
            new_index,
            ..
        }
        | DiffOp::Replace {
            old_index,
            new_index,
            ..
        } => (old_index, new_index),
        DiffOp::Equal { .. } => unreachable!("filtered above"),
    };
    Some(Pair {
        a: 0,
        b: 0,
        kind: Kind::Near,
        equal,
        first_difference: (
            (old < a.len()).then_some(old),
            (new < b.len()).then_some(new),
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hashed(lists: &[&[&str]]) -> Vec<Vec<u64>> {
        lists
            .iter()
            .map(|l| l.iter().map(|s| step_hash(s)).collect())
            .collect()
    }

    #[test]
    fn near_duplicates_are_found_with_their_first_difference() {
        let lists = hashed(&[
            &[
                "open",
                "create",
                "name it",
                "desired 1",
                "public ip",
                "create",
            ],
            &["unrelated", "other", "words"],
            &[
                "open",
                "create",
                "name it",
                "desiredto 1",
                "public ip",
                "create",
            ],
            &[
                "open",
                "create",
                "name it",
                "desired 1",
                "public ip",
                "create",
            ],
            &["x", "open", "y"],
        ]);
        let pairs = find(&lists);
        assert_eq!(
            pairs,
            [
                Pair {
                    a: 0,
                    b: 2,
                    kind: Kind::Near,
                    equal: 5,
                    first_difference: (Some(3), Some(3))
                },
                Pair {
                    a: 0,
                    b: 3,
                    kind: Kind::Identical,
                    equal: 6,
                    first_difference: (None, None)
                },
            ]
        );
    }

    #[test]
    fn short_lists_and_lists_sharing_few_steps_are_not_duplicates() {
        let lists = hashed(&[
            &["a", "b"],
            &["a", "b"],
            &["a", "b", "c", "d", "e", "f"],
            &["a", "b", "c", "x", "y", "z"],
        ]);
        assert!(find(&lists).is_empty(), "3 of 6 is not most");
    }

    #[test]
    fn a_list_that_only_adds_steps_differs_where_the_other_ends() {
        let lists = hashed(&[&["a", "b", "c", "d"], &["a", "b", "c", "d", "e"]]);
        let pairs = find(&lists);
        assert_eq!(pairs[0].first_difference, (None, Some(4)));
    }

    #[test]
    fn the_index_finds_what_every_pair_compared_finds() {
        // A deterministic mix: families of lists sharing most steps, plus noise.
        let mut texts: Vec<Vec<String>> = Vec::new();
        for family in 0..30 {
            for variant in 0..4 {
                let mut steps: Vec<String> = (0..8).map(|s| format!("f{family} s{s}")).collect();
                if variant > 0 {
                    steps[(family + variant) % 8] = format!("changed {variant}");
                }
                if variant == 3 {
                    steps.truncate(5);
                }
                steps.push("Choose Create".into());
                texts.push(steps);
            }
        }
        let hashes: Vec<Vec<u64>> = texts
            .iter()
            .map(|l| l.iter().map(|s| step_hash(s)).collect())
            .collect();
        let mut fast: Vec<_> = find(&hashes)
            .into_iter()
            .filter(|p| p.kind == Kind::Near)
            .collect();
        let naive: Vec<_> = find_naive(&texts)
            .into_iter()
            .filter(|p| p.kind == Kind::Near)
            .collect();
        fast.sort_by_key(|p| (p.a, p.b));
        assert!(!naive.is_empty());
        assert_eq!(fast, naive);
    }
}
