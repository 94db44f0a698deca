//! What the build may read. mdBook opens every path the way the operating
//! system resolves it (absolute paths as absolute, `..` after following
//! symlinks), so each path is judged on its canonical form: it must land
//! inside the repository that holds the book (the nearest enclosing folder
//! with a `.git`; the book root when there is none) or inside `include-root`
//! when `[preprocessor.validate]` sets one, and it must be a regular file of
//! at most [`MAX_FILE_BYTES`] (a FIFO or a device would hang the build).

use crate::diagnostics::Diagnostic;
use crate::diagnostics::codes::Code;
use crate::diagnostics::location::Location;
use std::path::{Component, Path, PathBuf};

crate::diagnostics::codes::declare! {
    REACH_GIT_FOLDER = "reach::git-folder", error: "a file inside a `.git` folder (it may hold credentials) that an include, a chapter, a theme file or a file of `src/` would read or publish";
    REACH_OVER_BUDGET = "reach::over-budget", error: "an input over one of the build's budgets (a template of more than 500 resources or over 1 MiB, a policy over 128 KiB, a chapter with more than 100,000 Markdown delimiters): nothing is checked further";
    REACH_NOT_A_FILE = "reach::not-a-file", error: "a source or include that is not a regular file (a FIFO, a device, …)";
    REACH_OUTSIDE_SOURCE = "reach::outside-source", error: "a file under `src/` or the theme folder that resolves outside the repository, which mdBook would publish in the site";
    REACH_TOO_LARGE = "reach::too-large", error: "a source or include over the size limit";
    REACH_WRITES_OUTSIDE = "reach::writes-outside", error: "a path that mdBook would write outside the site: a `SUMMARY.md` entry that climbs out of the sources, an `input-404` outside `src/`, an `additional-css` or `additional-js` entry that is absolute or climbs out, a redirect whose page lands outside";
}

/// The largest file the build reads: far above any chapter, listing or
/// policy, far below what would exhaust a CI runner's memory.
pub(crate) const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// The folder every read must stay inside.
#[derive(Debug, Clone)]
pub(crate) struct Reach {
    /// Canonical.
    allowed: PathBuf,
    /// How diagnostics name it.
    label: String,
    /// The book root, for repo-relative names in diagnostics.
    book: PathBuf,
}

/// Where a path leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// A regular file inside the allowed folder (its canonical path).
    Readable(PathBuf),
    /// Nothing there (or a dangling link): mdBook reads nothing either.
    Missing,
    Refused(Refusal),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// Resolves to this canonical path, outside the allowed folder.
    Outside(PathBuf),
    /// A folder, FIFO, socket or device.
    NotAFile(&'static str),
    /// Larger than [`MAX_FILE_BYTES`].
    TooLarge(u64),
    /// Inside a `.git` folder (its config may hold credentials).
    Git(PathBuf),
}

impl Reach {
    /// The folder the book at `book` may read inside: `include_root`
    /// (relative to the book) when the book sets one, else its repository.
    pub(crate) fn new(book: &Path, include_root: Option<String>) -> Self {
        let book = canonical_or_absolute(book);
        match include_root {
            Some(rel) => Reach {
                allowed: canonical_or_absolute(&book.join(&rel)),
                label: format!("`include-root` (`{rel}`)"),
                book,
            },
            None => Reach {
                allowed: repository_root(&book),
                label: "the repository".into(),
                book,
            },
        }
    }

    /// The repository that holds the book at `book`, before any setting of
    /// book.toml is known: what book.toml itself must stay inside.
    pub(crate) fn repository(book: &Path) -> Self {
        let book = canonical_or_absolute(book);
        Reach {
            allowed: repository_root(&book),
            label: "the repository".into(),
            book,
        }
    }

    /// The canonical folder reads must stay inside.
    pub(crate) fn allowed(&self) -> &Path {
        &self.allowed
    }

    /// `the repository` or `` `include-root` (`…`) ``, for messages.
    pub(crate) fn label(&self) -> &str {
        &self.label
    }

