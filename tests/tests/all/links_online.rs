//! `--online` against a server on 127.0.0.1 only: a dead link is an error at
//! its source line, the ignore list is honoured, good answers are cached
//! under the book root. No test reaches beyond loopback.

use responder_docs_tests::{copy_dir, fixture, run, shorts};
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

/// `/ok` answers 200, everything else 404; counts requests.
fn server() -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = hits.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            counter.fetch_add(1, Ordering::SeqCst);
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut request = String::new();
            let _ = reader.read_line(&mut request);
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
            }
            let status = if request.contains(" /ok ") {
                "200 OK"
            } else {
                "404 Not Found"
            };
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            );
        }
    });
    (base, hits)
}

#[test]
fn online_checks_ask_loopback_only_honour_ignores_and_cache() {
    let (base, hits) = server();
    let book = copy_dir(&fixture("links/clean"));
    let toml = book.path().join("book.toml");
    let mut config = std::fs::read_to_string(&toml).unwrap();
    // The clean book links to example.com: never asked.
    config.push_str(
        "\n[preprocessor.validate]\nlink-ignore = ['^https://example\\.com/']\nlink-retries = 0\n",
    );
    std::fs::write(&toml, config).unwrap();
    let chapter = book.path().join("src/guide/roles.md");
    let mut text = std::fs::read_to_string(&chapter).unwrap();
    let added = format!("[Alive]({base}/ok) and [dead]({base}/gone#part).");
    let column = added.find("[dead]").unwrap() + 1;
    text.push_str(&format!("\n{added}\n"));
    std::fs::write(&chapter, text).unwrap();

    let path = book.path().to_str().unwrap();
    let offline = run(&["check", path, "--format", "json"]);
    assert_eq!(shorts(&offline.stdout), Vec::<String>::new());
    assert_eq!(hits.load(Ordering::SeqCst), 0, "offline by default");

    let online = run(&["check", path, "--online", "--format", "json"]);
    assert_eq!(
        shorts(&online.stdout),
        [format!(
            "src/guide/roles.md:7:{column}: error[links::unreachable]: `{base}/gone#part` answered HTTP 404"
        )]
    );
    assert_eq!(online.code, 1);
    assert_eq!(hits.load(Ordering::SeqCst), 2);
    let cache = book.path().join(".cache/responder-docs/links.json");
    let cached = std::fs::read_to_string(&cache).unwrap();
    assert!(cached.contains(&format!("{base}/ok")), "{cached}");
    assert!(!cached.contains("/gone"), "{cached}");

    run(&["check", path, "--online", "--format", "json"]);
    assert_eq!(
        hits.load(Ordering::SeqCst),
        3,
        "the cached good link is not asked again"
    );
}

#[test]
fn a_bad_ignore_pattern_is_reported_not_fatal() {
    let book = copy_dir(&fixture("links/clean"));
    let toml = book.path().join("book.toml");
    let mut config = std::fs::read_to_string(&toml).unwrap();
    config.push_str("\n[preprocessor.validate]\nlink-ignore = ['(unclosed', '.']\n");
    std::fs::write(&toml, &config).unwrap();
    let out = run(&[
        "check",
        book.path().to_str().unwrap(),
        "--online",
        "--format",
        "json",
    ]);
    let found = shorts(&out.stdout);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].starts_with(
            &format!(
                "book.toml:{}:16: error[links::bad-setting]: `link-ignore` pattern `(unclosed` is not a regular expression",
                config.lines().count()
            )
        ),
        "{found:?}"
    );
}
