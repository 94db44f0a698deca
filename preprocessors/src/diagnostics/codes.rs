//! What a problem code is, and the one registry of them. A code is
//! `area::problem` and never changes meaning once published: CI filters on
//! it. Each code is declared once, beside the check that reports it, with
//! its severity and help text (`declare!`); the declaration registers it,
//! and the problem-code table, the SARIF rules and `--explain` read the
//! registry.

use crate::diagnostics::Severity;
use serde::{Serialize, Serializer};
use std::fmt;
use std::hash::{Hash, Hasher};
use std::sync::OnceLock;

/// A stable problem code: a pointer to its declaration, so a problem stays
/// small; equal when the names are.
#[derive(Debug, Clone, Copy)]
pub struct Code(&'static Declared);

/// What [`declare!`] says of a code.
#[derive(Debug)]
pub struct Declared {
    pub name: &'static str,
    pub severity: Severity,
    /// Whether some problems with the code are warnings and others errors
    /// (`either` in the declaration; `severity` is then the stronger).
    pub varies: bool,
    pub help: &'static str,
}

impl Code {
    /// Use [`declare!`], which also registers the code.
    pub const fn new(declared: &'static Declared) -> Code {
        Code(declared)
    }

    pub const fn as_str(self) -> &'static str {
        self.0.name
    }

    /// The severity of its problems (see [`Code::varies`]).
    pub const fn severity(self) -> Severity {
        self.0.severity
    }

    /// Whether a problem with this code may be a warning although the code
    /// is declared an error (`links::unreachable`: a doubtful answer).
    pub const fn varies(self) -> bool {
        self.0.varies
    }

    /// One sentence saying what the code means.
    pub const fn help(self) -> &'static str {
        self.0.help
    }

    /// An error code outside the registry, for the diagnostics module's own
    /// tests.
    #[cfg(test)]
    pub(crate) fn test(name: &'static str) -> Code {
        Code::leaked(name, Severity::Error)
    }

    /// A warning code outside the registry, for the same tests.
    #[cfg(test)]
    pub(crate) fn test_warning(name: &'static str) -> Code {
        Code::leaked(name, Severity::Warning)
    }

    #[cfg(test)]
    fn leaked(name: &'static str, severity: Severity) -> Code {
        Code(Box::leak(Box::new(Declared {
            name,
            severity,
            varies: false,
            help: "",
        })))
    }
}

impl PartialEq for Code {
    fn eq(&self, other: &Code) -> bool {
        self.0.name == other.0.name
    }
}

impl Eq for Code {}

impl Hash for Code {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.0.name.hash(state);
    }
}

impl PartialOrd for Code {
    fn partial_cmp(&self, other: &Code) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Code {
    fn cmp(&self, other: &Code) -> std::cmp::Ordering {
        self.0.name.cmp(other.0.name)
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.name)
    }
}

impl Serialize for Code {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.0.name)
    }
}

impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.0.name == *other
    }
}

impl PartialEq<str> for Code {
    fn eq(&self, other: &str) -> bool {
        self.0.name == other
    }
}

/// Every declared code, wherever it is declared: `declare!` adds each.
#[linkme::distributed_slice]
pub static REGISTERED: [Code];

/// The areas in the order the table lists them; a code's area is the part
/// of its name before `::`.
pub const AREAS: &[&str] = &[
    "book",
    "config",
    "links",
    "policy",
    "image-uri",
    "reach",
    "aws",
    "procedures",
];

/// Every declared code: by area (in [`AREAS`]' order), then by name.
pub fn all() -> &'static [Code] {
    static ALL: OnceLock<Vec<Code>> = OnceLock::new();
    ALL.get_or_init(|| {
        let area = |code: &Code| {
            let name = code
                .as_str()
                .split_once("::")
                .map_or(code.as_str(), |(area, _)| area);
            AREAS.iter().position(|a| *a == name).unwrap_or(AREAS.len())
        };
        let mut all = REGISTERED.to_vec();
        all.sort_by(|a, b| (area(a), a.0.name).cmp(&(area(b), b.0.name)));
        all
    })
}

/// Declares problem codes beside the check that reports them, each with its
/// severity and help text, and registers them:
///
/// ```ignore
/// crate::diagnostics::codes::declare! {
///     LINKS_MISSING_FILE = "links::missing-file", error: "a link or image to a file that does not exist";
/// }
/// ```
macro_rules! declare {
    ($($konst:ident = $name:literal, $severity:ident: $help:literal;)*) => {
        $(
            pub(crate) const $konst: $crate::diagnostics::Code =
                $crate::diagnostics::Code::new(&$crate::diagnostics::codes::Declared {
                    name: $name,
                    severity: $crate::diagnostics::codes::declare!(@severity $severity),
                    varies: $crate::diagnostics::codes::declare!(@varies $severity),
                    help: $help,
                });
            const _: () = {
                #[linkme::distributed_slice($crate::diagnostics::codes::REGISTERED)]
                static REGISTER: $crate::diagnostics::Code = $konst;
            };
        )*
    };
    (@severity error) => { $crate::diagnostics::Severity::Error };
    (@severity warning) => { $crate::diagnostics::Severity::Warning };
    (@severity either) => { $crate::diagnostics::Severity::Error };
    (@varies either) => { true };
    (@varies $other:ident) => { false };
}
pub(crate) use declare;

/// Codes once published and no longer reported: CI filters may still name
/// them, so their names are never given to another problem.
pub const RETIRED: &[(&str, &str)] = &[(
    "policy::missing-file",
    "superseded by `links::missing-file`, which reports every link to a missing file",
)];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_named_by_area_and_explained() {
        let mut seen = std::collections::HashSet::new();
        for code in all() {
            assert!(seen.insert(code.as_str()), "{code} twice");
            let (area, problem) = code.as_str().split_once("::").unwrap();
            assert!(AREAS.contains(&area), "{code}");
            assert!(!problem.is_empty() && !code.help().is_empty(), "{code}");
        }
        for (retired, _) in RETIRED {
            assert!(!seen.contains(retired), "{retired} is retired");
        }
        let missing_file = all().iter().find(|c| *c == "links::missing-file").unwrap();
        assert_eq!(
            (missing_file.severity(), missing_file.help()),
            (
                Severity::Error,
                "a link or image to a file that does not exist"
            )
        );
    }

    #[test]
    fn the_table_is_by_area_then_name() {
        let names: Vec<&str> = all().iter().map(|c| c.as_str()).collect();
        let at = |name| names.iter().position(|n| *n == name).unwrap();
        assert!(at("book::unreadable") < at("config::unknown-key"));
        assert!(at("reach::not-a-file") < at("reach::over-budget"));
        assert!(at("aws::unjudged") < at("procedures::duplicate"));
    }
}