    /// Where `path` leads, resolved as the operating system will.
    pub(crate) fn judge(&self, path: &Path) -> Verdict {
        let Ok(real) = path.canonicalize() else {
            return Verdict::Missing;
        };
        if let Some(refusal) = self.refuse(&real) {
            return Verdict::Refused(refusal);
        }
        let Ok(meta) = std::fs::metadata(&real) else {
            return Verdict::Missing;
        };
        if !meta.is_file() {
            return Verdict::Refused(Refusal::NotAFile(kind_of(&meta)));
        }
        if meta.len() > MAX_FILE_BYTES {
            return Verdict::Refused(Refusal::TooLarge(meta.len()));
        }
        Verdict::Readable(real)
    }

    /// Where a folder or file that may not exist yet lands (see
    /// [`resolve_place`]): its resolved path, or why it is refused.
    pub(crate) fn judge_place(&self, path: &Path) -> Result<PathBuf, Refusal> {
        let real = resolve_place(path);
        if self.contains(&real) {
            Ok(real)
        } else {
            Err(Refusal::Outside(real))
        }
    }

    /// Why a canonical path may not be read or published: outside the
    /// boundary, or inside a `.git` folder below it (it holds credentials).
    pub(crate) fn refuse(&self, real: &Path) -> Option<Refusal> {
        let Ok(below) = real.strip_prefix(&self.allowed) else {
            return Some(Refusal::Outside(real.to_path_buf()));
        };
        below
            .components()
            .any(|c| c.as_os_str() == ".git")
            .then(|| Refusal::Git(real.to_path_buf()))
    }

    /// Whether a canonical path lies inside the allowed folder.
    pub(crate) fn contains(&self, real: &Path) -> bool {
        real.starts_with(&self.allowed)
    }

    /// `path` relative to the book root, with `/` separators (`../x` above it).
    pub(crate) fn name(&self, path: &Path) -> String {
        relative(&self.book, path)
    }

    /// Why a refused path was refused, in a sentence fragment.
    pub(crate) fn explain(&self, refusal: &Refusal) -> String {
        match refusal {
            Refusal::Outside(real) => format!(
                "resolves to `{}`, outside {} (`{}`)",
                real.display(),
                self.label,
                self.allowed.display()
            ),
            Refusal::NotAFile(kind) => format!("is a {kind}, not a regular file"),
            Refusal::TooLarge(len) => format!(
                "is {len} bytes, over the {MAX_FILE_BYTES}-byte limit on any file the build reads"
            ),
            Refusal::Git(real) => format!(
                "resolves to `{}`, inside a `.git` folder, which the build never reads (it holds credentials)",
                real.display()
            ),
        }
    }

    /// Opens an include's file and reads it, judging the file actually
    /// opened, not a path looked at before: the path is opened once without
    /// read access (`O_PATH`: a FIFO or device is not opened for reading, so
    /// nothing hangs), the opened file's real path comes from
    /// `/proc/self/fd`, and the bytes are read through that same descriptor's
    /// link, so a symlink swapped in between cannot change what is read.
    /// Elsewhere: canonicalize, judge, open the canonical path with
    /// `O_NOFOLLOW`, and refuse when the file opened is not the one judged.
    pub(crate) fn read_judged(&self, path: &Path) -> Result<(PathBuf, Vec<u8>), Verdict> {
        #[cfg(target_os = "linux")]
        if let Some(read) = self.read_through_proc(path) {
            return read;
        }
        self.read_by_path(path)
    }

    fn judge_opened(&self, real: &Path, meta: &std::fs::Metadata) -> Result<(), Verdict> {
        // The test-only switch leaves the boundary to the sandbox alone.
        let unchecked = crate::model::sandbox::unchecked();
        if !unchecked && !self.contains(real) {
            return Err(Verdict::Refused(Refusal::Outside(real.to_path_buf())));
        }
        let below = real.strip_prefix(&self.allowed).unwrap_or(real);
        if !unchecked && below.components().any(|c| c.as_os_str() == ".git") {
            return Err(Verdict::Refused(Refusal::Git(real.to_path_buf())));
        }
        if !meta.is_file() {
            return Err(Verdict::Refused(Refusal::NotAFile(kind_of(meta))));
        }
        if meta.len() > MAX_FILE_BYTES {
            return Err(Verdict::Refused(Refusal::TooLarge(meta.len())));
        }
        Ok(())
    }

