//! The kernel's confinement behind our own path checks (Landlock, Linux).
//! Once the book is loaded, the thread that preprocesses, validates and
//! renders it may read only inside the boundary (the repository, or
//! `include-root`) and write only in its staging folder; the finished site
//! is swapped in afterwards, by our own code alone. So a path our checks
//! misjudge still reads nothing outside and writes nothing beside the site.
//!
//! The work runs in a thread of its own ([`confined`]): Landlock holds a
//! thread and the threads it starts, so `serve` confines each rebuild anew
//! and the caller (a test, the server) stays free.

use anyhow::{Result, bail};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// With `1`, a system without Landlock is an error instead of a warning
/// (CI sets it: the promise is tested there).
pub(crate) const REQUIRE_VAR: &str = "RESPONDER_DOCS_REQUIRE_SANDBOX";

/// Test-only: with `1`, our own path checks are skipped, so a test can show
/// that the sandbox alone stops what they would have refused. Never set it
/// for a real build.
pub(crate) const UNCHECKED_VAR: &str = "RESPONDER_DOCS_TEST_UNCHECKED";

/// Test-only: with `1`, this system is treated as one without Landlock
/// (a note, or with [`REQUIRE_VAR`] an error), so the sandbox's cost can be
/// measured against the same build without it.
pub(crate) const NO_SANDBOX_VAR: &str = "RESPONDER_DOCS_TEST_NO_SANDBOX";

thread_local! {
    /// Set by [`without_our_checks`], and carried into [`confined`]'s thread.
    static UNCHECKED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    /// What each boundary grants, found once per run: made by the outermost
    /// [`confined`] and shared with the confined threads it starts (the
    /// loader's and the build's walk the same tree).
    static GRANTS: std::cell::RefCell<Option<Grants>> = const { std::cell::RefCell::new(None) };
}

type Grants = std::sync::Arc<std::sync::Mutex<HashMap<PathBuf, std::sync::Arc<[Grant]>>>>;

/// A path a confined build may read, and how much of it.
type Grant = (PathBuf, Whole);

/// Whether our own path checks are skipped (see [`UNCHECKED_VAR`]).
pub(crate) fn unchecked() -> bool {
    UNCHECKED.get() || std::env::var_os(UNCHECKED_VAR).is_some_and(|v| v == "1")
}

/// Test-only: runs `f` with our own path checks skipped on this thread, as
/// [`UNCHECKED_VAR`] does for a whole process.
pub fn without_our_checks<R>(f: impl FnOnce() -> R) -> R {
    let before = UNCHECKED.replace(true);
    let result = f();
    UNCHECKED.set(before);
    result
}

/// Whether this system can confine a thread (probed in a thread of its own,
/// with the Landlock ABI the kernel reports).
pub fn available() -> bool {
    confined(|| restrict(&Confinement::default())).is_ok_and(|s| s == Status::Enforced)
}

/// What a confined build may touch.
#[derive(Debug, Default, Clone)]
pub(crate) struct Confinement {
    /// Folders read beneath (files and listings), but their `.git/`.
    pub read: Vec<PathBuf>,
    /// Folders written beneath, everything allowed.
    pub write: Vec<PathBuf>,
}

/// How a confinement took.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Status {
    Enforced,
    /// No Landlock here: the build runs on our own checks alone.
    Unavailable,
}

