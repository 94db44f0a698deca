//! External `http(s)` links. Their syntax is checked on every build; whether
//! they answer is checked only on request (`--online`): a few worker threads,
//! at most a couple of requests per host at a time, timeouts, retries for
//! answers that may be transient, and a cache of good answers under the book
//! root so a second run within the cache's age asks nothing.
//!
//! `ureq` on std threads rather than `lychee-lib`: the same behaviour here
//! costs a handful of small crates instead of an async HTTP stack with a
//! GitHub client, which matters on a two-core CI.

use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet, VecDeque};
use std::path::{Path, PathBuf};
#[cfg(feature = "online")]
use std::sync::{Condvar, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// What is wrong with a URL as written, if anything.
pub(crate) fn syntax(url: &str) -> Result<(), String> {
    if url.chars().any(char::is_whitespace) {
        return Err("contains a space; encode it as `%20`".into());
    }
    let Some((scheme, rest)) = url.split_once(':') else {
        return Err("has no scheme".into());
    };
    let Some(rest) = rest.strip_prefix("//") else {
        return Err(format!("lacks `//` after `{scheme}:`"));
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let (host, port) = if let Some(v6) = host_port.strip_prefix('[') {
        match v6.split_once(']') {
            Some((addr, tail)) if addr.contains(':') => (addr, tail.strip_prefix(':')),
            _ => return Err("has a malformed IPv6 address".into()),
        }
    } else {
        match host_port.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (host_port, None),
        }
    };
    if host.is_empty() {
        return Err("has no host".into());
    }
    if let Some(port) = port
        && !port.is_empty()
        && port.parse::<u16>().is_err()
    {
        return Err(format!("has an invalid port `{port}`"));
    }
    if !host_port.starts_with('[') {
        if host.split('.').any(str::is_empty) && !host.ends_with('.') {
            return Err(format!("has an empty label in the host `{host}`"));
        }
        if let Some(bad) = host
            .chars()
            .find(|c| !(c.is_alphanumeric() || matches!(c, '-' | '.' | '_')))
        {
            return Err(format!("has `{bad}` in the host `{host}`"));
        }
        if host.eq_ignore_ascii_case("http") || host.eq_ignore_ascii_case("https") {
            return Err("repeats the scheme".into());
        }
    }
    Ok(())
}

/// How one URL answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Answer {
    Fine,
    /// Gone for sure (404, no such host…): an error.
    Broken(String),
    /// Maybe transient or a bot wall (timeouts, 429, 5xx, 403): a warning.
    Doubtful(String),
}

#[derive(Debug, Clone)]
pub(crate) struct Options {
    pub concurrency: usize,
    pub per_host: usize,
    pub timeout: Duration,
    pub retries: u32,
    /// Good answers younger than this are not asked again.
    pub max_age: Duration,
    pub cache_file: Option<PathBuf>,
    /// Honour `HTTPS_PROXY` and friends (off for loopback tests).
    pub env_proxy: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            concurrency: 8,
            per_host: 2,
            timeout: Duration::from_secs(10),
            retries: 2,
            max_age: Duration::from_secs(24 * 3600),
            cache_file: None,
            env_proxy: true,
        }
    }
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct Cache {
    /// URL → when it last answered well (seconds since the epoch).
    fine: HashMap<String, u64>,
}

/// Asks every URL (fragments dropped, each once) and returns the answers.
pub(crate) fn reachability(urls: &[String], options: &Options) -> HashMap<String, Answer> {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let mut cache = options
        .cache_file
        .as_deref()
        .and_then(|p| std::fs::read_to_string(p).ok())
        .and_then(|t| serde_json::from_str::<Cache>(&t).ok())
        .unwrap_or_default();
    cache
        .fine
        .retain(|_, at| now.saturating_sub(*at) < options.max_age.as_secs());
    let mut answers = HashMap::new();
    let mut queue = VecDeque::new();
    let mut seen = HashSet::new();
    for url in urls {
        let bare = without_fragment(url);
        if cache.fine.contains_key(bare) {
            answers.insert(url.clone(), Answer::Fine);
        } else if seen.insert(bare.to_string()) {
            queue.push_back(bare.to_string());
        }
    }
    let asked = ask_all(queue, options);
    for url in urls {
        if let Some(answer) = asked.get(without_fragment(url)) {
            answers.insert(url.clone(), answer.clone());
        }
    }
    for (url, answer) in &asked {
        if *answer == Answer::Fine {
            cache.fine.insert(url.clone(), now);
        }
    }
    if let Some(path) = &options.cache_file {
        // A cache that cannot be written only costs time next run.
        let _ = save(path, &cache);
    }
    answers
}