    /// `None` when `/proc` cannot name the opened file.
    #[cfg(target_os = "linux")]
    fn read_through_proc(&self, path: &Path) -> Option<Result<(PathBuf, Vec<u8>), Verdict>> {
        use std::os::fd::AsRawFd;
        use std::os::unix::fs::OpenOptionsExt;
        let handle = match std::fs::OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_PATH)
            .open(path)
        {
            Ok(handle) => handle,
            Err(_) => return Some(Err(Verdict::Missing)),
        };
        let link = format!("/proc/self/fd/{}", handle.as_raw_fd());
        let real = std::fs::read_link(&link).ok()?;
        let meta = handle.metadata().ok()?;
        if let Err(refused) = self.judge_opened(&real, &meta) {
            return Some(Err(refused));
        }
        let file = std::fs::File::open(&link).map_err(|_| Verdict::Missing);
        Some(file.and_then(read_limited).map(|bytes| (real, bytes)))
    }

    fn read_by_path(&self, path: &Path) -> Result<(PathBuf, Vec<u8>), Verdict> {
        let real = path.canonicalize().map_err(|_| Verdict::Missing)?;
        let meta = std::fs::metadata(&real).map_err(|_| Verdict::Missing)?;
        self.judge_opened(&real, &meta)?;
        let mut options = std::fs::OpenOptions::new();
        options.read(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
        }
        let file = options.open(&real).map_err(|_| Verdict::Missing)?;
        let opened = file.metadata().map_err(|_| Verdict::Missing)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            if (opened.dev(), opened.ino()) != (meta.dev(), meta.ino()) {
                return Err(Verdict::Missing);
            }
        }
        self.judge_opened(&real, &opened)?;
        read_limited(file).map(|bytes| (real, bytes))
    }
}

/// At most [`MAX_FILE_BYTES`] of a file already judged regular (a file that
/// grew since is refused).
fn read_limited(file: std::fs::File) -> Result<Vec<u8>, Verdict> {
    use std::io::Read;
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|_| Verdict::Missing)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(Verdict::Refused(Refusal::TooLarge(bytes.len() as u64)));
    }
    Ok(bytes)
}

impl Refusal {
    /// The code of this refusal, `outside` when the path leads out.
    pub(crate) fn code(&self, outside: Code) -> Code {
        match self {
            Refusal::Outside(_) => outside,
            Refusal::NotAFile(_) => REACH_NOT_A_FILE,
            Refusal::TooLarge(_) => REACH_TOO_LARGE,
            Refusal::Git(_) => REACH_GIT_FOLDER,
        }
    }
}

/// Why a file's text could not be read.
#[derive(Debug, Clone)]
pub(crate) enum Unreadable {
    /// A folder, FIFO, socket or device: never opened, so never a hang.
    NotAFile(&'static str),
    TooLarge(u64),
    /// The first invalid byte, at this 1-based line and column (in characters).
    NotUtf8 {
        line: usize,
        column: usize,
    },
    /// Shared, so a run's cache can hand the same answer to every pass.
    Io(std::sync::Arc<std::io::Error>),
}

impl std::fmt::Display for Unreadable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Unreadable::NotAFile(kind) => write!(f, "it is a {kind}, not a regular file"),
            Unreadable::TooLarge(len) => write!(
                f,
                "it is {len} bytes, over the {MAX_FILE_BYTES}-byte limit on any file the build reads"
            ),
            Unreadable::NotUtf8 { line, column } => write!(
                f,
                "it is not UTF-8: the first invalid byte is on line {line}, column {column}"
            ),
            Unreadable::Io(err) => write!(f, "{err}"),
        }
    }
}

impl std::error::Error for Unreadable {}

