//! Reading the published guide on a phone and on a desktop: the real book,
//! built in-process, opened page by page in Debian's headless Chromium at
//! 390×844 (a phone, with mobile emulation) and 1280×900, in a light and two
//! dark themes. On every page, for each architecture:
//!
//! - each row of architecture tabs stays one row;
//! - the page never scrolls sideways;
//! - a lone image URI shows its end (the `-amd64`/`-arm64` tag), nothing of
//!   it cut off by a scrolling box;
//! - an inline code span shorter than 40 characters sits on one line, and in
//!   a longer one no word shorter than that is broken (so `responderapi-sg`
//!   never becomes `responderapi-` / `sg`), unless the text is wider than
//!   the line it sits in (the test measures it with the span's font, and
//!   lists those);
//! - punctuation written against inline code stays on the code's line (no
//!   `(` left at a line's end, no `)` or `,` starting the next);
//! - axe finds no critical or serious violation, and the page logs no error.
//!
//! Every page is also saved as a full-page screenshot in `target/screenshots/`
//! (`PAGE-WIDTH-THEME.png`) to be looked at.
//!
//! Needs Chromium and chromedriver (see `browser`) and axe-core installed
//! with `npm ci --prefix tests`. Without them the test fails when CI=true
//! and otherwise says it was skipped.

use fantoccini::Client;
use fantoccini::error::CmdError;
use responder_docs::pipeline::{self, Options};
use responder_docs_tests::repo_root;
use serde_json::json;
use std::path::PathBuf;
use std::time::Duration;

use crate::browser::{Site, assert_theme, axe_violations, cdp, faults, install_axe, use_theme};

const TEST: &str = "every_page_reads_on_a_phone_and_a_desktop_in_light_and_dark_themes";

/// One light theme and two dark ones (the book's preferred dark theme, and
/// the one with the darkest background).
const THEMES: [&str; 3] = ["light", "navy", "ayu"];

/// (width, height, mobile emulation).
const SIZES: [(u32, u32, bool); 3] = [(320, 568, true), (390, 844, true), (1280, 900, false)];

/// Code spans shorter than this are identifiers or short commands: kept on
/// one line.
const SHORT: usize = 40;

/// The architecture choice arch-selector.js keeps.
const ARCH_KEY: &str = "responderapi-docs.architecture";

/// Waits until the web fonts are in and two frames have been laid out, so
/// what is measured is what the reader sees.
const SETTLED: &str = r#"
var done = arguments[arguments.length - 1];
document.fonts.ready.then(function () {
  requestAnimationFrame(function () { requestAnimationFrame(function () { done(true); }); });
});
"#;

/// The layout checks, as a list of problems (empty: none).
const LAYOUT: &str = r#"
var SHORT = arguments[0];
var problems = [];
var root = document.documentElement;
var main = document.querySelector('.content main') || document.body;
var visible = function (el) { return el.getClientRects().length > 0; };
var describe = function (el) {
  var text = (el.textContent || '').replace(/\s+/g, ' ').trim();
  return el.tagName.toLowerCase() + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : '') +
    ' "' + (text.length > 60 ? text.slice(0, 60) + '…' : text) + '"';
};
var lines = function (rects) {
  var tops = {};
  Array.prototype.forEach.call(rects, function (r) { if (r.width > 0) { tops[Math.round(r.top)] = true; } });
  return Object.keys(tops).length;
};

// Tabs: one row per group.
document.querySelectorAll('.arch-tabs').forEach(function (list) {
  if (!visible(list)) { return; }
  var tabs = Array.from(list.querySelectorAll('[role="tab"]'));
  var tops = tabs.map(function (t) { return t.offsetTop; });
  if (tops.some(function (t) { return t !== tops[0]; })) {
    problems.push('tabs wrap onto ' + new Set(tops).size + ' rows: ' + tabs.map(function (t) { return t.textContent; }).join(' | '));
  }
  if (list.scrollWidth > list.clientWidth) {
    problems.push('the tab row is wider than its box (' + list.scrollWidth + ' > ' + list.clientWidth + ')');
  }
});

