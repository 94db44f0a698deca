use super::*;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

#[test]
fn syntax_catches_what_writers_get_wrong() {
    for ok in [
        "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definitions.html#x",
        "http://localhost:8080/healthcheck",
        "https://[::1]:8443/",
        "https://user@example.com/a?b=c",
        "https://例え.jp/",
    ] {
        assert_eq!(syntax(ok), Ok(()), "{ok}");
    }
    for (bad, why) in [
        ("https:/example.com", "lacks `//` after `https:`"),
        ("https://", "has no host"),
        (
            "https://exa mple.com",
            "contains a space; encode it as `%20`",
        ),
        (
            "https://example..com/",
            "has an empty label in the host `example..com`",
        ),
        ("https://example.com:80a/", "has an invalid port `80a`"),
        ("https://https://example.com", "repeats the scheme"),
        ("http://exa$mple.com", "has `$` in the host `exa$mple.com`"),
    ] {
        assert_eq!(syntax(bad), Err(why.to_string()), "{bad}");
    }
}

/// A loopback server: `/ok` 200, `/gone` 404, `/flaky` 503 once then 200,
/// `/head-refused` 405 to HEAD and 200 to GET.
fn server() -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = hits.clone();
    std::thread::spawn(move || {
        let flaky = AtomicUsize::new(0);
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            counter.fetch_add(1, Ordering::SeqCst);
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut request = String::new();
            reader.read_line(&mut request).unwrap();
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap() == 0 || line == "\r\n" {
                    break;
                }
            }
            let (method, path) = {
                let mut parts = request.split_whitespace();
                (parts.next().unwrap_or(""), parts.next().unwrap_or(""))
            };
            let status = match path {
                "/ok" => "200 OK",
                "/flaky" if flaky.fetch_add(1, Ordering::SeqCst) == 0 => "503 Busy",
                "/flaky" => "200 OK",
                "/head-refused" if method == "HEAD" => "405 No",
                "/head-refused" => "200 OK",
                _ => "404 Not Found",
            };
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            );
        }
    });
    (base, hits)
}

fn options(cache_file: Option<PathBuf>) -> Options {
    Options {
        concurrency: 3,
        per_host: 1,
        timeout: Duration::from_secs(5),
        retries: 1,
        max_age: Duration::from_secs(3600),
        cache_file,
        env_proxy: false,
    }
}

#[test]
fn answers_are_classified_retried_and_cached() {
    let (base, hits) = server();
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join(".cache/responder-docs/links.json");
    let urls: Vec<String> = ["/ok#frag", "/ok", "/gone", "/flaky", "/head-refused"]
        .iter()
        .map(|p| format!("{base}{p}"))
        .collect();
    let answers = reachability(&urls, &options(Some(cache.clone())));
    assert_eq!(answers[&urls[0]], Answer::Fine);
    assert_eq!(answers[&urls[1]], Answer::Fine);
    assert_eq!(
        answers[&urls[2]],
        Answer::Broken("answered HTTP 404".into())
    );
    assert_eq!(answers[&urls[3]], Answer::Fine, "retried after a 503");
    assert_eq!(answers[&urls[4]], Answer::Fine, "GET after a refused HEAD");
    let first = hits.load(Ordering::SeqCst);
    assert_eq!(first, 6, "each URL once, plus one retry and one GET");

    let again = reachability(&urls, &options(Some(cache.clone())));
    assert_eq!(again, answers);
    assert_eq!(
        hits.load(Ordering::SeqCst) - first,
        1,
        "only the broken URL is asked again"
    );
    let saved: Cache = serde_json::from_str(&std::fs::read_to_string(&cache).unwrap()).unwrap();
    assert_eq!(saved.fine.len(), 3);
}

#[test]
fn a_stale_cache_is_asked_again() {
    let (base, hits) = server();
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("links.json");
    let url = format!("{base}/ok");
    std::fs::write(&cache, format!("{{\"fine\":{{\"{url}\":1}}}}")).unwrap();
    let answers = reachability(std::slice::from_ref(&url), &options(Some(cache)));
    assert_eq!(answers[&url], Answer::Fine);
    assert_eq!(hits.load(Ordering::SeqCst), 1);
}

#[test]
fn a_closed_port_is_broken() {
    let port = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let url = format!("http://127.0.0.1:{port}/");
    let answers = reachability(std::slice::from_ref(&url), &options(None));
    assert_eq!(answers[&url], Answer::Broken("connection refused".into()));
}

#[test]
fn hosts_are_told_apart() {
    assert_eq!(host_of("https://Example.com:443/a?b"), "example.com:443");
    assert_eq!(without_fragment("https://x/y#z"), "https://x/y");
}
