//! IAM policies: the `{{#iam-policy NAME}}` directive, the check of every
//! file in `policies/`, and `responder-docs policy lint`. Each problem is a
//! rule in its own submodule; what they share ([`Policies`]: the manifest,
//! the files, each policy parsed) is read here, once per run.

pub(crate) mod allow_not_action;
pub(crate) mod allow_not_principal;
pub(crate) mod attach;
pub(crate) mod bad_manifest;
pub(crate) mod catalog;
pub(crate) mod character;
pub(crate) mod confused_deputy;
pub mod directive;
pub(crate) mod duplicate_action;
pub(crate) mod duplicate_key;
pub(crate) mod duplicate_sid;
pub(crate) mod json_syntax;
pub(crate) mod keys;
pub(crate) mod kind;
pub mod lint;
pub(crate) mod linted;
pub(crate) mod manifest;
pub(crate) mod not_a_policy;
pub(crate) mod offers;
pub(crate) mod redundant_action;
pub(crate) mod refused_path;
pub(crate) mod resource_star;
pub(crate) mod retired_service;
pub(crate) mod schema;
pub(crate) mod size;
pub(crate) mod trust_principal;
pub(crate) mod unknown_action;
pub(crate) mod unknown_condition_key;
pub(crate) mod unknown_service;
pub(crate) mod unreadable;
pub(crate) mod wildcard_action;

pub(crate) use refused_path::POLICY_REFUSED_PATH;
pub(crate) use unreadable::POLICY_UNREADABLE;

use crate::checks::rule::{Model, Shared};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::book_root::{BookRoot, Refused, slashed};
use crate::model::pass::Pass;
use crate::model::reach::Unreadable;
use anyhow::Result;
use attach::Size;
use directive::Found;
use linted::{Linted, RoleMate};
use manifest::{MANIFEST_FILE, Manifest};
use mdbook_preprocessor::book::Book;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub(crate) use crate::model::inputs::POLICIES_DIR;

pub use kind::Kind;

pub(crate) struct IamPolicy;

impl Pass for IamPolicy {
    fn name(&self) -> &'static str {
        directive::NAME
    }

    fn directives(&self) -> Vec<crate::model::directive::Spec> {
        vec![directive::DIRECTIVE]
    }

    fn run(
        &self,
        book_root: &BookRoot,
        mut book: Book,
        diagnostics: &mut Diagnostics,
    ) -> Result<Book> {
        let known = known_policies(book_root);
        let find = |name: &str| find_policy(book_root, name);
        book.for_each_chapter_mut(|chapter| {
            let Some(rel) = chapter.path.as_ref().map(|p| slashed(p)) else {
                return;
            };
            let (expanded, problems) = directive::expand(&chapter.content, &rel, &known, &find);
            if problems.is_empty() {
                chapter.content = expanded;
                return;
            }
            let source = crate::model::chapters::source_of(book_root, chapter);
            let origin = source.origin(&chapter.content);
            for problem in problems {
                diagnostics.push(problem.locate(|r| origin.locate(r)));
            }
            chapter.content = expanded;
        });
        Ok(book)
    }
}

/// The stems of `policies/*.json`, sorted.
pub(crate) fn known_policies(book_root: &BookRoot) -> Vec<String> {
    let mut known: Vec<String> = std::fs::read_dir(book_root.root.join(POLICIES_DIR))
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            name.strip_suffix(".json").map(str::to_string)
        })
        .collect();
    known.sort();
    known
}

/// Reads `policies/NAME.json`, refusing anything that leads out of `policies/`.
fn find_policy(book_root: &BookRoot, name: &str) -> Found {
    let rel = format!("{POLICIES_DIR}/{name}.json");
    match book_root.resolve(&rel) {
        Ok(path) => {
            if !inside_policies(book_root, &path) {
                return Found::Outside;
            }
            match book_root.text(&path) {
                Ok(content) => Found::Policy(content.to_string()),
                Err(_) => Found::Unreadable,
            }
        }
        Err(Refused::Missing) => Found::Missing,
        Err(Refused::Absolute | Refused::LeavesRoot) => Found::Outside,
    }
}

