//! The book root: the one directory every pass may read from, its
//! `book.toml` settings, and repo-relative names for diagnostics.

use crate::model::paths::stays_inside;
use anyhow::{Context, Result};
use mdbook_preprocessor::config::Config;
use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

#[derive(Debug, Clone)]
pub struct BookRoot {
    pub root: PathBuf,
    pub config: Config,
    /// What [`BookRoot::resolve`] found, shared by the clones of one run.
    resolved: Arc<ResolveCache>,
    /// The chapter files as mdBook's loader read them, by repo-relative
    /// path: in-process, the passes need not read them a second time.
    loaded: Option<Arc<LoadedSources>>,
    /// Under `serve`, the files edited since the last build (absolute);
    /// `None` when that is not known (every other run).
    pub edited: Option<Arc<[PathBuf]>>,
    /// The rules' view: every file they read was read before they ran
    /// ([`crate::model::inputs`]).
    sealed: bool,
}

/// Chapter texts by repo-relative path (`src/setup.md`).
pub(crate) type LoadedSources = HashMap<String, String>;

/// Each path asks the file system once per run: a large book links the same
/// files thousands of times, and every answer costs a `realpath`.
#[derive(Debug, Default)]
struct ResolveCache {
    /// The root as the operating system resolves it (`None`: it is gone).
    real_root: OnceLock<Option<PathBuf>>,
    /// Keyed by the joined path, before the operating system resolves it.
    paths: Mutex<HashMap<PathBuf, Result<PathBuf, Refused>>>,
    /// Folders as the operating system resolves them: the files of one
    /// folder share the `realpath` of it.
    dirs: Mutex<HashMap<PathBuf, Option<PathBuf>>>,
    /// Where reads may go, found once (it walks up to the repository root).
    reach: OnceLock<crate::model::reach::Reach>,
    /// Every file's text as first read this run, by the path opened: each
    /// pass that asks again gets the same bytes, and the file is opened once.
    texts: Mutex<HashMap<PathBuf, Result<Arc<str>, crate::model::reach::Unreadable>>>,
    /// Under `serve`, the book's root and the texts its last run read
    /// (taken at this run's first read), and the texts this run read with
    /// the file's state when read, handed to the next run when this one ends.
    carried: Option<crate::model::kept_texts::Carry>,
}

/// Why a path was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Refused {
    Absolute,
    LeavesRoot,
    Missing,
}

impl BookRoot {
    pub fn new(root: impl Into<PathBuf>, config: Config) -> Self {
        let root = root.into();
        BookRoot {
            root: root.clone(),
            config,
            resolved: Arc::new(ResolveCache {
                carried: crate::model::kept_texts::carry(&root),
                ..ResolveCache::default()
            }),
            loaded: None,
            edited: None,
            sealed: false,
        }
    }

    /// This root as the rules see it, once the loader has read the book's
    /// inputs: asking for a file no one read is a fault of the loader,
    /// which every test run reports (a release build still reads it, so no
    /// problem goes unreported).
    pub(crate) fn sealed(&self) -> Self {
        BookRoot {
            sealed: true,
            ..self.clone()
        }
    }

    /// The same root with the settings as they stand now (`--deny-warnings`
    /// applied), sharing what this run has resolved and read.
    pub(crate) fn with_config(&self, config: Config) -> Self {
        BookRoot {
            config,
            ..self.clone()
        }
    }

    /// This root, knowing the chapter files mdBook's loader read.
    pub(crate) fn with_loaded(mut self, loaded: Arc<LoadedSources>) -> Self {
        self.loaded = Some(loaded);
        self
    }

    /// The chapter sources of an unprocessed book, for [`BookRoot::with_loaded`].
    pub(crate) fn loaded_sources(&self, book: &mdbook_preprocessor::book::Book) -> LoadedSources {
        book.iter()
            .filter_map(|item| match item {
                mdbook_preprocessor::book::BookItem::Chapter(chapter) => {
                    let path = chapter.source_path.as_ref()?;
                    Some((self.chapter_path(path), chapter.content.clone()))
                }
                _ => None,
            })
            .collect()
    }

    /// A chapter file's text as the loader read it, when it did.
    pub(crate) fn loaded(&self, rel: &str) -> Option<&str> {
        self.loaded.as_ref()?.get(rel).map(String::as_str)
    }

    /// Loads `book.toml` from a directory (used by commands that do not build).
    pub fn load(root: &Path) -> Result<Self> {
        let path = root.join("book.toml");
        if let Some(refused) = crate::model::reach::check_book_toml(root) {
            anyhow::bail!("{}", refused.short());
        }
        let config =
            Config::from_disk(&path).with_context(|| format!("cannot load {}", path.display()))?;
        Ok(Self::new(root, config))
    }

