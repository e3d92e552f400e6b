"""A sign-in's 19 MiB must not stay resident in every worker.

Each sign-in hashes with Argon2id in a 19 MiB buffer. glibc maps a block that large on its own
and unmaps it when it is freed, but then raises its mmap threshold to that size: from the next
sign-in on, the buffer comes from the heap and stays resident once freed (about 17 MiB more in
each worker). Fixing the threshold stops glibc adapting it; 4 MiB is above any page or CSV a
request builds, so those stay on the heap as before.
"""
import ctypes

M_MMAP_THRESHOLD = -3   # glibc's malloc.h
THRESHOLD = 4 * 1024 * 1024


def keep_large_blocks_mapped() -> None:
    """Process-wide and idempotent; where there is no glibc mallopt, nothing to do."""
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return
    mallopt(M_MMAP_THRESHOLD, THRESHOLD)