// Sideways scrolling of the page, and what causes it.
if (root.scrollWidth > root.clientWidth || root.scrollWidth > window.innerWidth) {
  var wide = Array.from(main.querySelectorAll('*')).filter(function (el) {
    var r = el.getBoundingClientRect();
    return r.width > 0 && r.right > root.clientWidth + 1;
  }).slice(0, 3).map(describe);
  problems.push('the page scrolls sideways: ' + root.scrollWidth + ' px wide in ' + root.clientWidth + ' (' + wide.join('; ') + ')');
}

// A lone image URI: no box it sits in cuts it off.
main.querySelectorAll('code').forEach(function (code) {
  var text = code.textContent.trim();
  if (!/^\S+\.amazonaws\.com\/\S+-(amd64|arm64)$/.test(text) || !visible(code)) { return; }
  for (var el = code; el && el !== main; el = el.parentElement) {
    var style = getComputedStyle(el);
    if (style.overflowX !== 'visible' && el.scrollWidth > el.clientWidth) {
      problems.push('the end of ' + text + ' is cut off: ' + describe(el) + ' is ' + el.scrollWidth + ' px wide in ' + el.clientWidth);
      return;
    }
  }
  var rects = code.getClientRects();
  var last = rects[rects.length - 1];
  if (last.right > root.clientWidth) {
    problems.push('the end of ' + text + ' is off the page (right edge ' + Math.round(last.right) + ')');
  }
});

// Inline code: short spans on one line, no short word broken in long ones,
// unless the text is wider than the line it sits in (then it must break).
var canvas = document.createElement('canvas').getContext('2d');
var tooWide = function (code, text) {
  var style = getComputedStyle(code);
  canvas.font = style.font;
  var width = canvas.measureText(text).width + parseFloat(style.paddingLeft) + parseFloat(style.paddingRight);
  var block = code.parentElement;
  while (block && getComputedStyle(block).display.indexOf('inline') === 0) { block = block.parentElement; }
  var bs = getComputedStyle(block);
  var line = block.clientWidth - parseFloat(bs.paddingLeft) - parseFloat(bs.paddingRight);
  if (width > line) { exempt.push(text + ' (' + Math.round(width) + ' px in a ' + Math.round(line) + ' px line)'); return true; }
  return false;
};
var exempt = [];
main.querySelectorAll('code').forEach(function (code) {
  if (code.closest('pre') || !visible(code)) { return; }
  var text = code.textContent;
  if (text.trim().length < SHORT) {
    var n = lines(code.getClientRects());
    if (n > 1 && !tooWide(code, text.trim())) { problems.push('inline code breaks over ' + n + ' lines: ' + describe(code)); }
    return;
  }
  var walker = document.createTreeWalker(code, NodeFilter.SHOW_TEXT);
  for (var node = walker.nextNode(); node; node = walker.nextNode()) {
    var word = /\S+/g, m;
    while ((m = word.exec(node.data))) {
      if (m[0].length >= SHORT) { continue; }
      var range = document.createRange();
      range.setStart(node, m.index);
      range.setEnd(node, m.index + m[0].length);
      var n = lines(range.getClientRects());
      if (n > 1 && !tooWide(code, m[0])) { problems.push('`' + m[0] + '` breaks over ' + n + ' lines in ' + describe(code)); }
    }
  }
});
// Punctuation written against inline code stays on its line: no "(" left at
// the end of one line, no ")" or "," starting the next.
var texts = [];
var all = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
for (var t = all.nextNode(); t; t = all.nextNode()) { if (t.data.length) { texts.push(t); } }
var charRect = function (node, at) {
  var r = document.createRange(); r.setStart(node, at); r.setEnd(node, at + 1);
  return r.getClientRects()[0];
};
var sameLine = function (a, b) { return Math.abs((a.top + a.bottom) / 2 - (b.top + b.bottom) / 2) < 6; };
main.querySelectorAll('code').forEach(function (code) {
  if (code.closest('pre') || !visible(code)) { return; }
  var inside = texts.filter(function (n) { return code.contains(n); });
  if (!inside.length) { return; }
  var rects = code.getClientRects();
  var before = texts[texts.indexOf(inside[0]) - 1];
  var after = texts[texts.indexOf(inside[inside.length - 1]) + 1];
  if (before && /[(\[“‘]$/.test(before.data)) {
    var open = charRect(before, before.data.length - 1);
    if (open && !sameLine(open, rects[0])) { problems.push('"' + before.data.slice(-1) + '" is left on the line before ' + describe(code)); }
  }
  if (after && /^[)\],.;:!?”’]/.test(after.data)) {
    var close = charRect(after, 0);
    if (close && !sameLine(close, rects[rects.length - 1])) { problems.push('"' + after.data[0] + '" starts the line after ' + describe(code)); }
  }
});
return { problems: problems, exempt: exempt };
"#;

