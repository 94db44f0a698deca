//! What the build may read. mdBook opens every path the way the operating
//! system resolves it (absolute paths as absolute, `..` after following
//! symlinks), so each path is judged on its canonical form: it must land
//! inside the repository that holds the book (the nearest enclosing folder
//! with a `.git`; the book root when there is none) or inside `include-root`
//! when `[preprocessor.validate]` sets one, and it must be a regular file of
//! at most [`MAX_FILE_BYTES`] (a FIFO or a device would hang the build).

use crate::book_root::{BookRoot, SHARED_TABLE};
use crate::diagnostics::{Diagnostic, Diagnostics, codes};
use crate::location::Location;
use std::path::{Component, Path, PathBuf};

/// The largest file the build reads: far above any chapter, listing or
/// policy, far below what would exhaust a CI runner's memory.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// The folder every read must stay inside.
#[derive(Debug, Clone)]
pub struct Reach {
    /// Canonical.
    allowed: PathBuf,
    /// How diagnostics name it.
    label: String,
    /// The book root, for repo-relative names in diagnostics.
    book: PathBuf,
}

/// Where a path leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// A regular file inside the allowed folder (its canonical path).
    Readable(PathBuf),
    /// Nothing there (or a dangling link): mdBook reads nothing either.
    Missing,
    Refused(Refusal),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Resolves to this canonical path, outside the allowed folder.
    Outside(PathBuf),
    /// A folder, FIFO, socket or device.
    NotAFile(&'static str),
    /// Larger than [`MAX_FILE_BYTES`].
    TooLarge(u64),
}

impl Reach {
    pub fn new(book_root: &BookRoot) -> Self {
        let book = canonical_or_absolute(&book_root.root);
        let configured = book_root
            .config
            .get::<String>(&format!("preprocessor.{SHARED_TABLE}.include-root"))
            .ok()
            .flatten();
        match configured {
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

    /// The canonical folder reads must stay inside.
    pub fn allowed(&self) -> &Path {
        &self.allowed
    }

    /// `the repository` or `` `include-root` (`…`) ``, for messages.
    pub fn label(&self) -> &str {
        &self.label
    }

    /// Where `path` leads, resolved as the operating system will.
    pub fn judge(&self, path: &Path) -> Verdict {
        let Ok(real) = path.canonicalize() else {
            return Verdict::Missing;
        };
        if !real.starts_with(&self.allowed) {
            return Verdict::Refused(Refusal::Outside(real));
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

    /// Whether a canonical path lies inside the allowed folder.
    pub fn contains(&self, real: &Path) -> bool {
        real.starts_with(&self.allowed)
    }

    /// `path` relative to the book root, with `/` separators (`../x` above it).
    pub fn name(&self, path: &Path) -> String {
        relative(&self.book, path)
    }

    /// Why a refused path was refused, in a sentence fragment.
    pub fn explain(&self, refusal: &Refusal) -> String {
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
        }
    }
}

/// Reads a regular file inside the allowed folder, never more than the limit.
pub fn read_regular(reach: &Reach, path: &Path) -> Result<Vec<u8>, Verdict> {
    match reach.judge(path) {
        Verdict::Readable(real) => std::fs::read(real).map_err(|_| Verdict::Missing),
        other => Err(other),
    }
}

/// The nearest folder at or above `book` holding `.git`, else `book`; canonical.
pub fn repository_root(book: &Path) -> PathBuf {
    let book = canonical_or_absolute(book);
    book.ancestors()
        .find(|dir| dir.join(".git").exists())
        .unwrap_or(&book)
        .to_path_buf()
}

fn canonical_or_absolute(path: &Path) -> PathBuf {
    path.canonicalize()
        .or_else(|_| std::path::absolute(path))
        .unwrap_or_else(|_| path.to_path_buf())
}

fn kind_of(meta: &std::fs::Metadata) -> &'static str {
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
pub fn relative(base: &Path, path: &Path) -> String {
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

/// Every file and folder under the book's `src/` that mdBook would read or
/// copy into the site, judged: symlinks that lead outside, dangling links,
/// symlink loops and special files are reported; nothing is followed out.
pub fn check_sources(book_root: &BookRoot, reach: &Reach, diagnostics: &mut Diagnostics) {
    let src_rel = book_root.src_dir();
    let src = book_root.root.join(&book_root.config.book.src);
    let src_name = if src_rel.is_empty() {
        ".".into()
    } else {
        src_rel
    };
    match src.canonicalize() {
        Err(_) => return,
        Ok(real) if !reach.contains(&real) => {
            diagnostics.push(outside_source(&src_name, reach, &Refusal::Outside(real)));
            return;
        }
        Ok(_) => {}
    }
    let mut walk = walkdir::WalkDir::new(&src)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter();
    while let Some(entry) = walk.next() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                let at = err
                    .path()
                    .map_or_else(|| src_name.clone(), |p| reach.name(p));
                let why = if err.loop_ancestor().is_some() {
                    "is a symlink loop".to_string()
                } else {
                    "cannot be read (a dangling symlink?)".to_string()
                };
                diagnostics.push(
                    Diagnostic::error(
                        codes::REACH_UNREADABLE_SOURCE,
                        Location::file(&at),
                        format!("`{at}` {why}; mdBook cannot copy it into the site"),
                    )
                    .with_hint("remove the link or point it at a file inside the repository"),
                );
                continue;
            }
        };
        let name = reach.name(entry.path());
        let real = match entry.path().canonicalize() {
            Ok(real) => real,
            Err(_) => continue,
        };
        if !reach.contains(&real) {
            diagnostics.push(outside_source(&name, reach, &Refusal::Outside(real)));
            if entry.file_type().is_dir() {
                walk.skip_current_dir();
            }
            continue;
        }
        let Ok(meta) = std::fs::metadata(&real) else {
            continue;
        };
        if meta.is_dir() {
            continue;
        }
        if !meta.is_file() {
            diagnostics.push(outside_source(
                &name,
                reach,
                &Refusal::NotAFile(kind_of(&meta)),
            ));
        } else if meta.len() > MAX_FILE_BYTES {
            diagnostics.push(outside_source(&name, reach, &Refusal::TooLarge(meta.len())));
        }
    }
}

fn outside_source(name: &str, reach: &Reach, refusal: &Refusal) -> Diagnostic {
    let code = match refusal {
        Refusal::Outside(_) => codes::REACH_OUTSIDE_SOURCE,
        Refusal::NotAFile(_) => codes::REACH_NOT_A_FILE,
        Refusal::TooLarge(_) => codes::REACH_TOO_LARGE,
    };
    Diagnostic::error(
        code,
        Location::file(name),
        format!(
            "`{name}` {}; mdBook would copy it into the site",
            reach.explain(refusal)
        ),
    )
    .with_hint(match refusal {
        Refusal::Outside(_) => {
            "copy the file into the repository instead of linking to it; links that stay inside (such as `src/policies -> ../policies`) are fine"
        }
        _ => "remove it from the book's sources",
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::book_root::temp_book;

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
        let reach = Reach::new(&root);
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
}