/// Runs `work` in a thread of its own (with the main thread's stack size),
/// which [`enter`] may confine without confining the caller.
pub(crate) fn confined<R: Send>(work: impl FnOnce() -> R + Send) -> R {
    let unchecked = UNCHECKED.get();
    let grants = GRANTS.with_borrow(Clone::clone).unwrap_or_default();
    std::thread::scope(|scope| {
        std::thread::Builder::new()
            .name("confined".into())
            .stack_size(8 << 20)
            .spawn_scoped(scope, move || {
                UNCHECKED.set(unchecked);
                GRANTS.set(Some(grants));
                work()
            })
            .expect("cannot start a thread")
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
}

/// Confines the calling thread (and the threads it starts) for good.
pub(crate) fn enter(confinement: &Confinement) -> Result<Status> {
    let status = if std::env::var_os(NO_SANDBOX_VAR).is_some_and(|v| v == "1") {
        Status::Unavailable
    } else {
        restrict(confinement)?
    };
    if status == Status::Unavailable {
        if std::env::var_os(REQUIRE_VAR).is_some_and(|v| v == "1") {
            bail!(
                "this system has no Landlock, and {REQUIRE_VAR}=1 requires it: the build would run unconfined"
            );
        }
        warn_once();
    }
    Ok(status)
}

fn warn_once() {
    static WARNED: std::sync::Once = std::sync::Once::new();
    WARNED.call_once(|| {
        eprintln!(
            "note: this system has no Landlock; the build relies on its own path checks alone"
        );
    });
}

#[cfg(target_os = "linux")]
fn restrict(confinement: &Confinement) -> Result<Status> {
    use landlock::{
        ABI, Access, AccessFs, CompatLevel, Compatible, PathBeneath, PathFd, Ruleset, RulesetAttr,
        RulesetCreatedAttr, RulesetStatus,
    };
    // The newest rights this code knows; older kernels enforce what they can.
    let abi = ABI::V6;
    let all = AccessFs::from_all(abi);
    let read = AccessFs::ReadFile | AccessFs::ReadDir;
    let mut ruleset = Ruleset::default()
        .set_compatibility(CompatLevel::BestEffort)
        .handle_access(all)?
        .create()?;
    let mut rules: Vec<(PathBuf, _)> = Vec::new();
    for dir in &confinement.read {
        rules.push((dir.clone(), AccessFs::ReadDir.into()));
        rules.extend(
            granted(dir)
                .iter()
                .cloned()
                .map(|(path, whole)| match whole {
                    Whole::ListingOnly => (path, AccessFs::ReadDir.into()),
                    Whole::Everything => (path, read),
                }),
        );
    }
    rules.extend(confinement.write.iter().map(|dir| (dir.clone(), all)));
    for (path, access) in rules {
        // A path that is not there grants nothing; a file gets a file's rights.
        let Ok(fd) = PathFd::new(&path) else { continue };
        let access = if path.is_dir() {
            access
        } else {
            access & AccessFs::from_file(abi)
        };
        ruleset = ruleset.add_rule(PathBeneath::new(fd, access))?;
    }
    let status = ruleset.restrict_self()?;
    Ok(match status.ruleset {
        RulesetStatus::NotEnforced => Status::Unavailable,
        _ => Status::Enforced,
    })
}

/// [`readable_entries`], walked once per run.
#[cfg(target_os = "linux")]
fn granted(dir: &Path) -> std::sync::Arc<[Grant]> {
    let grants = GRANTS.with_borrow(Clone::clone).unwrap_or_default();
    let known = grants.lock().ok().and_then(|g| g.get(dir).cloned());
    if let Some(known) = known {
        return known;
    }
    let found: std::sync::Arc<[Grant]> = readable_entries(dir).into();
    if let Ok(mut g) = grants.lock() {
        g.insert(dir.to_path_buf(), found.clone());
    }
    found
}

/// What of `dir` a confined build may read: every file and folder beneath
/// it but each `.git` (where a checkout keeps its credentials), the
/// repository's and that of any repository inside (an `include-root` above
/// the repository, a nested clone). Landlock only grants, so a folder with
/// a `.git` somewhere below is granted entry by entry, and any other folder
/// whole. Symlinks are left out: Landlock judges the file a link leads to,
/// which is granted (or not) where it really is.
#[cfg(target_os = "linux")]
fn readable_entries(dir: &Path) -> Vec<Grant> {
    let Ok(real_dir) = dir.canonicalize() else {
        return Vec::new();
    };
    // Every folder on the way from `real_dir` down to a `.git`.
    let mut split = std::collections::HashSet::new();
    let mut walk = walkdir::WalkDir::new(&real_dir)
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_type().is_dir() || !is_cache(e.path()));
    while let Some(entry) = walk.next() {
        let Ok(entry) = entry else { continue };
        if entry.depth() == 0 || entry.file_name() != ".git" {
            continue;
        }
        if entry.file_type().is_dir() {
            walk.skip_current_dir();
        }
        let holder = entry.path().parent().unwrap_or(&real_dir);
        split.extend(
            holder
                .ancestors()
                .take_while(|a| a.starts_with(&real_dir))
                .map(Path::to_path_buf),
        );
    }
    let mut granted = Vec::new();
    let mut pending = vec![real_dir];
    while let Some(at) = pending.pop() {
        for entry in std::fs::read_dir(&at).into_iter().flatten().flatten() {
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if entry.file_name() == ".git" || kind.is_symlink() {
                continue;
            }
            let path = entry.path();
            if split.contains(&path) {
                granted.push((path.clone(), Whole::ListingOnly));
                pending.push(path);
            } else {
                granted.push((path, Whole::Everything));
            }
        }
    }
    granted
}

/// A build cache tagged the standard way (Cargo's `target/` and others):
/// not searched for repositories, since walking it would cost every run
/// time that grows with the cache. A repository is cloned, not built, into
/// one; our own checks still refuse any `.git` inside.
#[cfg(target_os = "linux")]
fn is_cache(dir: &Path) -> bool {
    use std::io::Read;
    use std::os::unix::fs::OpenOptionsExt;
    const SIGNATURE: &[u8] = b"Signature: 8a477f597d28d172789f06886806bc55";
    let mut head = [0; SIGNATURE.len()];
    // No link followed, and a FIFO never waited on.
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(dir.join("CACHEDIR.TAG"))
        .and_then(|mut tag| tag.read_exact(&mut head))
        .is_ok_and(|()| head == SIGNATURE)
}

/// How much of a granted folder may be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Whole {
    /// Its listing alone: a `.git` lies somewhere below, and what may be
    /// read of it is granted entry by entry.
    ListingOnly,
    Everything,
}

