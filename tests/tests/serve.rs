//! `responder-docs serve`: serves the site on loopback, rebuilds on change,
//! injects live reload, and keeps the last good site when a rebuild fails.

use responder_docs::pipeline::Options;
use responder_docs::serve::{self, ServeOptions};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::time::{Duration, Instant};

fn write_book(root: &Path, chapter: &str) {
    std::fs::create_dir_all(root.join("src")).unwrap();
    std::fs::write(
        root.join("book.toml"),
        "[book]\ntitle = \"Served\"\n[build]\ncreate-missing = false\n",
    )
    .unwrap();
    std::fs::write(
        root.join("src/SUMMARY.md"),
        "# Summary\n\n[Chapter](chapter.md)\n",
    )
    .unwrap();
    std::fs::write(root.join("src/chapter.md"), chapter).unwrap();
}

/// A plain HTTP/1.1 GET; `None` while nothing listens yet.
fn get(port: u16, path: &str) -> Option<(u16, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut response = String::new();
    stream.read_to_string(&mut response).ok()?;
    let status = response.split_whitespace().nth(1)?.parse().ok()?;
    Some((status, response))
}

/// Polls until `predicate` holds for the page, for at most a minute.
fn wait_for(port: u16, path: &str, what: &str, predicate: impl Fn(&str) -> bool) -> String {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Some((200, body)) = get(port, path)
            && predicate(&body)
        {
            return body;
        }
        assert!(Instant::now() < deadline, "gave up waiting for {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[test]
fn serves_rebuilds_and_survives_a_broken_edit() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_path_buf();
    write_book(&root, "# Chapter\n\nFirst version.\n");
    let port = free_port();
    let serve_root = root.clone();
    std::thread::spawn(move || {
        let options = ServeOptions {
            port,
            open: false,
            build: Options::default(),
        };
        serve::serve(&serve_root, &options)
    });

    let page = wait_for(port, "/chapter.html", "the first build", |b| {
        b.contains("First version.")
    });
    assert!(
        page.contains("tower-livereload"),
        "the live-reload script is injected"
    );
    let (status, _) = get(port, "/no-such-page.html").unwrap();
    assert_eq!(status, 404);

    std::fs::write(
        root.join("src/chapter.md"),
        "# Chapter\n\nSecond version.\n",
    )
    .unwrap();
    wait_for(port, "/chapter.html", "the rebuild", |b| {
        b.contains("Second version.")
    });

    // A SUMMARY entry for a missing file fails the build (create-missing = false).
    std::fs::write(
        root.join("src/SUMMARY.md"),
        "# Summary\n\n[Chapter](chapter.md)\n[Gone](gone.md)\n",
    )
    .unwrap();
    std::fs::write(
        root.join("src/chapter.md"),
        "# Chapter\n\nBroken version.\n",
    )
    .unwrap();
    std::thread::sleep(Duration::from_secs(2));
    let (status, body) = get(port, "/chapter.html").unwrap();
    assert_eq!(status, 200, "the last good site is still served");
    assert!(
        body.contains("Second version."),
        "and it is the last good one"
    );

    std::fs::write(
        root.join("src/SUMMARY.md"),
        "# Summary\n\n[Chapter](chapter.md)\n",
    )
    .unwrap();
    wait_for(port, "/chapter.html", "the repaired build", |b| {
        b.contains("Broken version.")
    });
}
