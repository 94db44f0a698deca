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
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use crate::browser::{AXE_RUN, Site, cdp, page_errors, severe_log};

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
fn every_page_in_every_theme_has_no_serious_accessibility_problem() {
    let Some(axe) = crate::browser::axe_source(
        "every_page_in_every_theme_has_no_serious_accessibility_problem",
    ) else {
        return;
    };
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
    cdp(
        client,
        "Page.addScriptToEvaluateOnNewDocument",
        json!({ "source": axe }),
    )
    .await?;
    // (impact, rule) -> (pages with it, elements)
    let mut tally: BTreeMap<(String, String), (usize, usize)> = BTreeMap::new();
    let mut serious = Vec::new();
    let mut faults = Vec::new();
    for theme in THEMES {
        client.goto(&format!("{}/index.html", site.base)).await?;
        client
            .execute(
                "localStorage.setItem('mdbook-theme', arguments[0]);",
                vec![json!(theme)],
            )
            .await?;
        site.take_failed_requests();
        severe_log(client).await?;
        for page in &pages {
            client.goto(&format!("{}/{page}", site.base)).await?;
            let at = format!("{theme} {page}");
            // toc.html is the sidebar for readers without JavaScript: it
            // keeps the default theme, as no script runs to change it.
            if page != "toc.html" {
                let class = client
                    .execute("return document.documentElement.className;", Vec::new())
                    .await?;
                let class = class.as_str().unwrap_or_default();
                assert!(
                    class.split(' ').any(|c| c == theme),
                    "{at}: the theme is applied (class {class:?})"
                );
            }
            let found = client.execute_async(AXE_RUN, Vec::new()).await?;
            for v in found.as_array().expect("axe's violations") {
                let impact = v["impact"].as_str().unwrap_or_default();
                let targets: Vec<&str> = v["targets"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .collect();
                let id = v["id"].as_str().unwrap_or_default();
                let entry = tally.entry((impact.into(), id.into())).or_default();
                entry.0 += 1;
                entry.1 += targets.len();
                if impact == "critical" || impact == "serious" {
                    serious.push(format!(
                        "{at}: {impact} {id} ({}) at {}",
                        v["help"].as_str().unwrap_or_default(),
                        targets.join(", ")
                    ));
                }
            }
            match page_errors(client).await? {
                Some(errors) => faults.extend(errors.into_iter().map(|e| format!("{at}: {e}"))),
                None => faults.push(format!("{at}: the error collector did not run")),
            }
            faults.extend(
                severe_log(client)
                    .await?
                    .into_iter()
                    .map(|e| format!("{at}: console: {e}")),
            );
            faults.extend(
                site.take_failed_requests()
                    .into_iter()
                    .map(|p| format!("{at}: 404 for {p}")),
            );
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