#[cfg(not(target_os = "linux"))]
fn restrict(_: &Confinement) -> Result<Status> {
    Ok(Status::Unavailable)
}

/// What a build that writes nothing may touch: reads inside `boundary`
/// (but its `.git/`).
pub(crate) fn read_only(boundary: &Path) -> Confinement {
    Confinement {
        read: vec![boundary.to_path_buf()],
        ..Confinement::default()
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    #[test]
    fn a_build_cache_is_granted_whole_without_being_searched_and_a_repository_elsewhere_splits_the_grant()
     {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        let write = |path: &str, text: &str| {
            let path = root.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        write(
            "target/CACHEDIR.TAG",
            "Signature: 8a477f597d28d172789f06886806bc55\n# a cache\n",
        );
        write("target/debug/.git/config", "");
        write("vendor/lib/.git/config", "");
        write("vendor/lib/README.md", "");
        // A tag without the signature is not a cache.
        write("notes/CACHEDIR.TAG", "not a tag");
        write("notes/.git/config", "");
        let mut granted: Vec<_> = readable_entries(&root)
            .into_iter()
            .map(|(path, whole)| (path.strip_prefix(&root).unwrap().to_path_buf(), whole))
            .collect();
        granted.sort_by(|a, b| a.0.cmp(&b.0));
        let expected: Vec<(PathBuf, Whole)> = [
            ("notes", Whole::ListingOnly),
            ("notes/CACHEDIR.TAG", Whole::Everything),
            ("target", Whole::Everything),
            ("vendor", Whole::ListingOnly),
            ("vendor/lib", Whole::ListingOnly),
            ("vendor/lib/README.md", Whole::Everything),
        ]
        .into_iter()
        .map(|(p, w)| (PathBuf::from(p), w))
        .collect();
        assert_eq!(granted, expected);
    }
}
