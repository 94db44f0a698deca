//! Accessibility of the published guide: the real book, built in-process, is
//! opened page by page in Debian's headless Chromium in each of mdBook's five
//! themes, and axe-core (npm, pinned in `tests/package.json`) audits every
//! page. No page may have a critical or serious violation, log an error or
//! request something the site does not have.
//!
//! Needs Chromium and chromedriver (see `browser`) and axe-core installed
//! with `npm ci --prefix tests` (`.ci/run` does both). Without them the test
//! fails when CI=true and otherwise says it was skipped.

use fantoccini::Client;
use fantoccini::error::CmdError;
use responder_docs::pipeline::{self, Options};
use responder_docs_tests::repo_root;
use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use crate::browser::{Site, assert_theme, axe_violations, install_axe, use_theme};

/// mdBook's themes, by the class its script puts on `<html>`.
const THEMES: [&str; 5] = ["light", "rust", "coal", "navy", "ayu"];

/// Every HTML page of a built site, by path relative to it.
pub fn pages(site: &Path) -> Vec<String> {
    let mut pages: Vec<String> = walkdir::WalkDir::new(site)
        .into_iter()
        .map(|e| e.expect("readable site"))
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| {
            let rel = e.path().strip_prefix(site).unwrap();
            rel.to_string_lossy().replace('\\', "/")
        })
        .collect();
    pages.sort();
    pages
}

#[test]
#[ignore = "needs Chromium, chromedriver and axe-core: apt-get install -y chromium chromium-driver; npm ci --prefix tests"]
fn every_page_in_every_theme_has_no_serious_accessibility_problem() {
    let axe = crate::browser::axe_source(
        "every_page_in_every_theme_has_no_serious_accessibility_problem",
    );
    let out = tempfile::tempdir().unwrap();
    let dest = out.path().join("site");
    let outcome = pipeline::build(&repo_root(), Some(&dest), &Options::default()).unwrap();
    assert!(!outcome.failed, "{:#?}", outcome.diagnostics);
    let pages = pages(&dest);
    for expected in [
        "index.html",
        "print.html",
        "404.html",
        "toc.html",
        "service.html",
    ] {
        assert!(
            pages.iter().any(|p| p == expected),
            "{expected} in {pages:?}"
        );
    }
    crate::browser::run(
        "every_page_in_every_theme_has_no_serious_accessibility_problem",
        dest,
        Duration::from_secs(900),
        |client, site| audit(client, site, pages, axe),
    );
}

async fn audit(
    client: Client,
    site: Site,
    pages: Vec<String>,
    axe: String,
) -> Result<(), CmdError> {
    let client = &client;
    install_axe(client, &axe).await?;
    // (impact, rule) -> (pages with it, elements)
    let mut tally: BTreeMap<(String, String), (usize, usize)> = BTreeMap::new();
    let mut serious = Vec::new();
    let mut faults = Vec::new();
    for theme in THEMES {
        use_theme(client, &site, theme).await?;
        for page in &pages {
            client.goto(&format!("{}/{page}", site.base)).await?;
            let at = format!("{theme} {page}");
            // toc.html is the sidebar for readers without JavaScript: it
            // keeps the default theme, as no script runs to change it.
            if page != "toc.html" {
                assert_theme(client, theme, &at).await?;
            }
            for v in axe_violations(client).await? {
                let entry = tally.entry((v.impact.clone(), v.id.clone())).or_default();
                entry.0 += 1;
                entry.1 += v.targets.len();
                if v.is_serious() {
                    serious.push(format!("{at}: {v}"));
                }
            }
            faults.extend(crate::browser::faults(client, &site, &at).await?);
        }
    }
    let mut by_impact: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for ((impact, id), (found, elements)) in &tally {
        eprintln!("axe: {impact} {id}: {found} page views, {elements} elements");
        let sum = by_impact.entry(impact).or_default();
        sum.0 += found;
        sum.1 += elements;
    }
    eprintln!(
        "axe on {} pages x {} themes, by impact (page views with a rule violated / elements): {by_impact:?}",
        pages.len(),
        THEMES.len()
    );
    assert!(
        serious.is_empty() && faults.is_empty(),
        "{} critical or serious violations:\n{}\n{} errors or failed requests:\n{}",
        serious.len(),
        serious.join("\n"),
        faults.len(),
        faults.join("\n")
    );
    Ok(())
}
