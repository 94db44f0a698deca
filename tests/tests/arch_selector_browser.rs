//! The architecture selector in a real browser: Debian's headless Chromium,
//! driven through chromedriver, on a fixture book built in-process and served
//! from 127.0.0.1. The reader picks arm64 once; every marked block on both
//! pages follows, through a reload and to the next page; the arrow keys, Home
//! and End move the choice; print and no-JavaScript views show every variant;
//! and nothing is logged as an error.
//!
//! Needs `apt-get install -y chromium chromium-driver`. Without them the test
//! fails when CI=true and otherwise says it was skipped.

use fantoccini::error::CmdError;
use fantoccini::key::Key;
use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, ClientBuilder, Locator};
use responder_docs::pipeline::{self, Options};
use responder_docs_tests::{copy_dir, fixture, repo_root};
use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

const CHROMIUM: &[&str] = &["chromium", "chromium-browser"];
const CHROMEDRIVER: &[&str] = &["chromedriver"];

/// Installs an error collector in every page before any of the page's own
/// scripts run, so an exception during load is caught too.
const COLLECTOR: &str = r#"
window.__archErrors = [];
window.addEventListener('error', function (e) {
  window.__archErrors.push(e.message || ('failed to load ' + (e.target && (e.target.src || e.target.href))));
}, true);
window.addEventListener('unhandledrejection', function (e) {
  window.__archErrors.push('unhandled rejection: ' + e.reason);
});
var consoleError = console.error;
console.error = function () {
  window.__archErrors.push(Array.prototype.join.call(arguments, ' '));
  return consoleError.apply(console, arguments);
};
"#;

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

fn on_path(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| names.iter().map(move |n| dir.join(n)))
        .find(|p| p.is_file())
}

#[test]
fn the_readers_architecture_follows_them_across_pages_reloads_and_keys() {
    let (Some(chromium), Some(chromedriver)) = (on_path(CHROMIUM), on_path(CHROMEDRIVER)) else {
        let why = "Chromium and chromedriver are not installed (apt-get install -y chromium chromium-driver)";
        if std::env::var("CI").as_deref() == Ok("true") {
            panic!("{why}: CI must run the browser test");
        }
        eprintln!(
            "SKIPPED the_readers_architecture_follows_them_across_pages_reloads_and_keys: {why}"
        );
        return;
    };
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

    let server = Server::start(dest);
    let driver = Driver::start(&chromedriver);
    let profile = tempfile::tempdir().unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let client = connect(&driver, &chromium, profile.path()).await;
        // Run the checks as a task so a failed assertion still lets the
        // browser be closed here; a hung browser fails instead of blocking CI.
        let task = tokio::spawn(drive(client.clone(), server.base.clone()));
        let abort = task.abort_handle();
        let result = tokio::time::timeout(Duration::from_secs(180), task).await;
        abort.abort();
        let _ = client.close().await;
        match result {
            Ok(Ok(Ok(()))) => {}
            Ok(Ok(Err(err))) => panic!("WebDriver command failed: {err}"),
            Ok(Err(join)) if join.is_panic() => std::panic::resume_unwind(join.into_panic()),
            Ok(Err(join)) => panic!("the browser checks stopped: {join}"),
            Err(_) => panic!("the browser did not finish within 180 s"),
        }
    });
}

async fn drive(client: Client, base: String) -> Result<(), CmdError> {
    let client = &client;
    cdp(
        client,
        "Page.addScriptToEvaluateOnNewDocument",
        json!({ "source": COLLECTOR }),
    )
    .await?;
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
    client.active_element().await?.send_keys(&Key::End).await?;
    assert_all_show(client, "arm64", 2, "after End").await?;
    client.active_element().await?.send_keys(&Key::Left).await?;
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

    let log = browser_log(client).await?;
    let severe: Vec<_> = log
        .as_array()
        .map(|entries| {
            entries
                .iter()
                .filter(|e| e["level"] == "SEVERE")
                .map(|e| e["message"].to_string())
                .collect()
        })
        .unwrap_or_default();
    assert!(severe.is_empty(), "the browser logged errors: {severe:#?}");
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
            group["labels"], 0,
            "{when}: the tab names the variant, not a label"
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
    let errors = client
        .execute(
            "return window.__archErrors === undefined ? null : window.__archErrors;",
            Vec::new(),
        )
        .await?;
    assert_eq!(
        errors,
        json!([]),
        "{when}: errors in the page (null: the collector did not run)"
    );
    Ok(())
}