fn inside_policies(book_root: &BookRoot, path: &Path) -> bool {
    match (
        path.canonicalize(),
        book_root.root.join(POLICIES_DIR).canonicalize(),
    ) {
        (Ok(real), Ok(dir)) => real.starts_with(dir),
        _ => false,
    }
}

/// Whether a symlink under `src/` leads to the policies folder (as
/// `src/policies -> ../policies` does): then its files are sources too.
fn linked_into_sources(book_root: &BookRoot, policies: &std::path::Path) -> bool {
    let Ok(policies) = policies.canonicalize() else {
        return false;
    };
    walkdir::WalkDir::new(book_root.root.join(&book_root.config.book.src))
        .into_iter()
        .flatten()
        .filter(|e| e.path_is_symlink())
        .any(|e| e.path().canonicalize().is_ok_and(|real| real == policies))
}

/// What the policy rules read, worked out once per run: the manifest, every
/// file in `policies/` (used by a chapter or not; links to them are the link
/// checker's, with [`link_hint`]) and each policy parsed.
pub(crate) struct Policies {
    /// `policies.toml` as read: none when there is none; why not when it
    /// cannot be read.
    manifest_text: Result<Option<String>, Box<Diagnostic>>,
    /// The manifest parsed, when it was read.
    manifest_parsed: Option<Result<Manifest, manifest::Invalid>>,
    /// The files in `policies/` that are not a policy read.
    files: Vec<Unlinted>,
    /// Each policy read, in the order of its path.
    linted: Vec<Linted>,
    /// The size of each policy read, by stem.
    sizes: BTreeMap<String, Size>,
}

/// A file in `policies/` that is not linted, and why.
pub(crate) enum Unlinted {
    Unreadable {
        rel: String,
        error: Unreadable,
    },
    /// It leads out of `policies/`.
    Refused {
        rel: String,
    },
    /// It is not `.json`.
    NotAPolicy {
        rel: String,
    },
}

impl Shared for Policies {
    fn build(model: &Model<'_, '_>) -> Self {
        let book_root = model.root;
        let manifest_text = bad_manifest::read(&book_root.root, MANIFEST_FILE, Some(book_root));
        let manifest_parsed = match &manifest_text {
            Ok(Some(text)) => Some(Manifest::parse(text)),
            _ => None,
        };
        let manifest = match &manifest_parsed {
            Some(Ok(manifest)) => manifest.clone(),
            _ => Manifest::default(),
        };
        let dir = book_root.root.join(POLICIES_DIR);
        let mut names: Vec<String> = walkdir::WalkDir::new(&dir)
            .min_depth(1)
            .into_iter()
            .flatten()
            .filter(|e| !e.file_type().is_dir())
            .filter_map(|e| e.path().strip_prefix(&dir).ok().map(slashed))
            .collect();
        names.sort();
        let copied = linked_into_sources(book_root, &dir);
        let mut files = Vec::new();
        let mut policies: Vec<(String, String, String)> = Vec::new();
        for rel_in in names {
            let rel = format!("{POLICIES_DIR}/{rel_in}");
            let text = match book_root.resolve(&rel) {
                Ok(path) if inside_policies(book_root, &path) => match book_root.text(&path) {
                    Ok(text) => text.to_string(),
                    Err(Unreadable::NotAFile(_) | Unreadable::TooLarge(_)) if copied => {
                        // The sources check reports it, where mdBook would copy it from.
                        continue;
                    }
                    Err(error) => {
                        files.push(Unlinted::Unreadable { rel, error });
                        continue;
                    }
                },
                _ => {
                    files.push(Unlinted::Refused { rel });
                    continue;
                }
            };
            if !rel.ends_with(".json") {
                files.push(Unlinted::NotAPolicy { rel });
                continue;
            }
            let stem = rel_in.trim_end_matches(".json").to_string();
            policies.push((rel, stem, text));
        }
        let sizes: BTreeMap<String, Size> = policies
            .iter()
            .map(|(_, stem, text)| (stem.clone(), Size::of(text)))
            .collect();
        let linted = policies
            .into_iter()
            .map(|(rel, stem, text)| {
                let mates = role_mates(&manifest, &stem, |s| sizes.get(s).map(|z| z.characters));
                Linted::new(
                    rel,
                    text,
                    manifest.kind_of(&stem),
                    manifest.entry(&stem).cloned(),
                    mates,
                )
            })
            .collect();
        Policies {
            manifest_text,
            manifest_parsed,
            files,
            linted,
            sizes,
        }
    }
}

