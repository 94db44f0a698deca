//! The architecture selector in a real browser: Debian's headless Chromium,
//! driven through chromedriver, on a fixture book built in-process and served
//! from 127.0.0.1. The reader picks arm64 once; every marked block on both
//! pages follows, through a reload and to the next page; the keyboard follows
//! the WAI-ARIA tabs pattern (arrow keys with wrap-round, Home and End, one
//! tab stop per list, Tab into the panel); print and no-JavaScript views show
//! every variant; and nothing is logged as an error.
//!
//! Needs `apt-get install -y chromium chromium-driver` (see `browser`).

use fantoccini::error::CmdError;
use fantoccini::key::Key;
use fantoccini::{Client, Locator};
use responder_docs::pipeline::{self, Options};
use responder_docs_tests::{copy_dir, fixture, repo_root};
use serde_json::{Value, json};
use std::time::Duration;

use crate::browser::{Site, cdp, page_errors, severe_log};

/// What each architecture group on the page shows: the shown panels, the
/// selected tabs, and whether the tab list is visible.
const STATE: &str = r#"
return Array.from(document.querySelectorAll('[data-arch-group]')).map(function (g) {
  var visible = function (el) { return !!el && el.getClientRects().length > 0; };
  return {
    shown: Array.from(g.querySelectorAll(':scope > .arch-panel')).filter(visible).map(function (p) { return p.dataset.arch; }),
    labels: Array.from(g.querySelectorAll(':scope > .arch-panel > .arch-label')).filter(visible).length,
    selected: Array.from(g.querySelectorAll('[role="tab"][aria-selected="true"]')).map(function (t) { return t.dataset.arch; }),
    tabs: visible(g.querySelector(':scope > .arch-tabs'))
  };
});
"#;

#[test]
#[ignore = "needs Chromium and chromedriver: apt-get install -y chromium chromium-driver"]
fn the_readers_architecture_follows_them_across_pages_reloads_and_keys() {
    let book = copy_dir(&fixture("image-uri/good"));
    let theme = book.path().join("theme");
    std::fs::create_dir_all(&theme).unwrap();
    for file in ["arch-selector.js", "arch-selector.css"] {
        std::fs::copy(repo_root().join("theme").join(file), theme.join(file)).unwrap();
    }
    let site = tempfile::tempdir().unwrap();
    let dest = site.path().join("site");
    let outcome = pipeline::build(book.path(), Some(&dest), &Options::default()).unwrap();
    assert!(!outcome.failed, "{:#?}", outcome.diagnostics);
    crate::browser::run(
        "the_readers_architecture_follows_them_across_pages_reloads_and_keys",
        dest,
        Duration::from_secs(180),
        drive,
    );
}

