//! The action catalog: every service prefix IAM knows, and every action of
//! the services the guide's policies use, read from
//! `policies/catalog/actions.toml` (built in, so `policy lint` works anywhere).

use serde::Deserialize;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::OnceLock;

/// The data file, relative to the book root (skipped when policies are checked).
pub const CATALOG_FILE: &str = "policies/catalog/actions.toml";

const CATALOG_TOML: &str = include_str!("../../../policies/catalog/actions.toml");

#[derive(Debug, Deserialize)]
struct File {
    prefixes: Vec<String>,
    services: BTreeMap<String, ServiceFile>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct ServiceFile {
    name: String,
    resource_level: Vec<String>,
    star_only: Vec<String>,
}

#[derive(Debug)]
pub struct Service {
    pub name: String,
    /// Lower-cased action name → (its spelling, whether it accepts resource ARNs).
    actions: HashMap<String, (String, bool)>,
}

#[derive(Debug)]
pub struct Catalog {
    prefixes: HashSet<String>,
    services: HashMap<String, Service>,
}

/// What the catalog says about one action string of a policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    /// `*` alone.
    Everything,
    /// The prefix is no IAM service.
    UnknownService { suggestion: Option<String> },
    /// A service the catalog does not list action by action.
    Unlisted,
    /// A listed service, and the name (or pattern) matches these actions,
    /// spelled as AWS does, with whether each accepts resource ARNs.
    Known(Vec<(String, bool)>),
    /// A listed service, and nothing matches.
    UnknownAction { suggestion: Option<String> },
}

impl Catalog {
    /// The catalog built into the program.
    pub fn builtin() -> &'static Catalog {
        static CATALOG: OnceLock<Catalog> = OnceLock::new();
        CATALOG.get_or_init(|| {
            Catalog::parse(CATALOG_TOML).expect("the built-in catalog is valid (unit-tested)")
        })
    }

    pub fn parse(text: &str) -> Result<Catalog, toml::de::Error> {
        let file: File = toml::from_str(text)?;
        let services = file
            .services
            .into_iter()
            .map(|(prefix, s)| {
                let actions = s
                    .resource_level
                    .into_iter()
                    .map(|a| (a, true))
                    .chain(s.star_only.into_iter().map(|a| (a, false)))
                    .map(|(a, arns)| (a.to_ascii_lowercase(), (a, arns)))
                    .collect();
                (
                    prefix,
                    Service {
                        name: s.name,
                        actions,
                    },
                )
            })
            .collect();
        Ok(Catalog {
            prefixes: file.prefixes.into_iter().collect(),
            services,
        })
    }

    pub fn service(&self, prefix: &str) -> Option<&Service> {
        self.services.get(&prefix.to_ascii_lowercase())
    }

    /// Looks an action string (`ecr:BatchGetImage`, `logs:Put*`, `*`) up.
    /// Matching is case-insensitive, as IAM's is.
    pub fn lookup(&self, action: &str) -> Lookup {
        if action == "*" {
            return Lookup::Everything;
        }
        let Some((prefix, name)) = action.split_once(':') else {
            return Lookup::UnknownService { suggestion: None };
        };
        let prefix = prefix.to_ascii_lowercase();
        if !self.prefixes.contains(&prefix) {
            return Lookup::UnknownService {
                suggestion: closest(&prefix, self.prefixes.iter().map(String::as_str)),
            };
        }
        let Some(service) = self.services.get(&prefix) else {
            return Lookup::Unlisted;
        };
        let wanted = name.to_ascii_lowercase();
        let mut matches: Vec<(String, bool)> = if wanted.contains(['*', '?']) {
            service
                .actions
                .iter()
                .filter(|(lower, _)| wildcard_match(&wanted, lower))
                .map(|(_, found)| found.clone())
                .collect()
        } else {
            service.actions.get(&wanted).cloned().into_iter().collect()
        };
        if matches.is_empty() {
            let suggestion = if wanted.contains(['*', '?']) {
                None
            } else {
                closest(
                    name,
                    service
                        .actions
                        .values()
                        .map(|(spelled, _)| spelled.as_str()),
                )
                .map(|s| format!("{prefix}:{s}"))
            };
            return Lookup::UnknownAction { suggestion };
        }
        matches.sort();
        Lookup::Known(matches)
    }
}

/// IAM's action wildcards: `*` any run of characters, `?` any one. Both
/// sides are lower-cased by the caller.
pub fn wildcard_match(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ti));
            pi += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

fn closest<'a>(wanted: &str, candidates: impl Iterator<Item = &'a str>) -> Option<String> {
    crate::suggest::closest(wanted, candidates).map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_catalog_parses_and_lists_the_guides_services() {
        let catalog = Catalog::builtin();
        for prefix in ["ecr", "logs", "aws-marketplace", "sts", "iam", "ecs"] {
            assert!(catalog.service(prefix).is_some(), "{prefix}");
        }
        assert!(catalog.prefixes.contains("s3"));
        assert!(catalog.prefixes.len() > 300);
    }

    #[test]
    fn actions_are_found_case_insensitively_with_their_resource_support() {
        let catalog = Catalog::builtin();
        assert_eq!(
            catalog.lookup("ECR:getauthorizationtoken"),
            Lookup::Known(vec![("GetAuthorizationToken".into(), false)])
        );
        assert_eq!(
            catalog.lookup("ecr:BatchGetImage"),
            Lookup::Known(vec![("BatchGetImage".into(), true)])
        );
        assert_eq!(
            catalog.lookup("aws-marketplace:RegisterUsage"),
            Lookup::Known(vec![("RegisterUsage".into(), false)])
        );
    }

    #[test]
    fn typos_get_a_suggestion() {
        let catalog = Catalog::builtin();
        assert_eq!(
            catalog.lookup("ecr:GetAuthorisationToken"),
            Lookup::UnknownAction {
                suggestion: Some("ecr:GetAuthorizationToken".into())
            }
        );
        assert_eq!(
            catalog.lookup("logz:PutLogEvents"),
            Lookup::UnknownService {
                suggestion: Some("logs".into())
            }
        );
        assert_eq!(
            catalog.lookup("marketplace:RegisterUsage"),
            Lookup::UnknownService {
                suggestion: Some("aws-marketplace".into())
            }
        );
        assert_eq!(
            catalog.lookup("ecr:Zzzzzz"),
            Lookup::UnknownAction { suggestion: None }
        );
    }

    #[test]
    fn wildcards_match_like_iam() {
        assert!(wildcard_match("get*", "getauthorizationtoken"));
        assert!(wildcard_match("*layer*", "getdownloadurlforlayer"));
        assert!(wildcard_match("batch?etimage", "batchgetimage"));
        assert!(!wildcard_match("put*", "getlogevents"));
        assert!(wildcard_match("*", ""));
        let catalog = Catalog::builtin();
        match catalog.lookup("logs:Put*") {
            Lookup::Known(found) => assert!(found.iter().any(|(a, _)| a == "PutLogEvents")),
            other => panic!("{other:?}"),
        }
        assert_eq!(
            catalog.lookup("logs:Nothing*"),
            Lookup::UnknownAction { suggestion: None }
        );
        assert_eq!(catalog.lookup("s3:GetObject"), Lookup::Unlisted);
        assert_eq!(catalog.lookup("*"), Lookup::Everything);
    }
}
