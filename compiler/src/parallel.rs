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
    let work = || {
        let mut mine = Vec::new();
        loop {
            let index = next.fetch_add(1, Ordering::Relaxed);
            let Some(item) = items.get(index) else { break };
            mine.push((index, f(item)));
        }
        mine
    };
    let mut done: Vec<(usize, R)> = std::thread::scope(|scope| {
        // The calling thread works too; a thread the system refuses
        // (a process limit) leaves its share to the others.
        let handles: Vec<_> =
            (1..threads).filter_map(|_| std::thread::Builder::new().spawn_scoped(scope, work).ok()).collect();
        let mut all = work();
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

/// `(a(), b())`, with `a` on another thread when the system gives one.
pub fn join<A: Send, B>(a: impl FnOnce() -> A + Send, b: impl FnOnce() -> B) -> (A, B) {
    if workers() <= 1 {
        return (a(), b());
    }
    // Whoever takes `a` first runs it: the other thread, or this one when
    // the system refuses a thread (a spawn that fails drops its closure).
    let slot = std::sync::Mutex::new(Some(a));
    let take = || slot.lock().unwrap_or_else(std::sync::PoisonError::into_inner).take();
    std::thread::scope(|scope| {
        let other = std::thread::Builder::new().spawn_scoped(scope, || take().map(|a| a())).ok();
        let b = b();
        let ran = match other {
            Some(handle) => handle.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            None => None,
        };
        match ran.or_else(|| take().map(|a| a())) {
            Some(a) => (a, b),
            // `a` is taken exactly once, by one of the two threads above.
            None => unreachable!("the other thread ran `a` and returned its result"),
        }
    })
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
    fn join_runs_both_and_keeps_their_places() {
        let (a, b) = join(|| (0..1000u64).sum::<u64>(), || "b");
        assert_eq!((a, b), (499_500, "b"));
    }

    #[test]
    fn a_panic_reaches_the_caller() {
        let items: Vec<u32> = (0..64).collect();
        let caught = std::panic::catch_unwind(|| map(&items, |n| if *n == 40 { panic!("item 40") } else { *n }));
        assert!(caught.is_err());
    }
}