async fn connect(driver: &Driver, chromium: &Path, profile: &Path) -> Client {
    let args = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--window-size=1200,900",
        &format!("--user-data-dir={}", profile.display()),
    ];
    let mut caps = serde_json::Map::new();
    caps.insert("browserName".into(), json!("chrome"));
    caps.insert(
        "goog:chromeOptions".into(),
        json!({ "binary": chromium, "args": args }),
    );
    caps.insert("goog:loggingPrefs".into(), json!({ "browser": "ALL" }));
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    let mut last = None;
    // chromedriver needs a moment to listen; a bounded number of tries.
    for _ in 0..50 {
        match ClientBuilder::new(connector.clone())
            .capabilities(caps.clone())
            .connect(&driver.url)
            .await
        {
            Ok(client) => return client,
            Err(err) => last = Some(err),
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    panic!("cannot start a Chromium session: {last:?}");
}

/// A Chrome DevTools command, through chromedriver's `goog/cdp/execute`.
#[derive(Debug)]
struct Cdp(Value);

impl WebDriverCompatibleCommand for Cdp {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!(
            "session/{}/goog/cdp/execute",
            session.unwrap_or_default()
        ))
    }
    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(self.0.to_string()))
    }
}

async fn cdp(client: &Client, cmd: &str, params: Value) -> Result<Value, CmdError> {
    client
        .issue_cmd(Cdp(json!({ "cmd": cmd, "params": params })))
        .await
}

/// The browser's console log (chromedriver's log endpoint): failed loads
/// and uncaught errors show here as SEVERE even if no page script saw them.
#[derive(Debug)]
struct BrowserLog;

impl WebDriverCompatibleCommand for BrowserLog {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/se/log", session.unwrap_or_default()))
    }
    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (
            http::Method::POST,
            Some(json!({ "type": "browser" }).to_string()),
        )
    }
}

async fn browser_log(client: &Client) -> Result<Value, CmdError> {
    client.issue_cmd(BrowserLog).await
}

/// chromedriver on a free local port; killed when the test ends.
struct Driver {
    child: Child,
    url: String,
}

impl Driver {
    fn start(program: &Path) -> Self {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(program)
            .arg(format!("--port={port}"))
            .arg("--allowed-ips=127.0.0.1")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", program.display()));
        Driver {
            child,
            url: format!("http://127.0.0.1:{port}/"),
        }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A static file server for the built site on 127.0.0.1, stopped on drop.
struct Server {
    base: String,
    stop: Arc<AtomicBool>,
    addr: std::net::SocketAddr,
}

impl Server {
    fn start(root: PathBuf) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let stop = Arc::new(AtomicBool::new(false));
        let stopping = stop.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stopping.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let root = root.clone();
                std::thread::spawn(move || serve(stream, &root));
            }
        });
        Server {
            base: format!("http://{addr}"),
            stop,
            addr,
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so it sees the flag.
        let _ = TcpStream::connect(self.addr);
    }
}

fn serve(mut stream: TcpStream, root: &Path) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut request = String::new();
    if reader.read_line(&mut request).is_err() {
        return;
    }
    // Drain the headers.
    let mut line = String::new();
    while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
        line.clear();
    }
    let path = request.split_whitespace().nth(1).unwrap_or("/");
    let path = path
        .split(['?', '#'])
        .next()
        .unwrap_or("/")
        .trim_start_matches('/');
    let path = if path.is_empty() { "index.html" } else { path };
    let file = root.join(path);
    let safe = responder_docs::book_root::stays_inside(Path::new(path));
    let (status, body) = match std::fs::read(&file) {
        Ok(body) if safe => ("200 OK", body),
        _ => ("404 Not Found", b"not found".to_vec()),
    };
    let kind = match file.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript",
        Some("css") => "text/css",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("json") => "application/json",
        Some("woff2") => "font/woff2",
        _ => "application/octet-stream",
    };
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(&body);
}
