//! Work spread over the machine's cores, results always in input order, so a
//! parallel run prints exactly what a serial one does.
//!
//! `RESPONDER_DOCS_THREADS=N` sets the number of threads (`1` runs serially);
//! by default every core, at most 8. [`with_threads`] sets it for one call,
//! which is how the tests compare a parallel run with a serial one.

use std::cell::Cell;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The environment variable that overrides the number of threads.
pub(crate) const THREADS_VAR: &str = "RESPONDER_DOCS_THREADS";

/// Below this many items a thread costs more than it saves.
const MIN_ITEMS: usize = 16;

/// Items handed to a thread at a time: small enough to even out chapters of
/// different sizes, large enough that taking work is no cost.
const BATCH: usize = 8;

thread_local! {
    /// Set by [`with_threads`], and carried into the threads [`map`] starts.
    static OVERRIDE: Cell<Option<usize>> = const { Cell::new(None) };
}

/// Runs `f` with [`map`] and [`map_few`] limited to `threads` threads.
pub fn with_threads<R>(threads: usize, f: impl FnOnce() -> R) -> R {
    let before = OVERRIDE.replace(Some(threads.max(1)));
    let result = f();
    OVERRIDE.set(before);
    result
}

/// How many threads [`map`] uses.
pub(crate) fn threads() -> usize {
    if let Some(n) = OVERRIDE.get() {
        return n;
    }
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
pub(crate) fn map<T: Sync, R: Send>(items: &[T], f: impl Fn(usize, &T) -> R + Sync) -> Vec<R> {
    let allowed = threads();
    let threads = allowed.min(items.len().div_ceil(BATCH));
    if threads <= 1 || items.len() < MIN_ITEMS {
        return items.iter().enumerate().map(|(i, t)| f(i, t)).collect();
    }
    let next = AtomicUsize::new(0);
    let done: Mutex<Vec<(usize, Vec<R>)>> = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                OVERRIDE.set(Some(allowed));
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

/// `f` for each of a few large jobs, at most [`threads`] at a time, each
/// job whole on one thread (a job may spread its own items with [`map`]);
/// results in the order of `jobs`. Threads take the next job as they
/// finish one, so a long job does not hold the others back.
pub(crate) fn map_few<T: Sync, R: Send>(jobs: &[T], f: impl Fn(usize, &T) -> R + Sync) -> Vec<R> {
    let allowed = threads();
    if allowed <= 1 || jobs.len() <= 1 {
        return jobs.iter().enumerate().map(|(i, t)| f(i, t)).collect();
    }
    let next = AtomicUsize::new(0);
    let f = &f;
    let mut done: Vec<(usize, R)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..allowed.min(jobs.len()))
            .map(|_| {
                scope.spawn(|| {
                    OVERRIDE.set(Some(allowed));
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(job) = jobs.get(i) else {
                            break;
                        };
                        mine.push((i, f(i, job)));
                    }
                    mine
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|worker| {
                worker
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    });
    done.sort_unstable_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, r)| r).collect()
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
    fn many_jobs_run_at_most_the_allowed_number_at_a_time_in_order() {
        let running = AtomicUsize::new(0);
        let most = AtomicUsize::new(0);
        let jobs: Vec<usize> = (0..40).collect();
        let out = with_threads(3, || {
            map_few(&jobs, |i, &job| {
                let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                most.fetch_max(now, Ordering::SeqCst);
                std::thread::sleep(std::time::Duration::from_millis(1));
                running.fetch_sub(1, Ordering::SeqCst);
                (i, job * 2)
            })
        });
        assert_eq!(out, jobs.iter().map(|&j| (j, j * 2)).collect::<Vec<_>>());
        // Never more than allowed (how many overlap depends on the load).
        let most = most.load(Ordering::SeqCst);
        assert!((1..=3).contains(&most), "{most} at once");
    }

    #[test]
    fn the_limit_reaches_the_threads_it_starts() {
        let items: Vec<usize> = (0..64).collect();
        let seen = with_threads(3, || map(&items, |_, _| threads()));
        assert!(seen.iter().all(|&n| n == 3), "{seen:?}");
        let serial = with_threads(1, || map(&items, |_, _| std::thread::current().id()));
        assert!(serial.iter().all(|id| *id == std::thread::current().id()));
        let nested = with_threads(2, || map_few(&[(), ()], |_, _| threads()));
        assert_eq!(nested, [2, 2]);
    }

    #[test]
    fn few_items_and_none_are_handled() {
        assert_eq!(map(&[3, 4], |i, x| i + x), [3, 5]);
        assert!(map(&[] as &[u8], |_, x| *x).is_empty());
    }
}
