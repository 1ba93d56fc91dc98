//! Handing freed memory back to the system between the phases of a whole build.
//!
//! glibc's allocator gives each thread its own arena and keeps what a thread frees for that
//! arena's later allocations. A cold `verbatim check` frees story linking's data (about a
//! quarter of its memory: prints, posting lists, links) on the main thread's arena, then
//! collates on rayon's threads, whose arenas cannot reuse it: without help the resident set
//! grows by what collation allocates although as much lies free. [`release_freed`] returns
//! the free pages of every arena to the system (`malloc_trim`), so they count no more.
//!
//! Engine code may call it (it does no I/O and changes no result); on other platforms and
//! allocators it does nothing.

/// Returns the free pages of every malloc arena to the system (a few milliseconds: it walks
/// the free lists). Only worth it after freeing a large share of the heap.
pub fn release_freed() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `malloc_trim` only releases memory the allocator holds free; it is thread-safe
    // (it locks each arena) and any pad is valid.
    unsafe {
        libc::malloc_trim(0);
    }
}

#[cfg(test)]
mod tests {
    #[test]
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    fn freed_memory_leaves_the_resident_set() {
        fn resident_kib() -> u64 {
            let status = std::fs::read_to_string("/proc/self/status").unwrap();
            let line = status.lines().find(|l| l.starts_with("VmRSS:")).unwrap();
            line.split_whitespace().nth(1).unwrap().parse().unwrap()
        }
        // Many small blocks (below the mmap threshold, so they live in an arena), touched,
        // then freed but for one at the end of the heap that keeps the arena from shrinking.
        let mut blocks: Vec<Vec<u8>> = (0..20_000).map(|i| vec![i as u8; 4_000]).collect();
        let keep = blocks.pop();
        let before = resident_kib();
        drop(blocks);
        super::release_freed();
        let after = resident_kib();
        drop(keep);
        // About 80 MB were freed; most of it must have left the resident set.
        assert!(
            after + 40_000 < before,
            "resident {before} KiB before, {after} KiB after"
        );
    }
}
