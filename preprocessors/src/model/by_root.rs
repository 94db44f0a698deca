//! What `serve` keeps of one build of a book for the next, by book root:
//! nothing until [`ByRoot::keep`] turns it on, so other commands keep
//! nothing; by root, so a build of another book in the same process (a
//! test's fresh build of a copy) neither reads nor replaces it.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};

pub(crate) struct ByRoot<T>(Mutex<Option<HashMap<PathBuf, T>>>);

impl<T> ByRoot<T> {
    pub(crate) const fn new() -> Self {
        ByRoot(Mutex::new(None))
    }

    fn lock(&self) -> MutexGuard<'_, Option<HashMap<PathBuf, T>>> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Keeps what each build leaves from now on.
    pub(crate) fn keep(&self) {
        self.lock().get_or_insert_with(HashMap::new);
    }

    /// Whether builds keep what they leave.
    pub(crate) fn kept(&self) -> bool {
        self.lock().is_some()
    }

    /// What the last build of the book at `root` left, taken out (two
    /// builds of one book at once: each finds what the other left, or
    /// nothing).
    pub(crate) fn take(&self, root: &Path) -> Option<T> {
        self.lock().as_mut()?.remove(root)
    }

    /// Leaves `value` for the next build of the book at `root`, when kept.
    pub(crate) fn put(&self, root: &Path, value: T) {
        if let Some(books) = self.lock().as_mut() {
            books.insert(root.to_path_buf(), value);
        }
    }

    /// `f` of what the last build of the book at `root` left.
    pub(crate) fn read<R>(&self, root: &Path, f: impl FnOnce(&T) -> R) -> Option<R> {
        self.lock().as_ref()?.get(root).map(f)
    }

    /// Changes what every book's last build left.
    pub(crate) fn each(&self, mut f: impl FnMut(&mut T)) {
        if let Some(books) = self.lock().as_mut() {
            books.values_mut().for_each(&mut f);
        }
    }
}

impl<T> Default for ByRoot<T> {
    fn default() -> Self {
        ByRoot::new()
    }
}
