//! The allocator of dualtrace's processes: mimalloc, asked the way its fast paths serve.
//!
//! Screening and matching allocate many small blocks (a name's renderings, tokens and their
//! strings): 110,000 to match the 500 pairs of the screening benchmark. mimalloc serves them
//! faster than the system allocator, but the `mimalloc` crate's allocator asks for every block
//! through `mi_malloc_aligned`, whose fast path needs a free block at hand in the size class's
//! page. Otherwise mimalloc 3 takes its plain path only for the sizes it knows naturally
//! aligned (powers of two), and serves the others (a 24- or 40-byte block) by allocating the
//! size plus the alignment and aligning within it: 21,000 of those 110,000 allocations, 2% of
//! the instructions of matching the pairs. [`Mimalloc`] asks for a block through mimalloc's
//! plain entry points (`mi_malloc`, `mi_zalloc`, `mi_realloc`) whenever any block of its size
//! is aligned enough, and through the aligned ones only beyond that. The binary and the
//! examples that measure screening run on it, so that they measure the same thing.

/// mimalloc, asked for a block through its plain entry points when any block of that size is
/// aligned enough, through its aligned ones beyond (see the crate's docs).
pub struct Mimalloc;

/// The alignment `mi_malloc` gives every block (`MI_MAX_ALIGN_SIZE` of `types.h`, that of C's
/// `max_align_t`) when the block is at least as large.
const PLAIN_ALIGN: usize = 16;

/// Whether a block of `size` bytes aligned to `align` may come from mimalloc's plain entry
/// points: as C's `malloc` (which mimalloc stands in for), `mi_malloc` returns blocks aligned
/// for any object of their size: to 16 bytes from 16 bytes on (mimalloc asserts it of every
/// block it hands out, `alloc.c`), and smaller blocks to the machine word (every block size is
/// a multiple of it). The same rule as Rust's own `System` allocator on Unix.
fn plain(size: usize, align: usize) -> bool {
    align <= PLAIN_ALIGN && align <= size
}

// SAFETY: every block comes from mimalloc and goes back to it (`mi_free` frees blocks of
// either entry point); a block is aligned as `layout` asks: by `plain` above, or by the
// aligned entry point; `mi_realloc`/`mi_realloc_aligned` keep the contents up to the smaller
// size, as `GlobalAlloc::realloc` requires; null is returned when memory runs out.
#[allow(unsafe_code)]
unsafe impl std::alloc::GlobalAlloc for Mimalloc {
    #[inline]
    unsafe fn alloc(&self, layout: std::alloc::Layout) -> *mut u8 {
        use libmimalloc_sys::{mi_malloc, mi_malloc_aligned};
        // SAFETY: both take a size (and a power-of-two alignment, as a `Layout` holds).
        unsafe {
            if plain(layout.size(), layout.align()) {
                mi_malloc(layout.size()).cast()
            } else {
                mi_malloc_aligned(layout.size(), layout.align()).cast()
            }
        }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: std::alloc::Layout) -> *mut u8 {
        use libmimalloc_sys::{mi_zalloc, mi_zalloc_aligned};
        // SAFETY: as `alloc`.
        unsafe {
            if plain(layout.size(), layout.align()) {
                mi_zalloc(layout.size()).cast()
            } else {
                mi_zalloc_aligned(layout.size(), layout.align()).cast()
            }
        }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, _layout: std::alloc::Layout) {
        // SAFETY: the caller hands back a block this allocator gave: a mimalloc block.
        unsafe { libmimalloc_sys::mi_free(ptr.cast()) }
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: std::alloc::Layout, new_size: usize) -> *mut u8 {
        use libmimalloc_sys::{mi_realloc, mi_realloc_aligned};
        // SAFETY: `ptr` is a block of this allocator (the caller's promise); the new block is
        // aligned as `layout` asks, by `plain` or the aligned entry point.
        unsafe {
            if plain(new_size, layout.align()) {
                mi_realloc(ptr.cast(), new_size).cast()
            } else {
                mi_realloc_aligned(ptr.cast(), new_size, layout.align()).cast()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::alloc::{GlobalAlloc, Layout};

    /// Fills a block with a pattern, checking the block is aligned as asked first.
    #[allow(unsafe_code)]
    fn fill(block: *mut u8, layout: Layout, seed: u8) {
        assert!(!block.is_null());
        assert_eq!(block as usize % layout.align(), 0, "{layout:?}");
        for i in 0..layout.size() {
            // SAFETY: `block` holds `layout.size()` bytes.
            unsafe { block.add(i).write(seed.wrapping_add(i as u8)) }
        }
    }

    proptest! {
        /// Every block is aligned as its layout asks, zeroed when asked, and keeps its
        /// contents through a reallocation to a larger or smaller size.
        #[test]
        #[allow(unsafe_code)]
        fn blocks_are_aligned_and_keep_their_contents(
            size in 1usize..5000,
            align_bits in 0u32..8,
            new_size in 1usize..5000,
            seed in any::<u8>(),
        ) {
            let align = 1usize << align_bits;
            let layout = Layout::from_size_align(size, align).map_err(|e| TestCaseError::fail(e.to_string()))?;
            // SAFETY: the layout has a non-zero size; every block is freed with its layout.
            unsafe {
                let zeroed = Mimalloc.alloc_zeroed(layout);
                fill(zeroed, layout, 0);
                Mimalloc.dealloc(zeroed, layout);
                let zeroed = Mimalloc.alloc_zeroed(layout);
                prop_assert!((0..size).all(|i| *zeroed.add(i) == 0));
                Mimalloc.dealloc(zeroed, layout);

                let block = Mimalloc.alloc(layout);
                fill(block, layout, seed);
                let grown = Mimalloc.realloc(block, layout, new_size);
                let new_layout = Layout::from_size_align(new_size, align).map_err(|e| TestCaseError::fail(e.to_string()))?;
                prop_assert_eq!(grown as usize % align, 0);
                for i in 0..size.min(new_size) {
                    prop_assert_eq!(*grown.add(i), seed.wrapping_add(i as u8));
                }
                Mimalloc.dealloc(grown, new_layout);
            }
        }
    }

    #[test]
    fn plain_blocks_are_those_any_block_of_their_size_aligns() {
        assert!(plain(24, 8) && plain(16, 16) && plain(8, 8) && plain(3, 1));
        assert!(!plain(4, 8) && !plain(64, 32) && !plain(8, 16));
    }
}