fn save(path: &Path, cache: &Cache) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = path.with_extension("json.tmp");
    std::fs::write(&tmp, serde_json::to_string_pretty(cache)?)?;
    std::fs::rename(tmp, path)
}

fn without_fragment(url: &str) -> &str {
    url.split_once('#').map_or(url, |(u, _)| u)
}

#[cfg(feature = "online")]
fn host_of(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    rest.split(['/', '?', '#'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase()
}

#[cfg(feature = "online")]
struct Work {
    queue: VecDeque<String>,
    busy: HashMap<String, usize>,
}

#[cfg(feature = "online")]
fn ask_all(queue: VecDeque<String>, options: &Options) -> HashMap<String, Answer> {
    if queue.is_empty() {
        return HashMap::new();
    }
    let mut config = ureq::Agent::config_builder()
        .timeout_global(Some(options.timeout))
        .http_status_as_error(false)
        .user_agent(concat!(
            "responder-docs-link-check/",
            env!("CARGO_PKG_VERSION")
        ));
    if !options.env_proxy {
        config = config.proxy(None);
    }
    let agent: ureq::Agent = config.build().into();
    let workers = options.concurrency.clamp(1, queue.len());
    let per_host = options.per_host.max(1);
    let work = Mutex::new(Work {
        queue,
        busy: HashMap::new(),
    });
    let freed = Condvar::new();
    let answers = Mutex::new(HashMap::new());
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let (url, host) = {
                        let mut w = work.lock().unwrap_or_else(|e| e.into_inner());
                        loop {
                            if w.queue.is_empty() {
                                return;
                            }
                            let free = w.queue.iter().position(|u| {
                                w.busy.get(&host_of(u)).copied().unwrap_or(0) < per_host
                            });
                            if let Some(i) = free {
                                let url = w.queue.remove(i).expect("an index in range");
                                let host = host_of(&url);
                                *w.busy.entry(host.clone()).or_default() += 1;
                                break (url, host);
                            }
                            w = freed.wait(w).unwrap_or_else(|e| e.into_inner());
                        }
                    };
                    let answer = ask(&agent, &url, options.retries);
                    answers
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .insert(url, answer);
                    let mut w = work.lock().unwrap_or_else(|e| e.into_inner());
                    if let Some(n) = w.busy.get_mut(&host) {
                        *n -= 1;
                    }
                    drop(w);
                    freed.notify_all();
                }
            });
        }
    });
    answers.into_inner().unwrap_or_else(|e| e.into_inner())
}

#[cfg(feature = "online")]
fn ask(agent: &ureq::Agent, url: &str, retries: u32) -> Answer {
    let mut attempt = 0;
    loop {
        let answer = ask_once(agent, url);
        if !matches!(answer, Answer::Doubtful(_)) || attempt >= retries {
            return answer;
        }
        attempt += 1;
        std::thread::sleep(Duration::from_millis(250 << attempt));
    }
}

#[cfg(feature = "online")]
fn ask_once(agent: &ureq::Agent, url: &str) -> Answer {
    let mut status = match agent.head(url).call() {
        Ok(response) => response.status().as_u16(),
        Err(err) => return transport(err),
    };
    // Some servers refuse HEAD but serve GET.
    if matches!(status, 400 | 403 | 405 | 501) {
        status = match agent.get(url).call() {
            Ok(response) => response.status().as_u16(),
            Err(err) => return transport(err),
        };
    }
    match status {
        200..=399 => Answer::Fine,
        401 | 403 | 429 | 500..=599 => Answer::Doubtful(format!("answered HTTP {status}")),
        _ => Answer::Broken(format!("answered HTTP {status}")),
    }
}

#[cfg(feature = "online")]
fn transport(err: ureq::Error) -> Answer {
    match err {
        ureq::Error::HostNotFound => Answer::Broken("no such host".into()),
        ureq::Error::ConnectionFailed => Answer::Broken("connection refused".into()),
        ureq::Error::TooManyRedirects => Answer::Broken("redirects in a loop".into()),
        ureq::Error::Io(e) if e.kind() == std::io::ErrorKind::ConnectionRefused => {
            Answer::Broken("connection refused".into())
        }
        ureq::Error::Timeout(_) => Answer::Doubtful("timed out".into()),
        other => Answer::Doubtful(other.to_string()),
    }
}

/// Without the `online` feature there is no HTTP client: every URL is
/// reported as not checked rather than passed in silence.
#[cfg(not(feature = "online"))]
fn ask_all(queue: VecDeque<String>, _options: &Options) -> HashMap<String, Answer> {
    queue
        .into_iter()
        .map(|url| {
            let why = "was not checked: this responder-docs was built without the `online` feature";
            (url, Answer::Doubtful(why.into()))
        })
        .collect()
}

#[cfg(test)]
mod tests;
