//! A block marked for one architecture must not name another's values: an
//! ARM64 block whose JSON says `X86_64`, or an arm64 tag in the amd64 block,
//! is exactly the `exec format error` the guide exists to prevent.

use crate::model::release::Architecture;
use std::ops::Range;

/// A value of another architecture found in a block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Mention {
    pub range: Range<usize>,
    /// The other architecture's Docker name.
    pub arch: String,
}

/// Every mention in `body` of an architecture other than `own`: its Docker
/// name, ECS name, console label or a known alias, as a whole word, in any case.
pub(crate) fn find(body: &str, own: &Architecture, all: &[Architecture]) -> Vec<Mention> {
    let mut found: Vec<Mention> = Vec::new();
    for other in all.iter().filter(|a| a.docker != own.docker) {
        let mut words = vec![
            other.console.as_str(),
            other.docker.as_str(),
            other.ecs.as_str(),
        ];
        words.extend(other.aliases().iter().copied());
        for word in words {
            for range in whole_words(body, word) {
                // The console label contains the ECS name: report it once.
                if !found
                    .iter()
                    .any(|m| m.range.start <= range.start && range.end <= m.range.end)
                {
                    found.push(Mention {
                        range,
                        arch: other.docker.clone(),
                    });
                }
            }
        }
    }
    found.sort_by_key(|m| m.range.start);
    found
}

/// Case-insensitive matches of `word` not glued to letters, digits or `_`
/// (so `arm64` is found in `1.0.4-arm64` and `"ARM64"`, not in `farm64x`).
fn whole_words(text: &str, word: &str) -> Vec<Range<usize>> {
    let lower = text.to_ascii_lowercase();
    let needle = word.to_ascii_lowercase();
    let glued = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
    lower
        .match_indices(&needle)
        .map(|(i, _)| i..i + needle.len())
        .filter(|r| {
            !glued(text[..r.start].chars().next_back()) && !glued(text[r.end..].chars().next())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn archs() -> Vec<Architecture> {
        vec![
            Architecture {
                docker: "amd64".into(),
                ecs: "X86_64".into(),
                console: "Linux/X86_64".into(),
            },
            Architecture {
                docker: "arm64".into(),
                ecs: "ARM64".into(),
                console: "Linux/ARM64".into(),
            },
        ]
    }

    #[test]
    fn the_other_architectures_names_are_found_own_names_are_not() {
        let all = archs();
        let body = "Choose **Linux/ARM64**.\n\"cpuArchitecture\": \"X86_64\"\nimage:1.0.4-arm64 on aarch64\n";
        let in_amd64: Vec<_> = find(body, &all[0], &all)
            .into_iter()
            .map(|m| &body[m.range])
            .collect();
        assert_eq!(in_amd64, ["Linux/ARM64", "arm64", "aarch64"]);
        let in_arm64: Vec<_> = find(body, &all[1], &all)
            .into_iter()
            .map(|m| &body[m.range])
            .collect();
        assert_eq!(in_arm64, ["X86_64"]);
    }

    #[test]
    fn words_glued_to_others_are_not_mentions() {
        let all = archs();
        assert!(find("farm64x ARM64_X xarm64 {{#image-uri amd64}}", &all[0], &all).is_empty());
        let found = find("{{#image-uri arm64}}", &all[0], &all);
        assert_eq!(
            found,
            [Mention {
                range: 13..18,
                arch: "arm64".into()
            }]
        );
    }
}
