//! Giving memory back after a burst. glibc's allocator keeps what a burst of connections freed
//! in its per-thread arenas (a few hundred 64 KiB bodies leave tens of MiB resident long after
//! the clients are gone); `malloc_trim` returns the free pages to the system. The server calls
//! [`after_burst`] when the connections fall back to a handful after many; elsewhere than
//! glibc it does nothing (other allocators return memory on their own terms).
//!
//! Measured in BENCHMARKS.md ("Memory after a hostile burst").

/// Returns the allocator's free memory to the system, as far as it can. Takes a few
/// milliseconds: call it off the async threads.
pub fn after_burst() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        unsafe extern "C" {
            /// glibc: `int malloc_trim(size_t pad)`.
            fn malloc_trim(pad: usize) -> std::ffi::c_int;
        }
        // SAFETY: malloc_trim takes no pointer and has no precondition; it locks each arena
        // itself and only releases pages that hold no allocation.
        let released = unsafe { malloc_trim(0) };
        tracing::debug!(
            released,
            "returned free memory after a burst of connections"
        );
    }
}