#[test]
#[ignore = "needs Chromium, chromedriver and axe-core: apt-get install -y chromium chromium-driver; npm ci --prefix tests"]
fn every_page_reads_on_a_phone_and_a_desktop_in_light_and_dark_themes() {
    let axe = crate::browser::axe_source(TEST);
    let out = tempfile::tempdir().unwrap();
    let dest = out.path().join("site");
    let outcome = pipeline::build(&repo_root(), Some(&dest), &Options::default()).unwrap();
    assert!(!outcome.failed, "{:#?}", outcome.diagnostics);
    // The chapters and the 404 page; the print page repeats the chapters,
    // index.html the first one, and toc.html is the sidebar without scripts.
    let pages: Vec<String> = crate::a11y_browser::pages(&dest)
        .into_iter()
        .filter(|p| !["index.html", "print.html", "toc.html"].contains(&p.as_str()))
        .collect();
    for expected in ["introduction.html", "task-definition.html", "404.html"] {
        assert!(
            pages.iter().any(|p| p == expected),
            "{expected} in {pages:?}"
        );
    }
    let shots = repo_root().join("target/screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    crate::browser::run(TEST, dest, Duration::from_secs(1800), |client, site| {
        read_every_page(client, site, pages, axe, shots)
    });
}

async fn read_every_page(
    client: Client,
    site: Site,
    pages: Vec<String>,
    axe: String,
    shots: PathBuf,
) -> Result<(), CmdError> {
    let client = &client;
    install_axe(client, &axe).await?;
    let mut problems = Vec::new();
    let mut too_wide = Vec::new();
    let mut checked = 0;
    for (width, height, mobile) in SIZES {
        cdp(
            client,
            "Emulation.setDeviceMetricsOverride",
            json!({ "width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile }),
        )
        .await?;
        for theme in THEMES {
            use_theme(client, &site, theme).await?;
            for page in &pages {
                let at = format!("{width}px {theme} {page}");
                client.goto(&format!("{}/{page}", site.base)).await?;
                client.execute_async(SETTLED, Vec::new()).await?;
                assert_theme(client, theme, &at).await?;
                let (found, wide) = layout(client).await?;
                problems.extend(found.into_iter().map(|p| format!("{at}: {p}")));
                too_wide.extend(wide.into_iter().map(|w| format!("{at}: {w}")));
                screenshot(client, &shots, page, width, theme).await?;
                // The other architecture: its tabs, URIs and code, laid out.
                let switched = client
                    .execute(
                        r#"var tab = document.querySelector('[role="tab"][data-arch="arm64"]');
                           if (tab) { tab.click(); } return !!tab;"#,
                        Vec::new(),
                    )
                    .await?;
                if switched == json!(true) {
                    client.execute_async(SETTLED, Vec::new()).await?;
                    let (found, wide) = layout(client).await?;
                    problems.extend(found.into_iter().map(|p| format!("{at} (arm64): {p}")));
                    too_wide.extend(wide.into_iter().map(|w| format!("{at} (arm64): {w}")));
                    client
                        .execute(
                            "localStorage.removeItem(arguments[0]);",
                            vec![json!(ARCH_KEY)],
                        )
                        .await?;
                }
                for v in axe_violations(client).await? {
                    if v.is_serious() {
                        problems.push(format!("{at}: axe: {v}"));
                    }
                }
                problems.extend(faults(client, &site, &at).await?);
                checked += 1;
            }
        }
    }
    eprintln!(
        "code wider than its line, so allowed to break ({}):\n{}",
        too_wide.len(),
        too_wide.join("\n")
    );
    eprintln!(
        "{checked} page views checked ({} pages, {} sizes, {} themes); screenshots in {}",
        pages.len(),
        SIZES.len(),
        THEMES.len(),
        shots.display()
    );
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
    Ok(())
}

/// The problems the layout checks found, and the code too wide for its line
/// (allowed to break).
async fn layout(client: &Client) -> Result<(Vec<String>, Vec<String>), CmdError> {
    let found = client.execute(LAYOUT, vec![json!(SHORT)]).await?;
    let list = |key: &str| -> Vec<String> {
        serde_json::from_value(found[key].clone()).expect("a list of strings")
    };
    Ok((list("problems"), list("exempt")))
}

/// The whole page, top to bottom, as the reader would scroll through it.
async fn screenshot(
    client: &Client,
    dir: &std::path::Path,
    page: &str,
    width: u32,
    theme: &str,
) -> Result<(), CmdError> {
    let height = client
        .execute("return document.documentElement.scrollHeight;", Vec::new())
        .await?
        .as_u64()
        .unwrap_or(900);
    let shot = cdp(
        client,
        "Page.captureScreenshot",
        json!({
            "format": "png",
            "captureBeyondViewport": true,
            "clip": { "x": 0, "y": 0, "width": width, "height": height, "scale": 1 }
        }),
    )
    .await?;
    let data = shot["data"].as_str().expect("a base64 PNG");
    let stem = page.trim_end_matches(".html").replace('/', "-");
    std::fs::write(
        dir.join(format!("{stem}-{width}-{theme}.png")),
        base64_decode(data),
    )
    .expect("the screenshot is written");
    Ok(())
}

/// Standard base64 (with padding), as DevTools sends screenshots.
fn base64_decode(text: &str) -> Vec<u8> {
    let value = |c: u8| -> u32 {
        match c {
            b'A'..=b'Z' => u32::from(c - b'A'),
            b'a'..=b'z' => u32::from(c - b'a') + 26,
            b'0'..=b'9' => u32::from(c - b'0') + 52,
            b'+' => 62,
            b'/' => 63,
            _ => panic!("not base64: {c}"),
        }
    };
    let bytes: Vec<u8> = text.bytes().filter(|&c| c != b'=').collect();
    let mut out = Vec::with_capacity(bytes.len() * 3 / 4);
    for chunk in bytes.chunks(4) {
        let mut n = 0u32;
        for (i, &c) in chunk.iter().enumerate() {
            n |= value(c) << (18 - 6 * i);
        }
        let [_, a, b, c] = n.to_be_bytes();
        out.extend_from_slice(&[a, b, c][..chunk.len() - 1]);
    }
    out
}

#[test]
fn base64_decodes_what_devtools_sends() {
    assert_eq!(base64_decode("aGVsbG8="), b"hello");
    assert_eq!(base64_decode("aGk="), b"hi");
    assert_eq!(base64_decode("YWJj"), b"abc");
    assert_eq!(base64_decode(""), b"");
}
