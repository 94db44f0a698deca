//! Under `serve`, the texts one build read, handed to the next build of
//! the same book: a file whose identity, size and times are as they were
//! when it was read, long enough after it last changed, is not read again.
//! A file `serve` saw edited is forgotten whatever its times say.

use crate::model::by_root::ByRoot;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

/// What one run of a book carries: the book's root, the texts its last
/// run read (taken at this run's first read), and the texts this run read,
/// handed to the next run when this one ends.
#[derive(Debug)]
pub(crate) struct Carry {
    root: PathBuf,
    last: OnceLock<HashMap<PathBuf, Carried>>,
    this: Mutex<HashMap<PathBuf, Carried>>,
}

/// Under `serve`, each book's texts from its last run, by root, each with
/// the file's state when it was read.
static CARRIED: ByRoot<HashMap<PathBuf, Carried>> = ByRoot::new();

/// A text, and the state of its file just before it was read.
#[derive(Debug, Clone)]
struct Carried {
    text: Arc<str>,
    stat: Stat,
    read_at: std::time::SystemTime,
}

/// What tells a file's content changed: its identity, size and times.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Stat {
    dev: u64,
    ino: u64,
    len: u64,
    modified: std::time::SystemTime,
    changed: (i64, i64),
}

impl Stat {
    fn of(path: &Path) -> Option<Stat> {
        use std::os::unix::fs::MetadataExt;
        let meta = std::fs::metadata(path).ok()?;
        Some(Stat {
            dev: meta.dev(),
            ino: meta.ino(),
            len: meta.len(),
            modified: meta.modified().ok()?,
            changed: (meta.ctime(), meta.ctime_nsec()),
        })
    }
}

/// A file changed this long before it was read cannot change again within
/// the same tick of its file system's clock (a second on the coarsest),
/// so a later change shows in its times. One changed more recently is
/// read again.
const SETTLED: std::time::Duration = std::time::Duration::from_secs(2);

/// Keeps the texts each run reads for the next run of the same book (for
/// `serve`).
pub fn keep_texts() {
    CARRIED.keep();
}

/// Forgets what any book kept of the file at `path` (absolute): it was edited.
pub(crate) fn forget_text(path: &Path) {
    CARRIED.each(|texts| {
        texts.remove(path);
    });
}

impl Carry {
    /// The text of `path`, from the last run when its file is as it was.
    pub(crate) fn read(&self, path: &Path) -> Result<Arc<str>, crate::model::reach::Unreadable> {
        self.read_telling(path).map(|(text, _)| text)
    }

    /// [`Carry::read`], and whether the file was read from disk.
    fn read_telling(
        &self,
        path: &Path,
    ) -> Result<(Arc<str>, bool), crate::model::reach::Unreadable> {
        let last = self
            .last
            .get_or_init(|| CARRIED.take(&self.root).unwrap_or_default());
        let stat = Stat::of(path);
        let kept = last.get(path).filter(|c| {
            stat.as_ref() == Some(&c.stat)
                && c.read_at
                    .duration_since(c.stat.modified)
                    .is_ok_and(|age| age > SETTLED)
        });
        let fresh = kept.is_none();
        let carried = match kept {
            Some(kept) => kept.clone(),
            None => {
                let read_at = std::time::SystemTime::now();
                let text: Arc<str> = crate::model::reach::read_text(path)?.into();
                let Some(stat) = stat else {
                    return Ok((text, true));
                };
                Carried {
                    text,
                    stat,
                    read_at,
                }
            }
        };
        let text = carried.text.clone();
        self.this
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(path.to_path_buf(), carried);
        Ok((text, fresh))
    }
}

impl Drop for Carry {
    /// Hands this run's texts to the next run, when it read any.
    fn drop(&mut self) {
        if self.last.get().is_none() {
            return;
        }
        let this = std::mem::take(self.this.get_mut().unwrap_or_else(|e| e.into_inner()));
        CARRIED.put(&self.root, this);
    }
}

/// What a run of the book at `root` carries to the next, when texts are kept.
pub(crate) fn carry(root: &Path) -> Option<Carry> {
    CARRIED.kept().then(|| Carry {
        root: root.to_path_buf(),
        last: OnceLock::new(),
        this: Mutex::default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, SystemTime};

    /// Writes `text` to `path`, last modified `age` ago.
    fn write(path: &Path, text: &str, age: Duration) {
        std::fs::write(path, text).unwrap();
        let file = std::fs::File::options().write(true).open(path).unwrap();
        file.set_modified(SystemTime::now() - age).unwrap();
    }

    /// One run of the book at `root` reading `path`: the text and whether
    /// it came from disk.
    fn run(root: &Path, path: &Path) -> (String, bool) {
        let carry = carry(root).expect("texts are kept");
        let (text, fresh) = carry.read_telling(path).unwrap();
        (text.to_string(), fresh)
    }

    #[test]
    fn a_text_is_read_again_only_when_its_file_may_have_changed() {
        keep_texts();
        let dir = tempfile::tempdir().unwrap();
        let (root, old, new) = (
            dir.path(),
            dir.path().join("old.md"),
            dir.path().join("new.md"),
        );
        let hour = Duration::from_secs(3600);
        write(&old, "one", hour);
        assert_eq!(run(root, &old), ("one".into(), true));
        assert_eq!(run(root, &old), ("one".into(), false));
        // Same size, modified time set back: the change time tells.
        write(&old, "two", hour);
        assert_eq!(run(root, &old), ("two".into(), true));
        assert_eq!(run(root, &old), ("two".into(), false));
        // Edited as `serve` saw: read again.
        forget_text(&old);
        assert_eq!(run(root, &old), ("two".into(), true));
        // A run that reads nothing leaves what the last one read.
        drop(carry(root));
        assert_eq!(run(root, &old), ("two".into(), false));
        // Another book's run neither reads nor replaces them.
        let other = tempfile::tempdir().unwrap();
        assert_eq!(run(other.path(), &old), ("two".into(), true));
        assert_eq!(run(root, &old), ("two".into(), false));
        // Changed just before it was read: a change within the same tick
        // of the clock would not show, so it is read every time.
        write(&new, "fresh", Duration::ZERO);
        assert_eq!(run(root, &new), ("fresh".into(), true));
        assert_eq!(run(root, &new), ("fresh".into(), true));
    }
}