/// Runs one rule's `lint` over every policy in `policies/`.
fn each_policy(
    model: &Model<'_, '_>,
    out: &mut Diagnostics,
    lint: fn(&Linted, &mut Vec<Diagnostic>),
) -> Result<()> {
    let policies = model.shared::<Policies>();
    for policy in &policies.linted {
        let mut found = Vec::new();
        lint(policy, &mut found);
        out.extend(found);
    }
    // The templates' inline policies, placed at their template lines.
    let inline = model.shared::<crate::checks::aws::inline::InlinePolicies>();
    for document in &inline.documents {
        let mut found = Vec::new();
        lint(&document.linted, &mut found);
        out.extend(found.into_iter().map(|d| document.place(d)));
    }
    Ok(())
}

/// The other policies the manifest puts inline in the same role as `stem`,
/// with their sizes (`characters` answers for a stem; none: no such file).
fn role_mates(
    manifest: &Manifest,
    stem: &str,
    characters: impl Fn(&str) -> Option<usize>,
) -> Vec<RoleMate> {
    let Some(role) = manifest.entry(stem).and_then(manifest::Entry::inline_role) else {
        return Vec::new();
    };
    manifest
        .policies
        .iter()
        .filter(|(other, entry)| other.as_str() != stem && entry.inline_role() == Some(role))
        .filter_map(|(other, _)| {
            Some(RoleMate {
                name: other.clone(),
                characters: characters(other)?,
            })
        })
        .collect()
}

/// The policy checker's part in a broken link's report (the link checker
/// reports it): for a `.json` link into `policies/` or named like a known
/// policy, where the policy is and how to show it. `page_dir` is the
/// linking page's folder under `src/`, `target` the link resolved from `src/`.
pub(crate) fn link_hint(known: &[String], page_dir: &str, target: &str) -> Option<String> {
    let file = target.rsplit('/').next().unwrap_or(target);
    let stem = file
        .strip_suffix(".json")
        .or_else(|| file.strip_suffix(".JSON"))?;
    let near = crate::diagnostics::suggest::closest(stem, known.iter().map(String::as_str));
    let into_policies = target.starts_with(&format!("{POLICIES_DIR}/"));
    if near.is_none() && !into_policies {
        return None;
    }
    let depth = if page_dir.is_empty() {
        0
    } else {
        page_dir.matches('/').count() + 1
    };
    let to_policies = format!("{}{POLICIES_DIR}/", "../".repeat(depth));
    Some(match near {
        Some(s) => format!(
            "did you mean `{to_policies}{s}.json`? Or show it with `{{{{#iam-policy {s}}}}}`"
        ),
        None if known.is_empty() => {
            "policies live in policies/, linked as `policies/NAME.json` from src/".to_string()
        }
        None => format!(
            "policies live in policies/ ({}), linked as `{to_policies}NAME.json`",
            known.join(", ")
        ),
    })
}

