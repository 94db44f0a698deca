//! What is wrong in `policies.toml`: it cannot be read, is not valid, or
//! describes a policy that has no file.

use super::directive::Found;
use super::manifest::{self, Invalid, MANIFEST_FILE, Manifest};
use super::{Policies, find_policy};
use crate::checks::rule::Model;
use crate::diagnostics::location::{Location, TextMap};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::book_root::BookRoot;
use anyhow::Result;
use std::path::Path;

crate::checks::rule::rule! {
    check: check;
    POLICY_MANIFEST = "policy::manifest", error: "a problem in `policies.toml`";
}

const MANIFEST_HINT: &str = "each `[policies.NAME]` table takes `kind = \"identity\" | \"trust\"`, `attach = [\"customer-managed\", …]`, `role = \"ROLE\"`, and the tables `[policies.NAME.resource-star]` (`Sid = \"reason\"`) and `[policies.NAME.extra-actions]` (`\"service:Action\" = \"reason\"`)";

const ATTACH_HINT: &str = "`attach` lists, each once, how the policy is attached: `customer-managed`, `role-inline` (with `role = \"ROLE\"` when the role holds other inline policies), `user-inline`, `group-inline`, `permission-set-inline`, or `trust` alone";

fn check(model: &Model<'_, '_>, out: &mut Diagnostics) -> Result<()> {
    let policies = model.shared::<Policies>();
    match (&policies.manifest_text, &policies.manifest_parsed) {
        (Err(refused), _) => out.push(Diagnostic::clone(refused)),
        (Ok(Some(text)), Some(parsed)) => report(text, MANIFEST_FILE, parsed, out, |stem| {
            find_policy(model.root, stem) == Found::Missing
        }),
        _ => {}
    }
    Ok(())
}

/// Reads `policies.toml` in `root`, if there is one; a manifest that exists
/// but cannot be read (not UTF-8, too large, not a regular file, a symlink
/// that dangles, loops or leads out of `root`) is an error at `shown`, since
/// the attachments it declares would otherwise go unchecked.
pub(crate) fn read(
    root: &Path,
    shown: &str,
    run: Option<&BookRoot>,
) -> Result<Option<String>, Box<Diagnostic>> {
    let path = root.join(MANIFEST_FILE);
    // Not there at all (not even a dangling link): the defaults hold.
    if std::fs::symlink_metadata(&path).is_err() {
        return Ok(None);
    }
    let refused = |message: String| {
        Box::new(
            Diagnostic::raise(POLICY_MANIFEST, Location::file(shown), message)
                .with_hint("keep policies.toml a regular UTF-8 file beside policies/"),
        )
    };
    match (path.canonicalize(), root.canonicalize()) {
        (Ok(real), Ok(root)) if !real.starts_with(&root) => {
            return Err(refused(format!(
                "cannot read the policy manifest: it leads out of the book (to `{}`) and is refused",
                real.display()
            )));
        }
        (Err(error), _) => {
            return Err(refused(format!(
                "cannot read the policy manifest: it is a symlink that does not resolve ({error})"
            )));
        }
        _ => {}
    }
    // In a run, the run's copy: every pass that reads the manifest shares it.
    let read = match run {
        Some(run) => run.text(&path).map(|text| text.to_string()),
        None => crate::model::reach::read_text(&path),
    };
    match read {
        Ok(text) => Ok(Some(text)),
        Err(error) => Err(Box::new(
            Diagnostic::raise(
                POLICY_MANIFEST,
                error.location(shown),
                format!("cannot read the policy manifest: {error}"),
            )
            .with_hint("keep policies.toml a regular UTF-8 file beside policies/"),
        )),
    }
}

/// Reports what is wrong in a manifest's `text` (named `shown`), `parsed`
/// from it; `missing` answers whether a stem has no policy file.
pub(crate) fn report(
    text: &str,
    shown: &str,
    parsed: &Result<Manifest, Invalid>,
    diagnostics: &mut Diagnostics,
    missing: impl Fn(&str) -> bool,
) {
    // One line index for every diagnostic: a manifest may have thousands.
    let map = TextMap::new(shown, text);
    let manifest = match parsed {
        Ok(manifest) => manifest,
        Err(invalid) => {
            diagnostics.push(
                Diagnostic::raise(
                    POLICY_MANIFEST,
                    map.locate(invalid.range.clone()),
                    format!("invalid policy manifest: {}", invalid.message),
                )
                .with_hint(MANIFEST_HINT),
            );
            return;
        }
    };
    for invalid in manifest.problems() {
        diagnostics.push(
            Diagnostic::raise(POLICY_MANIFEST, map.locate(invalid.range), invalid.message)
                .with_hint(ATTACH_HINT),
        );
    }
    let ranges = manifest::entry_ranges(text);
    for stem in manifest.policies.keys() {
        if missing(stem) {
            let range = ranges
                .get(stem.as_str())
                .cloned()
                .unwrap_or_else(|| manifest::entry_range(text, stem));
            diagnostics.push(
                Diagnostic::raise(
                    POLICY_MANIFEST,
                    map.locate(range),
                    format!(
                        "the manifest describes `{stem}`, but there is no policies/{stem}.json"
                    ),
                )
                .with_hint("remove the entry or rename it to the policy's file stem"),
            );
        }
    }
}
