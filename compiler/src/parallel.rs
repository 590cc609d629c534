//! Independent work on every core: files to parse, devices and formats to
//! render. Results come back in the input's order, so output never depends
//! on which thread finished first.

use std::sync::atomic::{AtomicUsize, Ordering};

/// The threads [`map`] uses: the machine's cores, at most 8 (past that the
/// work kojo splits is too small to gain).
pub fn workers() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 8)
}

/// `items.iter().map(f).collect()`, on up to [`workers`] threads. Items
/// are taken one at a time as threads come free, so one large item does
/// not hold back a thread's share of small ones. A panic in `f` is
/// raised again on the calling thread, as the sequential map would.
pub fn map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = workers().min(items.len());
    if threads <= 1 {
        return items.iter().map(f).collect();
    }
    let next = AtomicUsize::new(0);
    let mut done: Vec<(usize, R)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let index = next.fetch_add(1, Ordering::Relaxed);
                        let Some(item) = items.get(index) else { break };
                        mine.push((index, f(item)));
                    }
                    mine
                })
            })
            .collect();
        let mut all = Vec::with_capacity(items.len());
        for handle in handles {
            match handle.join() {
                Ok(mine) => all.extend(mine),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        all
    });
    done.sort_unstable_by_key(|(index, _)| *index);
    done.into_iter().map(|(_, result)| result).collect()
}

/// [`map`] over owned items, each handed to `f` whole (a file's bytes,
/// which parsing keeps).
pub fn map_owned<T: Send, R: Send>(items: Vec<T>, f: impl Fn(T) -> R + Sync) -> Vec<R> {
    if workers().min(items.len()) <= 1 {
        return items.into_iter().map(f).collect();
    }
    let cells: Vec<std::sync::Mutex<Option<T>>> = items.into_iter().map(|i| std::sync::Mutex::new(Some(i))).collect();
    // Each cell is taken by exactly one thread, once.
    map(&cells, |cell| {
        let item = cell.lock().unwrap_or_else(std::sync::PoisonError::into_inner).take();
        item.map(&f)
    })
    .into_iter()
    .flatten()
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_keep_the_order_of_the_items() {
        let items: Vec<u64> = (0..1000).collect();
        // Uneven work, so threads finish out of order.
        let squares = map(&items, |n| {
            if n % 7 == 0 {
                std::thread::yield_now();
            }
            n * n
        });
        assert_eq!(squares, items.iter().map(|n| n * n).collect::<Vec<_>>());
        assert_eq!(map(&[] as &[u8], |b| *b), Vec::<u8>::new());
    }

    #[test]
    fn owned_items_are_each_used_once_in_order() {
        let items: Vec<String> = (0..300).map(|n| n.to_string()).collect();
        assert_eq!(map_owned(items.clone(), |s| s + "!"), items.iter().map(|s| format!("{s}!")).collect::<Vec<_>>());
    }

    #[test]
    fn a_panic_reaches_the_caller() {
        let items: Vec<u32> = (0..64).collect();
        let caught = std::panic::catch_unwind(|| map(&items, |n| if *n == 40 { panic!("item 40") } else { *n }));
        assert!(caught.is_err());
    }
}
