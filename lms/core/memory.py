"""What a worker frees must not stay resident in it.

Each sign-in hashes with Argon2id in a 19 MiB buffer. glibc maps a block that large on its own
and unmaps it when it is freed, but then raises its mmap threshold to that size: from the next
sign-in on, the buffer comes from the heap and stays resident once freed (about 17 MiB more in
each worker). Fixing the threshold stops glibc adapting it; 4 MiB is above any page or CSV a
request builds, so those stay on the heap as before.

The heap keeps what a request freed, too: a cohort page or a CSV builds and drops a few MiB of
rows, and glibc gives back only what lies at the top of the heap. Every `TRIM_EVERY` requests
the worker asks glibc to return its free pages (`malloc_trim`, 0.2-0.3 ms), after the response
has gone out: about 2 MiB less resident per worker, for some 5 µs a request.
"""
import ctypes
import itertools

M_MMAP_THRESHOLD = -3   # glibc's malloc.h
THRESHOLD = 4 * 1024 * 1024
TRIM_EVERY = 64


def _glibc(name: str):
    """glibc's function `name`, or None where there is no glibc (musl, macOS)."""
    try:
        return getattr(ctypes.CDLL(None), name)
    except (OSError, AttributeError):
        return None


def keep_large_blocks_mapped() -> None:
    """Process-wide and idempotent; where there is no glibc mallopt, nothing to do."""
    mallopt = _glibc("mallopt")
    if mallopt is not None:
        mallopt(M_MMAP_THRESHOLD, THRESHOLD)


def return_freed_memory(app, every: int = TRIM_EVERY) -> None:
    """After every `every`-th response of this process is sent, give free heap pages back."""
    malloc_trim = _glibc("malloc_trim")
    if malloc_trim is None:
        return
    served = itertools.count(1)

    @app.after_request
    def _trim_once_sent(response):
        if next(served) % every == 0:
            response.call_on_close(lambda: malloc_trim(0))
        return response
