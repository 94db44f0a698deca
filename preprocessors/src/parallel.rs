//! Work spread over the machine's cores, results always in input order, so a
//! parallel run prints exactly what a serial one does.
//!
//! `RESPONDER_DOCS_THREADS=N` sets the number of threads (`1` runs serially,
//! which the tests compare against); by default every core, at most 8.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The environment variable that overrides the number of threads.
pub const THREADS_VAR: &str = "RESPONDER_DOCS_THREADS";

/// Below this many items a thread costs more than it saves.
const MIN_ITEMS: usize = 16;

/// Items handed to a thread at a time: small enough to even out chapters of
/// different sizes, large enough that taking work is no cost.
const BATCH: usize = 8;

/// How many threads [`map`] uses.
pub fn threads() -> usize {
    std::env::var(THREADS_VAR)
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|&n| n > 0)
        .unwrap_or_else(|| {
            std::thread::available_parallelism()
                .map_or(1, |n| n.get())
                .min(8)
        })
}

/// `f(index, item)` for every item, on [`threads`] threads; results in the
/// order of `items`. Threads take batches as they finish, so one long
/// chapter does not leave a core idle.
pub fn map<T: Sync, R: Send>(items: &[T], f: impl Fn(usize, &T) -> R + Sync) -> Vec<R> {
    let threads = threads().min(items.len().div_ceil(BATCH));
    if threads <= 1 || items.len() < MIN_ITEMS {
        return items.iter().enumerate().map(|(i, t)| f(i, t)).collect();
    }
    let next = AtomicUsize::new(0);
    let done: Mutex<Vec<(usize, Vec<R>)>> = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                let mut mine = Vec::new();
                loop {
                    let start = next.fetch_add(BATCH, Ordering::Relaxed);
                    if start >= items.len() {
                        break;
                    }
                    let end = (start + BATCH).min(items.len());
                    let batch = (start..end).map(|i| f(i, &items[i])).collect();
                    mine.push((start, batch));
                }
                done.lock()
                    .unwrap_or_else(|poisoned| poisoned.into_inner())
                    .extend(mine);
            });
        }
    });
    let mut batches = done
        .into_inner()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    batches.sort_unstable_by_key(|(start, _)| *start);
    batches.into_iter().flat_map(|(_, batch)| batch).collect()
}

/// `f` for each of a few large jobs, each on a thread of its own (when more
/// than one thread is allowed); results in the order of `jobs`.
pub fn map_few<T: Sync, R: Send>(jobs: &[T], f: impl Fn(usize, &T) -> R + Sync) -> Vec<R> {
    if threads() <= 1 || jobs.len() <= 1 {
        return jobs.iter().enumerate().map(|(i, t)| f(i, t)).collect();
    }
    std::thread::scope(|scope| {
        let f = &f;
        let handles: Vec<_> = jobs
            .iter()
            .enumerate()
            .map(|(i, job)| scope.spawn(move || f(i, job)))
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_back_in_input_order() {
        let items: Vec<usize> = (0..1000).collect();
        let squares = map(&items, |i, &x| {
            assert_eq!(i, x);
            // Uneven work, so batches finish out of order.
            if x % 97 == 0 {
                std::thread::yield_now();
            }
            x * x
        });
        assert_eq!(squares, items.iter().map(|x| x * x).collect::<Vec<_>>());
    }

    #[test]
    fn a_few_jobs_come_back_in_order() {
        assert_eq!(
            map_few(&["a", "bb", "ccc"], |i, s| (i, s.len())),
            [(0, 1), (1, 2), (2, 3)]
        );
    }

    #[test]
    fn few_items_and_none_are_handled() {
        assert_eq!(map(&[3, 4], |i, x| i + x), [3, 5]);
        assert!(map(&[] as &[u8], |_, x| *x).is_empty());
    }
}