    /// The folder every read must stay inside, worked out once per run.
    pub(crate) fn reach(&self) -> &crate::model::reach::Reach {
        self.resolved.reach.get_or_init(|| {
            let settings: crate::model::config::Validate =
                crate::model::config::read(&self.config, crate::model::config::SHARED_TABLE);
            crate::model::reach::Reach::new(&self.root, settings.include_root)
        })
    }

    /// The chapters' folder, relative to the root (`src` unless book.toml says otherwise).
    pub(crate) fn src_dir(&self) -> String {
        slashed(&self.config.book.src)
    }

    /// The repo-relative name of a chapter's source file (`Chapter::source_path`
    /// is relative to `src/`).
    pub(crate) fn chapter_path(&self, source_path: &Path) -> String {
        let src = self.src_dir();
        let rel = slashed(source_path);
        if src.is_empty() || src == "." {
            rel
        } else {
            format!("{src}/{rel}")
        }
    }

    /// An existing path inside the root, given relative to it. Refuses
    /// absolute paths, `..` that climbs out, and symlinks that lead out.
    pub(crate) fn resolve(&self, rel: &str) -> Result<PathBuf, Refused> {
        let rel_path = Path::new(rel);
        if rel_path.is_absolute() || rel.starts_with('/') || rel.starts_with('\\') {
            return Err(Refused::Absolute);
        }
        if !stays_inside(rel_path) {
            return Err(Refused::LeavesRoot);
        }
        let joined = self.root.join(rel_path);
        let cached = self.paths().get(&joined).cloned();
        if let Some(answer) = cached {
            return answer;
        }
        // Not under the lock: other threads keep resolving meanwhile.
        let answer = self.resolve_on_disk(&joined);
        self.paths().insert(joined, answer.clone());
        answer
    }

    fn paths(&self) -> std::sync::MutexGuard<'_, HashMap<PathBuf, Result<PathBuf, Refused>>> {
        self.resolved
            .paths
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn resolve_on_disk(&self, joined: &Path) -> Result<PathBuf, Refused> {
        let real = self.real_path(joined).ok_or(Refused::Missing)?;
        let root = self
            .resolved
            .real_root
            .get_or_init(|| self.root.canonicalize().ok())
            .as_ref()
            .ok_or(Refused::Missing)?;
        if real.starts_with(root) {
            Ok(joined.to_path_buf())
        } else {
            Err(Refused::LeavesRoot)
        }
    }

    /// `path` as the operating system resolves it (every symlink followed),
    /// `None` when it does not exist: its folder comes from the cache, and
    /// only a last component that is itself a symlink is resolved again.
    fn real_path(&self, path: &Path) -> Option<PathBuf> {
        let (Some(dir), Some(name)) = (path.parent(), path.file_name()) else {
            return path.canonicalize().ok();
        };
        let cached = self.dirs().get(dir).cloned();
        let real_dir = match cached {
            Some(real_dir) => real_dir,
            None => {
                let real_dir = dir.canonicalize().ok();
                self.dirs().insert(dir.to_path_buf(), real_dir.clone());
                real_dir
            }
        }?;
        let candidate = real_dir.join(name);
        let meta = std::fs::symlink_metadata(&candidate).ok()?;
        if meta.file_type().is_symlink() {
            candidate.canonicalize().ok()
        } else {
            Some(candidate)
        }
    }

    fn dirs(&self) -> std::sync::MutexGuard<'_, HashMap<PathBuf, Option<PathBuf>>> {
        self.resolved
            .dirs
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Reads a file inside the root (see [`BookRoot::resolve`]).
    pub(crate) fn read(&self, rel: &str) -> Result<String> {
        let path = self
            .resolve(rel)
            .map_err(|why| anyhow::anyhow!("cannot read `{rel}`: {why:?}"))?;
        self.text(&path)
            .map(|text| text.to_string())
            .with_context(|| format!("cannot read `{rel}`"))
    }

    /// A file's text through [`crate::model::reach::read_text`], read once per run
    /// (the clones of this root share the answer).
    pub(crate) fn text(&self, path: &Path) -> Result<Arc<str>, crate::model::reach::Unreadable> {
        let mut texts = self
            .resolved
            .texts
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        let carried = self.resolved.carried.as_ref();
        texts
            .entry(path.to_path_buf())
            .or_insert_with(|| {
                debug_assert!(
                    !self.sealed,
                    "a rule opened {}: the loader (model::inputs) must read it",
                    path.display()
                );
                match carried {
                    Some(carry) => carry.read(path),
                    None => crate::model::reach::read_text(path).map(Arc::from),
                }
            })
            .clone()
    }

