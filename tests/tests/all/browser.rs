//! What the browser tests share: Debian's headless Chromium driven through
//! chromedriver, a static server for a built site on 127.0.0.1 that records
//! every request it cannot answer, Chrome DevTools commands, the page error
//! collector, mdBook's theme choice, and axe-core's audit.
//!
//! Needs `apt-get install -y chromium chromium-driver`. Without them a test
//! fails when CI=true and otherwise says it was skipped.

use fantoccini::error::CmdError;
use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, ClientBuilder};
use responder_docs_tests::repo_root;
use serde_json::{Value, json};
use std::future::Future;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const CHROMIUM: &[&str] = &["chromium", "chromium-browser"];
const CHROMEDRIVER: &[&str] = &["chromedriver"];

/// Installs an error collector in every page before any of the page's own
/// scripts run, so an exception during load is caught too.
const COLLECTOR: &str = r#"
window.__pageErrors = [];
window.addEventListener('error', function (e) {
  window.__pageErrors.push(e.message || ('failed to load ' + (e.target && (e.target.src || e.target.href))));
}, true);
window.addEventListener('unhandledrejection', function (e) {
  window.__pageErrors.push('unhandled rejection: ' + e.reason);
});
var consoleError = console.error;
console.error = function () {
  window.__pageErrors.push(Array.prototype.join.call(arguments, ' '));
  return consoleError.apply(console, arguments);
};
"#;

/// Runs axe (installed in the page by the caller) with its default rules
/// (WCAG 2.0, 2.1 and 2.2 A and AA, and best practice) and keeps what a
/// report needs: each violated rule with its impact and elements.
const AXE_RUN: &str = r#"
var done = arguments[arguments.length - 1];
axe.run(document, { resultTypes: ['violations'] }).then(function (result) {
  done(result.violations.map(function (v) {
    return {
      id: v.id,
      impact: v.impact || 'none',
      help: v.help,
      targets: v.nodes.map(function (n) { return n.target.join(' '); })
    };
  }));
}, function (err) { done([{ id: 'axe-error', impact: 'critical', help: String(err), targets: [] }]); });
"#;

/// axe-core's script from `npm ci --prefix tests`; `test` (marked as
/// needing it) fails without it.
pub fn axe_source(test: &str) -> String {
    let path = repo_root().join("tests/node_modules/axe-core/axe.min.js");
    std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "{test} needs axe-core: {} is missing (run `npm ci --prefix tests`)",
            path.display()
        )
    })
}

/// One rule axe found violated on a page.
pub struct Violation {
    pub impact: String,
    pub id: String,
    pub help: String,
    /// The elements, as CSS selectors.
    pub targets: Vec<String>,
}

impl Violation {
    /// What the tests fail on.
    pub fn is_serious(&self) -> bool {
        self.impact == "critical" || self.impact == "serious"
    }
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} {} ({}) at {}",
            self.impact,
            self.id,
            self.help,
            self.targets.join(", ")
        )
    }
}

/// Installs axe (its script from [`axe_source`]) in every page opened from
/// now on.
pub async fn install_axe(client: &Client, source: &str) -> Result<(), CmdError> {
    cdp(
        client,
        "Page.addScriptToEvaluateOnNewDocument",
        json!({ "source": source }),
    )
    .await
    .map(drop)
}