/// Reads a file's text: only a regular file (checked before it is opened),
/// at most [`MAX_FILE_BYTES`], and UTF-8.
pub(crate) fn read_text(path: &Path) -> Result<String, Unreadable> {
    let meta = std::fs::metadata(path).map_err(|e| Unreadable::Io(e.into()))?;
    if !meta.is_file() {
        return Err(Unreadable::NotAFile(kind_of(&meta)));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(Unreadable::TooLarge(meta.len()));
    }
    // Sized up front: `take` hides the length, and growing from nothing
    // costs a dozen reads per file.
    let mut bytes = Vec::with_capacity(meta.len() as usize + 1);
    use std::io::Read;
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes))
        .map_err(|e| Unreadable::Io(e.into()))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(Unreadable::TooLarge(bytes.len() as u64));
    }
    String::from_utf8(bytes).map_err(|err| {
        let (line, column) = utf8_error_at(err.as_bytes(), &err.utf8_error());
        Unreadable::NotUtf8 { line, column }
    })
}

impl Unreadable {
    /// The location the reason points at in the file named `shown`.
    pub(crate) fn location(&self, shown: &str) -> Location {
        match self {
            Unreadable::NotUtf8 { line, column } => Location {
                path: shown.to_string(),
                line: *line,
                column: *column,
                end_column: column + 1,
                line_text: String::new(),
                line_text_start: 0,
            },
            _ => Location::file(shown),
        }
    }
}

/// `book.toml` judged before anyone parses it: mdBook reads it whole and
/// takes `build-dir`, the theme and every `command` from it, so one that
/// leads out of the repository, or is no regular file of a sane size, is
/// refused before it is read, and nothing is built.
pub(crate) fn check_book_toml(book: &Path) -> Option<Diagnostic> {
    let reach = Reach::repository(book);
    let Verdict::Refused(refusal) = reach.judge(&book.join("book.toml")) else {
        return None;
    };
    Some(
        Diagnostic::raise(
            refusal.code(REACH_OUTSIDE_SOURCE),
            Location::file("book.toml"),
            format!(
                "`book.toml` {}; the book's settings are not read from it",
                reach.explain(&refusal)
            ),
        )
        .with_hint(
            "keep book.toml a regular file inside the repository (a link to one inside is fine), at most 16 MiB",
        ),
    )
}

/// Reads a regular file inside the allowed folder, never more than the limit.
pub(crate) fn read_regular(reach: &Reach, path: &Path) -> Result<Vec<u8>, Verdict> {
    match reach.judge(path) {
        Verdict::Readable(real) => std::fs::read(real).map_err(|_| Verdict::Missing),
        other => Err(other),
    }
}

/// The nearest folder at or above `book` holding `.git`, else `book`; canonical.
pub(crate) fn repository_root(book: &Path) -> PathBuf {
    let book = canonical_or_absolute(book);
    book.ancestors()
        .find(|dir| dir.join(".git").exists())
        .unwrap_or(&book)
        .to_path_buf()
}

/// Where the operating system puts `path`, which need not exist yet: the
/// canonical form of its nearest existing ancestor, then the rest as
/// `create_dir_all` makes it (each `..` after a folder it creates climbs back
/// out of that folder).
pub(crate) fn resolve_place(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut rest = Vec::new();
    let mut at = absolute.as_path();
    let mut real = loop {
        if let Ok(real) = at.canonicalize() {
            break real;
        }
        match (at.parent(), at.components().next_back()) {
            (Some(parent), Some(last)) => {
                rest.push(last);
                at = parent;
            }
            _ => return absolute,
        }
    };
    for part in rest.into_iter().rev() {
        match part {
            Component::Normal(name) => real.push(name),
            Component::ParentDir => {
                real.pop();
            }
            _ => {}
        }
    }
    real
}

fn canonical_or_absolute(path: &Path) -> PathBuf {
    path.canonicalize()
        .or_else(|_| std::path::absolute(path))
        .unwrap_or_else(|_| path.to_path_buf())
}

