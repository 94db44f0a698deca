//! Chapters are checked on every core, yet the report is the one a serial
//! run prints, byte for byte, in every format.

use responder_docs::model::parallel::with_threads;
use responder_docs_tests::run;
use std::process::Command;

/// A synthetic book large enough to be split between threads, with links
/// broken on purpose and duplicated step lists.
fn synthetic_book() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("synth");
    let status = Command::new(env!("CARGO_BIN_EXE_synth-book"))
        .arg(&out)
        .args(["--chapters", "300", "--links", "6000", "--seed", "11"])
        .output()
        .unwrap();
    assert!(status.status.success(), "{status:?}");
    dir
}

#[test]
fn a_parallel_check_prints_exactly_what_a_serial_one_does() {
    let dir = synthetic_book();
    let book = dir.path().join("synth");
    let book = book.to_str().unwrap();
    for format in ["human", "json", "github"] {
        let args = ["check", book, "--format", format];
        let serial = with_threads(1, || run(&args));
        let parallel = with_threads(4, || run(&args));
        assert_eq!(serial.code, 1, "the book has broken links");
        assert!(
            serial.stdout.len() + serial.stderr.len() > 10_000,
            "{format}: a report of many problems"
        );
        assert_eq!(parallel.code, serial.code);
        assert!(parallel.stdout == serial.stdout, "{format}: stdout differs");
        assert!(parallel.stderr == serial.stderr, "{format}: stderr differs");
    }
}