/// Runs axe on the open page (see [`install_axe`]).
pub async fn axe_violations(client: &Client) -> Result<Vec<Violation>, CmdError> {
    let found = client.execute_async(AXE_RUN, Vec::new()).await?;
    let text = |v: &Value, key: &str| v[key].as_str().unwrap_or_default().to_string();
    Ok(found
        .as_array()
        .expect("axe's violations")
        .iter()
        .map(|v| Violation {
            impact: text(v, "impact"),
            id: text(v, "id"),
            help: text(v, "help"),
            targets: v["targets"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect(),
        })
        .collect())
}

/// What went wrong on the open page since the last call, each line starting
/// with `at`: errors its scripts raised or logged, the console's SEVERE
/// entries, and the requests the site could not answer.
pub async fn faults(client: &Client, site: &Site, at: &str) -> Result<Vec<String>, CmdError> {
    let mut faults = Vec::new();
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
    Ok(faults)
}

/// Starts the pages that follow in mdBook's `theme`, with nothing else
/// stored (no architecture chosen), and forgets what failed or was logged
/// so far.
pub async fn use_theme(client: &Client, site: &Site, theme: &str) -> Result<(), CmdError> {
    client.goto(&format!("{}/404.html", site.base)).await?;
    client
        .execute(
            "localStorage.clear(); localStorage.setItem('mdbook-theme', arguments[0]);",
            vec![json!(theme)],
        )
        .await?;
    site.take_failed_requests();
    severe_log(client).await?;
    Ok(())
}

/// Panics unless the open page shows `theme` (the class mdBook's script puts
/// on `<html>`).
pub async fn assert_theme(client: &Client, theme: &str, at: &str) -> Result<(), CmdError> {
    let class = client
        .execute("return document.documentElement.className;", Vec::new())
        .await?;
    let class = class.as_str().unwrap_or_default();
    assert!(
        class.split(' ').any(|c| c == theme),
        "{at}: the theme is applied (class {class:?})"
    );
    Ok(())
}

/// The built site as the browser sees it.
#[derive(Clone)]
pub struct Site {
    /// `http://127.0.0.1:PORT`, no trailing slash.
    pub base: String,
    failed: Arc<Mutex<Vec<String>>>,
}

impl Site {
    /// The paths the server answered with 404 since the last call.
    pub fn take_failed_requests(&self) -> Vec<String> {
        std::mem::take(&mut *self.failed.lock().unwrap())
    }
}

/// Serves `site` and opens Chromium on it, runs `checks`, and closes the
/// browser whatever happens.
pub fn run<F, Fut>(test: &str, site: PathBuf, limit: Duration, checks: F)
where
    F: FnOnce(Client, Site) -> Fut,
    Fut: Future<Output = Result<(), CmdError>> + Send + 'static,
{
    let tools = tools(test);
    let server = Server::start(site);
    drive(tools, server.site.clone(), limit, checks);
}

/// As [`run`], on a site another server (`responder-docs serve`) answers at
/// `base`; no request it fails is recorded.
pub fn run_at<F, Fut>(test: &str, base: String, limit: Duration, checks: F)
where
    F: FnOnce(Client, Site) -> Fut,
    Fut: Future<Output = Result<(), CmdError>> + Send + 'static,
{
    let tools = tools(test);
    let site = Site {
        base,
        failed: Arc::default(),
    };
    drive(tools, site, limit, checks);
}

/// Chromium and chromedriver; `test` (marked as needing them) fails
/// without them.
fn tools(test: &str) -> (PathBuf, PathBuf) {
    let (Some(chromium), Some(chromedriver)) = (on_path(CHROMIUM), on_path(CHROMEDRIVER)) else {
        panic!(
            "{test} needs Chromium and chromedriver (apt-get install -y chromium chromium-driver)"
        );
    };
    (chromium, chromedriver)
}

fn drive<F, Fut>(
    (chromium, chromedriver): (PathBuf, PathBuf),
    site: Site,
    limit: Duration,
    checks: F,
) where
    F: FnOnce(Client, Site) -> Fut,
    Fut: Future<Output = Result<(), CmdError>> + Send + 'static,
{
    let driver = Driver::start(&chromedriver);
    let profile = tempfile::tempdir().unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let client = connect(&driver, &chromium, profile.path()).await;
        cdp(
            &client,
            "Page.addScriptToEvaluateOnNewDocument",
            json!({ "source": COLLECTOR }),
        )
        .await
        .expect("the error collector is installed");
        // Run the checks as a task so a failed assertion still lets the
        // browser be closed here; a hung browser fails instead of blocking CI.
        let task = tokio::spawn(checks(client.clone(), site));
        let abort = task.abort_handle();
        let result = tokio::time::timeout(limit, task).await;
        abort.abort();
        let _ = client.close().await;
        match result {
            Ok(Ok(Ok(()))) => {}
            Ok(Ok(Err(err))) => panic!("WebDriver command failed: {err}"),
            Ok(Err(join)) if join.is_panic() => std::panic::resume_unwind(join.into_panic()),
            Ok(Err(join)) => panic!("the browser checks stopped: {join}"),
            Err(_) => panic!("the browser did not finish within {limit:?}"),
        }
    });
}

/// The errors the page's scripts raised or logged, and resources that failed
/// to load, since it was opened. `None`: the collector did not run.
pub async fn page_errors(client: &Client) -> Result<Option<Vec<String>>, CmdError> {
    let errors = client
        .execute(
            "return window.__pageErrors === undefined ? null : window.__pageErrors;",
            Vec::new(),
        )
        .await?;
    Ok(serde_json::from_value(errors).ok())
}

/// The SEVERE entries of the browser's console log since the last call
/// (chromedriver's log endpoint): failed loads and uncaught errors show here
/// even if no page script saw them.
pub async fn severe_log(client: &Client) -> Result<Vec<String>, CmdError> {
    let log = client.issue_cmd(BrowserLog).await?;
    Ok(log
        .as_array()
        .map(|entries| {
            entries
                .iter()
                .filter(|e| e["level"] == "SEVERE")
                .map(|e| e["message"].to_string())
                .collect()
        })
        .unwrap_or_default())
}

/// A Chrome DevTools command, through chromedriver's `goog/cdp/execute`.
pub async fn cdp(client: &Client, cmd: &str, params: Value) -> Result<Value, CmdError> {
    client
        .issue_cmd(Cdp(json!({ "cmd": cmd, "params": params })))
        .await
}

fn on_path(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| names.iter().map(move |n| dir.join(n)))
        .find(|p| p.is_file())
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
        // print.html prints itself on load; headless Chromium has no dialog.
        "--disable-print-preview",
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
    site: Site,
    stop: Arc<AtomicBool>,
    addr: std::net::SocketAddr,
}

impl Server {
    fn start(root: PathBuf) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let stop = Arc::new(AtomicBool::new(false));
        let stopping = stop.clone();
        let failed = Arc::new(Mutex::new(Vec::new()));
        let failures = failed.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stopping.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let root = root.clone();
                let failures = failures.clone();
                std::thread::spawn(move || {
                    if let Some(missing) = serve(stream, &root) {
                        failures.lock().unwrap().push(missing);
                    }
                });
            }
        });
        Server {
            site: Site {
                base: format!("http://{addr}"),
                failed,
            },
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

/// Answers one request; returns the path when it was not found.
fn serve(mut stream: TcpStream, root: &Path) -> Option<String> {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut request = String::new();
    if reader.read_line(&mut request).is_err() || request.is_empty() {
        return None;
    }
    // Drain the headers.
    let mut line = String::new();
    while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
        line.clear();
    }
    let target = request.split_whitespace().nth(1).unwrap_or("/");
    let path = target
        .split(['?', '#'])
        .next()
        .unwrap_or("/")
        .trim_start_matches('/');
    let path = if path.is_empty() { "index.html" } else { path };
    let file = root.join(path);
    let safe = responder_docs::model::paths::stays_inside(Path::new(path));
    let (status, body, missing) = match std::fs::read(&file) {
        Ok(body) if safe => ("200 OK", body, None),
        _ => (
            "404 Not Found",
            b"not found".to_vec(),
            Some(target.to_string()),
        ),
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
    missing
}