async fn drive(client: Client, site: Site) -> Result<(), CmdError> {
    let client = &client;
    let base = &site.base;
    let first = format!("{base}/first.html");
    let second = format!("{base}/second.html");

    client.goto(&first).await?;
    assert_all_show(client, "amd64", 3, "first page, before any choice").await?;

    // Choose arm64 in the last group: every group on the page follows.
    let arm_tabs = client
        .find_all(Locator::Css(r#"[role="tab"][data-arch="arm64"]"#))
        .await?;
    arm_tabs.last().expect("arm64 tabs").click().await?;
    assert_all_show(client, "arm64", 3, "first page, after clicking arm64").await?;
    let panel = client
        .find(Locator::Css(r#"[role="tabpanel"][data-arch="amd64"]"#))
        .await?;
    assert!(
        !panel.is_displayed().await?,
        "WebDriver sees the amd64 panel hidden"
    );

    assert_no_errors(client, "first page").await?;
    client.refresh().await?;
    assert_all_show(client, "arm64", 3, "first page, after a reload").await?;
    assert_no_errors(client, "first page, reloaded").await?;

    client.goto(&second).await?;
    assert_all_show(client, "arm64", 2, "second page").await?;
    let template = client
        .find(Locator::Css(r#"[role="tabpanel"][data-arch="arm64"] code"#))
        .await?;
    assert!(template.text().await?.contains("1.0.4-arm64"));

    // The keyboard: arrows move between tabs (and do not turn the page),
    // Home and End jump; the choice is kept like a click.
    let selected = r#"[data-arch-group] [role="tab"][aria-selected="true"]"#;
    let tab = client.find(Locator::Css(selected)).await?;
    tab.send_keys(&Key::Left).await?;
    assert_all_show(client, "amd64", 2, "after ArrowLeft").await?;
    assert_focused(client, "amd64").await?;
    assert_eq!(
        client.current_url().await?.as_str(),
        second,
        "ArrowLeft stayed on the page"
    );
    client
        .active_element()
        .await?
        .send_keys(&Key::Right)
        .await?;
    assert_all_show(client, "arm64", 2, "after ArrowRight").await?;
    assert_focused(client, "arm64").await?;
    assert_eq!(
        client.current_url().await?.as_str(),
        second,
        "ArrowRight stayed on the page"
    );
    client.active_element().await?.send_keys(&Key::Home).await?;
    assert_all_show(client, "amd64", 2, "after Home").await?;
    assert_focused(client, "amd64").await?;
    client.active_element().await?.send_keys(&Key::End).await?;
    assert_all_show(client, "arm64", 2, "after End").await?;
    assert_focused(client, "arm64").await?;
    // From the last tab the arrow wraps round to the first, and back.
    client
        .active_element()
        .await?
        .send_keys(&Key::Right)
        .await?;
    assert_all_show(client, "amd64", 2, "after ArrowRight on the last tab").await?;
    assert_focused(client, "amd64").await?;
    client.active_element().await?.send_keys(&Key::Left).await?;
    assert_all_show(client, "arm64", 2, "after ArrowLeft on the first tab").await?;
    // One tab stop per tab list: the selected tab; Tab then enters its panel.
    let stops = client
        .execute(
            r#"return Array.from(document.querySelectorAll('[role="tab"]')).map(function (t) { return [t.dataset.arch, t.tabIndex]; });"#,
            Vec::new(),
        )
        .await?;
    assert_eq!(
        stops,
        json!([["amd64", -1], ["arm64", 0], ["amd64", -1], ["arm64", 0]]),
        "only the selected tab is in the tab order"
    );
    client.active_element().await?.send_keys(&Key::Tab).await?;
    let focused = client.active_element().await?;
    assert_eq!(focused.attr("role").await?.as_deref(), Some("tabpanel"));
    assert_eq!(focused.attr("data-arch").await?.as_deref(), Some("arm64"));
    assert!(
        focused.is_displayed().await?,
        "Tab moves into the shown panel"
    );
    let tab = client
        .find(Locator::Css(r#"[role="tab"][aria-selected="true"]"#))
        .await?;
    tab.send_keys(&Key::Left).await?;
    assert_no_errors(client, "second page").await?;
    client.goto(&first).await?;
    assert_all_show(
        client,
        "amd64",
        3,
        "first page, after choosing amd64 by keyboard",
    )
    .await?;
    assert_no_errors(client, "first page").await?;

    // On paper every variant is printed under its label, without tabs.
    cdp(
        client,
        "Emulation.setEmulatedMedia",
        json!({ "media": "print" }),
    )
    .await?;
    for group in state(client).await? {
        assert_eq!(group["shown"], json!(["amd64", "arm64"]), "print view");
        assert_eq!(group["labels"], 2, "print view labels");
        assert_eq!(group["tabs"], false, "print view has no tabs");
    }
    cdp(client, "Emulation.setEmulatedMedia", json!({ "media": "" })).await?;

    // Without JavaScript every variant shows, labelled.
    cdp(
        client,
        "Emulation.setScriptExecutionDisabled",
        json!({ "value": true }),
    )
    .await?;
    client.goto(&second).await?;
    let panels = client
        .find_all(Locator::Css(r#"[role="tabpanel"]"#))
        .await?;
    assert_eq!(panels.len(), 4);
    for panel in panels {
        assert!(
            panel.is_displayed().await?,
            "every panel shows without JavaScript"
        );
    }
    for label in client.find_all(Locator::Css(".arch-label")).await? {
        assert!(
            label.is_displayed().await?,
            "every label shows without JavaScript"
        );
    }
    for list in client.find_all(Locator::Css(r#"[role="tablist"]"#)).await? {
        assert!(
            !list.is_displayed().await?,
            "no dead tabs without JavaScript"
        );
    }
    cdp(
        client,
        "Emulation.setScriptExecutionDisabled",
        json!({ "value": false }),
    )
    .await?;

    let severe = severe_log(client).await?;
    assert!(severe.is_empty(), "the browser logged errors: {severe:#?}");
    assert_eq!(
        site.take_failed_requests(),
        Vec::<String>::new(),
        "requests the site could not answer"
    );
    Ok(())
}

async fn state(client: &Client) -> Result<Vec<Value>, CmdError> {
    Ok(client
        .execute(STATE, Vec::new())
        .await?
        .as_array()
        .cloned()
        .unwrap_or_default())
}

/// Every group on the page shows `arch`, and only it, with its tab selected.
async fn assert_all_show(
    client: &Client,
    arch: &str,
    groups: usize,
    when: &str,
) -> Result<(), CmdError> {
    let found = state(client).await?;
    assert_eq!(found.len(), groups, "{when}: groups on the page");
    for (i, group) in found.iter().enumerate() {
        assert_eq!(
            group["shown"],
            json!([arch]),
            "{when}: group {i} shows {group}"
        );
        assert_eq!(
            group["selected"],
            json!([arch]),
            "{when}: group {i} selects {group}"
        );
        assert_eq!(group["tabs"], true, "{when}: group {i} has visible tabs");
        assert_eq!(
            group["labels"], 1,
            "{when}: the shown panel's label gives the console's name"
        );
    }
    Ok(())
}

async fn assert_focused(client: &Client, arch: &str) -> Result<(), CmdError> {
    let focused = client.active_element().await?;
    assert_eq!(focused.attr("role").await?.as_deref(), Some("tab"));
    assert_eq!(
        focused.attr("data-arch").await?.as_deref(),
        Some(arch),
        "focus moved with the choice"
    );
    Ok(())
}

async fn assert_no_errors(client: &Client, when: &str) -> Result<(), CmdError> {
    assert_eq!(
        page_errors(client).await?,
        Some(Vec::new()),
        "{when}: errors in the page (None: the collector did not run)"
    );
    Ok(())
}