/// `responder-docs policy lint`: lints files named on the command line.
/// Paths in diagnostics are as the user gave them.
pub(crate) fn lint_files(
    files: &[PathBuf],
    kind: Option<Kind>,
    diagnostics: &mut Diagnostics,
) -> Result<()> {
    let mut manifests: BTreeMap<PathBuf, Option<Manifest>> = BTreeMap::new();
    for file in files {
        let shown = file.to_string_lossy().into_owned();
        let text = match crate::model::reach::read_text(file) {
            Ok(text) => text,
            Err(error) => {
                diagnostics.push(Diagnostic::raise(
                    POLICY_UNREADABLE,
                    error.location(&shown),
                    format!("cannot read the policy: {error}"),
                ));
                continue;
            }
        };
        let stem = file
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let book_manifest = book_manifest_of(file, &mut manifests, diagnostics);
        let entry = book_manifest.as_ref().and_then(|m| m.entry(&stem));
        let kind = kind.or_else(|| book_manifest.as_ref().and_then(|m| m.kind_of(&stem)));
        // The role's other inline policies are the files beside this one.
        let mates = book_manifest.as_ref().map_or_else(Vec::new, |m| {
            role_mates(m, &stem, |other| {
                let beside = file.with_file_name(format!("{other}.json"));
                crate::model::reach::read_text(&beside)
                    .ok()
                    .map(|t| Size::of(&t).characters)
            })
        });
        diagnostics.extend(lint::lint_with_role_mates(
            &shown, &text, kind, entry, &mates,
        ));
    }
    Ok(())
}

/// The manifest of the book whose `policies/` holds `file`, if any (and
/// valid). Each manifest is read once (`seen`), and what is wrong with it is
/// reported as `check` reports it, at its path as the user would write it.
fn book_manifest_of(
    file: &Path,
    seen: &mut BTreeMap<PathBuf, Option<Manifest>>,
    diagnostics: &mut Diagnostics,
) -> Option<Manifest> {
    let given = file.parent()?;
    let dir = if given.as_os_str().is_empty() {
        Path::new(".")
    } else {
        given
    };
    let dir = dir.canonicalize().ok()?;
    if dir.file_name()? != POLICIES_DIR {
        return None;
    }
    // The manifest stands beside `policies/`, not in it, so it is not published.
    let root = dir.parent()?.to_path_buf();
    if let Some(known) = seen.get(&root) {
        return known.clone();
    }
    let shown = match given.parent() {
        Some(up) if given.file_name().is_some_and(|n| n == POLICIES_DIR) => {
            up.join(MANIFEST_FILE).to_string_lossy().into_owned()
        }
        _ => root.join(MANIFEST_FILE).to_string_lossy().into_owned(),
    };
    let text = match bad_manifest::read(&root, &shown, None) {
        Ok(text) => text,
        Err(refused) => {
            diagnostics.push(*refused);
            None
        }
    };
    let manifest = text.map(|text| {
        let parsed = Manifest::parse(&text);
        bad_manifest::report(&text, &shown, &parsed, diagnostics, |stem| {
            std::fs::symlink_metadata(dir.join(format!("{stem}.json"))).is_err()
        });
        parsed.unwrap_or_default()
    });
    seen.insert(root, manifest.clone());
    manifest
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_broken_json_link_gets_the_policy_hint_only_when_it_is_about_a_policy() {
        let known = [
            "task-role-policy".to_string(),
            "task-role-trust".to_string(),
        ];
        assert_eq!(
            link_hint(&known, "guide", "guide/task-role-trst.json").as_deref(),
            Some(
                "did you mean `../policies/task-role-trust.json`? Or show it with `{{#iam-policy task-role-trust}}`"
            )
        );
        assert_eq!(
            link_hint(&known, "", "policies/none.json").as_deref(),
            Some(
                "policies live in policies/ (task-role-policy, task-role-trust), linked as `policies/NAME.json`"
            )
        );
        assert_eq!(
            link_hint(&known, "", "templates/task-definition.json"),
            None
        );
        assert_eq!(link_hint(&known, "", "policies/a.md"), None);
    }
}