    /// Keeps a text the loader read before this root existed (`book.toml`),
    /// so asking for it again does not open the file.
    pub(crate) fn remember(&self, path: &Path, text: String) {
        self.resolved
            .texts
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry(path.to_path_buf())
            .or_insert_with(|| Ok(Arc::from(text)));
    }

    /// A file's text if this run has already read it (after judging it):
    /// what mdBook's `Book` is built from, so nothing unjudged is read.
    pub(crate) fn already_read(&self, path: &Path) -> Option<Arc<str>> {
        let texts = self
            .resolved
            .texts
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        texts.get(path)?.as_ref().ok().cloned()
    }

    /// `deny-warnings` in `[preprocessor.validate]`: warnings fail the build (CI sets it).
    pub(crate) fn deny_warnings(&self) -> bool {
        crate::model::config::read::<crate::model::config::Validate>(
            &self.config,
            crate::model::config::SHARED_TABLE,
        )
        .deny_warnings
    }
}

/// A book root in a fresh temporary folder holding `files`, for unit tests.
#[cfg(test)]
pub(crate) fn temp_book(files: &[(&str, &str)]) -> (tempfile::TempDir, BookRoot) {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let root = BookRoot::new(dir.path(), Config::default());
    (dir, root)
}

/// A path with `/` separators, as diagnostics and URLs spell it.
pub(crate) fn slashed(path: &Path) -> String {
    path.components()
        .filter_map(|c| match c {
            Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            Component::ParentDir => Some("..".to_string()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root(dir: &Path) -> BookRoot {
        BookRoot::new(dir, Config::default())
    }

    #[test]
    fn climbing_out_is_refused_before_touching_the_disk() {
        assert!(!stays_inside(Path::new("src/../../x")));
        let dir = tempfile::tempdir().unwrap();
        let book = root(dir.path());
        assert_eq!(book.resolve("/etc/passwd"), Err(Refused::Absolute));
        assert_eq!(book.resolve("../x"), Err(Refused::LeavesRoot));
        assert_eq!(book.resolve("nothing"), Err(Refused::Missing));
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_out_of_the_root_is_refused_one_inside_is_not() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret.json"), "{}").unwrap();
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("policies")).unwrap();
        std::fs::write(dir.path().join("policies/ok.json"), "{}").unwrap();
        std::os::unix::fs::symlink(
            outside.path().join("secret.json"),
            dir.path().join("policies/out.json"),
        )
        .unwrap();
        std::os::unix::fs::symlink(dir.path().join("policies"), dir.path().join("link")).unwrap();
        let book = root(dir.path());
        assert_eq!(book.resolve("policies/out.json"), Err(Refused::LeavesRoot));
        assert!(book.resolve("link/ok.json").is_ok());
        assert_eq!(book.read("policies/ok.json").unwrap(), "{}");
        // A folder that leads out, and `..` after a symlinked folder, resolved
        // as the operating system resolves them.
        std::os::unix::fs::symlink(outside.path(), dir.path().join("away")).unwrap();
        assert_eq!(book.resolve("away/secret.json"), Err(Refused::LeavesRoot));
        assert_eq!(book.resolve("away/none.json"), Err(Refused::Missing));
        assert!(book.resolve("link/../policies/ok.json").is_ok());
        assert!(book.resolve("policies/..").is_ok());
        assert_eq!(book.resolve("policies/ok.json/x"), Err(Refused::Missing));
    }

    #[test]
    fn each_path_is_resolved_once_per_run() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.md"), "a").unwrap();
        let book = root(dir.path());
        let clone = book.clone();
        assert!(book.resolve("a.md").is_ok());
        assert_eq!(book.resolve("b.md"), Err(Refused::Missing));
        std::fs::remove_file(dir.path().join("a.md")).unwrap();
        std::fs::write(dir.path().join("b.md"), "b").unwrap();
        // The answers of this run stand, for every clone of it…
        assert!(clone.resolve("a.md").is_ok());
        assert_eq!(clone.resolve("b.md"), Err(Refused::Missing));
        // …and the next run asks the file system again.
        let next = root(dir.path());
        assert_eq!(next.resolve("a.md"), Err(Refused::Missing));
        assert!(next.resolve("b.md").is_ok());
    }

    #[test]
    fn chapter_paths_are_repo_relative() {
        let book = root(Path::new("/book"));
        assert_eq!(
            book.chapter_path(Path::new("iam/roles.md")),
            "src/iam/roles.md"
        );
    }

    #[test]
    fn settings_default_when_the_table_is_absent() {
        let config: Config = "[preprocessor.validate]\ndeny-warnings = true\n"
            .parse()
            .unwrap();
        let book = BookRoot::new("/book", config);
        assert!(book.deny_warnings());
        assert!(!root(Path::new("/b")).deny_warnings());
    }
}
