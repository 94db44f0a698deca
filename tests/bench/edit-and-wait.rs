//! One saved edit, timed by its caller: appends a unique line to a chapter
//! and returns when the served page holds it (the time a writer waits
//! between saving and seeing the change). Exits 1 after TIMEOUT seconds.
//!
//!     edit-and-wait CHAPTER_FILE http://HOST:PORT/PAGE [TIMEOUT]
//!
//! Standard library only, built by `serve-edit.sh` with `rustc -O`: it
//! starts in about a millisecond and polls over one socket at a time, so
//! neither an interpreter's start-up (Python's took 0.1 to 0.3 s) nor a
//! process per poll (curl's cost seconds of CPU while a slow server
//! rebuilt) is counted in a figure or taken from the server timed.
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 3 {
        eprintln!("usage: edit-and-wait CHAPTER_FILE http://HOST:PORT/PAGE [TIMEOUT]");
        std::process::exit(2);
    }
    let (chapter, url) = (&args[1], &args[2]);
    let timeout: f64 = args
        .get(3)
        .map_or(120.0, |t| t.parse().expect("TIMEOUT in seconds"));
    let rest = url.strip_prefix("http://").expect("an http:// URL");
    let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let path = if path.is_empty() { "/" } else { path };
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let marker = format!("edit-{}-{nanos}", std::process::id());
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .open(chapter)
        .expect("the chapter file");
    file.write_all(format!("\n{marker}\n").as_bytes()).unwrap();
    drop(file);
    // HTTP/1.0: the answer ends with the connection, never in chunks
    // that could split the marker.
    let request = format!("GET {path} HTTP/1.0\r\nHost: {host}\r\n\r\n");
    let deadline = Instant::now() + Duration::from_secs_f64(timeout);
    let mut page = Vec::new();
    while Instant::now() < deadline {
        page.clear();
        let got = TcpStream::connect(host).and_then(|mut s| {
            s.set_read_timeout(Some(Duration::from_secs(5)))?;
            s.write_all(request.as_bytes())?;
            s.read_to_end(&mut page)
        });
        let ok = page.starts_with(b"HTTP/1.0 200") || page.starts_with(b"HTTP/1.1 200");
        if got.is_ok() && ok && page.windows(marker.len()).any(|w| w == marker.as_bytes()) {
            return;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    eprintln!("{url} did not show the edit within {timeout} s");
    std::process::exit(1);
}