pub(crate) fn kind_of(meta: &std::fs::Metadata) -> &'static str {
    let kind = meta.file_type();
    if kind.is_dir() {
        return "folder";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "FIFO";
        }
        if kind.is_socket() {
            return "socket";
        }
        if kind.is_block_device() || kind.is_char_device() {
            return "device";
        }
    }
    "special file"
}

/// `path` relative to `base` (both absolute), with `/` separators.
pub(crate) fn relative(base: &Path, path: &Path) -> String {
    let base: Vec<Component> = base.components().collect();
    let path: Vec<Component> = path.components().collect();
    let common = base.iter().zip(&path).take_while(|(a, b)| a == b).count();
    let ups = std::iter::repeat_n("..".to_string(), base.len() - common);
    let downs = path[common..]
        .iter()
        .map(|c| c.as_os_str().to_string_lossy().into_owned());
    let parts: Vec<String> = ups.chain(downs).collect();
    if parts.is_empty() {
        ".".into()
    } else {
        parts.join("/")
    }
}

/// The line and column (in characters, 1-based) of the first byte that is
/// not UTF-8.
pub(crate) fn utf8_error_at(bytes: &[u8], err: &std::str::Utf8Error) -> (usize, usize) {
    let good = std::str::from_utf8(&bytes[..err.valid_up_to()]).unwrap_or_default();
    let line_start = good.rfind('\n').map_or(0, |i| i + 1);
    (
        good.matches('\n').count() + 1,
        good[line_start..].chars().count() + 1,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::book_root::temp_book;

    #[test]
    fn only_regular_utf8_files_within_the_limit_are_read() {
        let (dir, _) = temp_book(&[("ok.md", "fine\n")]);
        std::fs::write(dir.path().join("bad.md"), b"line one\nab\xff\n").unwrap();
        assert_eq!(read_text(&dir.path().join("ok.md")).unwrap(), "fine\n");
        let err = read_text(&dir.path().join("bad.md")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "it is not UTF-8: the first invalid byte is on line 2, column 3"
        );
        assert_eq!(err.location("bad.md").short(), "bad.md:2:3");
        let err = read_text(dir.path()).unwrap_err();
        assert_eq!(err.to_string(), "it is a folder, not a regular file");
        #[cfg(unix)]
        if Path::new("/dev/zero").exists() {
            let err = read_text(Path::new("/dev/zero")).unwrap_err();
            assert_eq!(err.to_string(), "it is a device, not a regular file");
        }
    }

    #[test]
    fn a_place_not_made_yet_lands_where_create_dir_all_puts_it() {
        let (dir, _) = temp_book(&[("book/book.toml", "")]);
        let real = dir.path().canonicalize().unwrap();
        let at = |rel: &str| resolve_place(&dir.path().join(rel));
        assert_eq!(at("book/site"), real.join("book/site"));
        assert_eq!(at("book/new/deeper"), real.join("book/new/deeper"));
        assert_eq!(at("book/missing/../../x"), real.join("x"));
        assert_eq!(at("book/.."), real);
        #[cfg(unix)]
        {
            let outside = tempfile::tempdir().unwrap();
            std::os::unix::fs::symlink(outside.path(), dir.path().join("book/out")).unwrap();
            let outside_real = outside.path().canonicalize().unwrap();
            assert_eq!(at("book/out/site"), outside_real.join("site"));
            assert_eq!(
                at("book/out/../x"),
                outside_real.parent().unwrap().join("x")
            );
        }
    }

    #[test]
    fn relative_names_climb_with_dot_dot() {
        assert_eq!(relative(Path::new("/a/b"), Path::new("/a/b/c/d")), "c/d");
        assert_eq!(relative(Path::new("/a/b"), Path::new("/a/x")), "../x");
        assert_eq!(relative(Path::new("/a"), Path::new("/a")), ".");
    }

    #[test]
    fn the_repository_is_the_nearest_folder_with_git() {
        let (dir, _) = temp_book(&[("repo/.git/HEAD", ""), ("repo/docs/book/book.toml", "")]);
        let real = dir.path().canonicalize().unwrap();
        assert_eq!(
            repository_root(&real.join("repo/docs/book")),
            real.join("repo")
        );
        assert_eq!(
            repository_root(&real.join("repo/docs/book")),
            repository_root(&real.join("repo"))
        );
        let (other, _) = temp_book(&[("book.toml", "")]);
        let other_real = other.path().canonicalize().unwrap();
        // No `.git` above a temporary folder: the book root bounds reads.
        if !other_real.ancestors().any(|d| d.join(".git").exists()) {
            assert_eq!(repository_root(&other_real), other_real);
        }
    }

    #[cfg(unix)]
    #[test]
    fn paths_are_judged_where_the_system_resolves_them() {
        let (dir, root) = temp_book(&[
            (".git/HEAD", ""),
            ("policies/a.json", "{}"),
            ("secret.txt", "decoy"),
            ("src/etc/passwd", "decoy"),
        ]);
        std::os::unix::fs::symlink("../policies", dir.path().join("src/policies")).unwrap();
        let reach = root.reach().clone();
        let src = dir.path().join("src");
        assert!(matches!(
            reach.judge(&src.join("policies/a.json")),
            Verdict::Readable(_)
        ));
        // `policies/..` is the repository root, so `../secret.txt` climbs out of it.
        let outside = dir.path().parent().unwrap().join("secret.txt");
        std::fs::write(&outside, "published?").ok();
        let verdict = reach.judge(&src.join("policies/../../secret.txt"));
        if outside.exists() {
            assert!(matches!(verdict, Verdict::Refused(Refusal::Outside(_))));
            std::fs::remove_file(&outside).unwrap();
        }
        assert!(matches!(
            reach.judge(Path::new("/etc/passwd")),
            Verdict::Refused(Refusal::Outside(_))
        ));
        assert!(matches!(
            reach.judge(&src.join("etc")),
            Verdict::Refused(Refusal::NotAFile("folder"))
        ));
        assert_eq!(reach.judge(&src.join("nothing")), Verdict::Missing);
    }

    #[cfg(unix)]
    #[test]
    fn an_include_reads_the_file_it_judged_and_never_git_fifos_or_folders() {
        let (dir, root) = temp_book(&[
            (".git/config", "[remote] url = https://token@host/x"),
            ("src/ok.md", "fine"),
            ("src/sub/x.md", ""),
        ]);
        let outer = tempfile::tempdir().unwrap();
        std::fs::write(outer.path().join("secret.txt"), "secret").unwrap();
        let src = dir.path().join("src");
        std::os::unix::fs::symlink(outer.path().join("secret.txt"), src.join("link.md")).unwrap();
        std::os::unix::fs::symlink("../.git", src.join("git")).unwrap();
        let fifo = src.join("fifo.md");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        let reach = root.reach().clone();
        let (real, bytes) = reach.read_judged(&src.join("ok.md")).unwrap();
        assert_eq!(
            (real.ends_with("src/ok.md"), &bytes[..]),
            (true, &b"fine"[..])
        );
        assert!(matches!(
            reach.read_judged(&src.join("link.md")),
            Err(Verdict::Refused(Refusal::Outside(_)))
        ));
        assert!(matches!(
            reach.read_judged(&src.join("git/config")),
            Err(Verdict::Refused(Refusal::Git(_)))
        ));
        assert!(matches!(
            reach.read_judged(&src.join("sub")),
            Err(Verdict::Refused(Refusal::NotAFile("folder")))
        ));
        assert_eq!(reach.read_judged(&src.join("none")), Err(Verdict::Missing));
        assert!(made.is_ok_and(|s| s.success()), "mkfifo is needed");
        // Judged without being opened for reading: no writer, yet no hang.
        assert!(matches!(
            reach.read_judged(&fifo),
            Err(Verdict::Refused(Refusal::NotAFile("FIFO")))
        ));
        assert!(matches!(
            reach.read_by_path(&fifo),
            Err(Verdict::Refused(Refusal::NotAFile("FIFO")))
        ));
    }
}
