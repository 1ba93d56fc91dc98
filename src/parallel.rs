//! The crate's one parallel map: work on every core for a whole-corpus build (parsing files,
//! story prints and links, collating stories), on the caller's thread for small batches (an
//! edit). Results come back in the order of the input whatever the threads do, so output stays
//! deterministic.
//!
//! The threads are rayon's (work stealing, so a batch of unequal items — one story of a hundred
//! versions among thousands of small ones — keeps every core busy); this module only adds the
//! rule that a small batch stays on the caller's thread, so an edit in the language server does
//! not wake the pool.
//!
//! Pure: no I/O of its own; a panic in a worker is resumed on the caller's thread.

use rayon::prelude::*;

/// Batches smaller than this run on the caller's thread.
pub const MIN_PARALLEL: usize = 64;

/// `f(item)` for every item, in order.
pub fn map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync + Send) -> Vec<R> {
    if items.len() < MIN_PARALLEL {
        return items.iter().map(f).collect();
    }
    items.par_iter().map(f).collect()
}

/// `f(item)` for every item, taking each item by value, in order. The items are dropped on
/// the thread that maps them, so memory freed there is reused by that thread's next
/// allocations (each thread allocates from its own arena).
pub fn map_owned<T: Send, R: Send>(items: Vec<T>, f: impl Fn(T) -> R + Sync + Send) -> Vec<R> {
    if items.len() < MIN_PARALLEL {
        return items.into_iter().map(f).collect();
    }
    items.into_par_iter().map(f).collect()
}

/// `f(state, item)` for every item, in order, with a `state` made by `init` reused from one item
/// to the next (a buffer); rayon makes one per piece of work it splits off, not one per item.
pub fn map_init<T: Sync, S, R: Send>(
    items: &[T],
    init: impl Fn() -> S + Sync + Send,
    f: impl Fn(&mut S, &T) -> R + Sync + Send,
) -> Vec<R> {
    if items.len() < MIN_PARALLEL {
        let mut state = init();
        return items.iter().map(|item| f(&mut state, item)).collect();
    }
    items.par_iter().map_init(init, f).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_keep_the_input_order_on_any_number_of_items() {
        for n in [0, 1, MIN_PARALLEL - 1, MIN_PARALLEL, 1000] {
            let items: Vec<usize> = (0..n).collect();
            // Unequal work, so threads finish out of order.
            let out = map(&items, |&i| {
                (0..(i % 7) * 1000).fold(i, |a, b| a.wrapping_add(b % 3))
            });
            let expected: Vec<usize> = items
                .iter()
                .map(|&i| (0..(i % 7) * 1000).fold(i, |a, b| a.wrapping_add(b % 3)))
                .collect();
            assert_eq!(out, expected, "{n} items");
        }
    }

    #[test]
    fn owned_items_keep_their_order() {
        for n in [0, 5, MIN_PARALLEL, 700] {
            let items: Vec<String> = (0..n).map(|i| i.to_string()).collect();
            let expected: Vec<usize> = items.iter().map(String::len).collect();
            assert_eq!(map_owned(items, |s| s.len()), expected, "{n} items");
        }
    }

    #[test]
    fn each_thread_reuses_its_state() {
        let items: Vec<u32> = (0..500).collect();
        let out = map_init(&items, Vec::<u32>::new, |seen, &i| {
            seen.push(i);
            i * 2
        });
        assert_eq!(out, items.iter().map(|i| i * 2).collect::<Vec<_>>());
    }
}
