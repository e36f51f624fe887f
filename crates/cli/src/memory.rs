//! The process's memory: the allocator (mimalloc) and how it is tuned for trade-flows queries.
//!
//! DataFusion's scans and aggregations allocate and free large buffers for every batch. The
//! system allocator hands such blocks back to the kernel and faults them in again on the next
//! batch; mimalloc keeps them, but by default still hands freed memory back ("purges" it) a
//! second later, and the next batch faults it in again: the kernel zeroes every page anew (with
//! transparent huge pages, 2 MiB at a time). On the 100-million-row benchmark 29% of a mirror-gaps
//! query's CPU samples were the kernel's `clear_page` (BENCHMARKS.md). A `flows`
//! command therefore never purges: it ends soon anyway. (Turning huge pages off as well made
//! the short reports slower: more, smaller faults.) Screening and the server keep mimalloc's
//! defaults, which hand memory back to the system in a long-running process.

/// The process allocator: mimalloc ([`dualtrace_alloc::Mimalloc`]).
#[global_allocator]
static ALLOCATOR: dualtrace_alloc::Mimalloc = dualtrace_alloc::Mimalloc;

/// mimalloc's option `purge_delay` (`mi_option_purge_delay` in `mimalloc.h` of mimalloc 3, the
/// version libmimalloc-sys builds by default; its Rust bindings name no constant for it).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Tunes the process's memory for DataFusion queries (see the module docs): freed memory stays
/// in the process.
#[allow(unsafe_code)]
pub fn tune_for_batch_queries() {
    // SAFETY: `mi_option_set` takes two integers and stores the value into mimalloc's option
    // table; it dereferences no pointer of ours. It is called before the command starts any
    // thread, so no allocation reads the option concurrently. -1 means "never purge".
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The option index is mimalloc's `purge_delay`: it reads the bundled mimalloc's default
    /// of 1,000 ms, and its neighbours read other defaults. (Setting it here would race with
    /// the other tests' threads, so the test only reads.)
    #[test]
    #[allow(unsafe_code)]
    fn purge_delay_is_the_option_set() {
        // SAFETY: `mi_option_get` reads one integer of mimalloc's option table.
        let get = |option| unsafe { libmimalloc_sys::mi_option_get(option) };
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
            assert_eq!(get(MI_OPTION_PURGE_DELAY), 1000);
        }
        assert_ne!(get(MI_OPTION_PURGE_DELAY - 1), 1000);
        assert_ne!(get(MI_OPTION_PURGE_DELAY + 1), 1000);
    }
}
