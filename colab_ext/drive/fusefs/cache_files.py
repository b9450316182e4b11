"""The mount's local cache files, with the last one kept for the next file written.

Every file written through the mount goes to a local cache file first (an upload that can be
retried, and writes in any order). A new file's pages are new page cache. On a VM whose host takes
back free memory (free page reporting, common on cloud GPU machines), first touching those pages
is what writing costs: here, 3.1 s for 1 GiB into a new file against 0.5-0.7 s to truncate and
rewrite a file whose pages are still cached (``dd``, same machine). So the cache file of the last
upload is kept as the spare; the next file written takes it over, truncated, and its pages go
straight back to it. At most one spare, of at most ``SPARE_MAX_BYTES``; deleted at unmount.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from pathlib import Path

SPARE_MAX_BYTES = 4 * 1024**3
SPARE_NAME = "spare"


class CacheFiles:
    """Creates the mount's cache files in ``folder`` and takes back the ones it is done with."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.lock = threading.Lock()
        self.spare: Path | None = None
        (folder / SPARE_NAME).unlink(missing_ok=True)  # left by a mount that did not end well

    def create(self) -> tuple[Path, int]:
        """A new, empty cache file (owner-only) and a read-write descriptor of it."""
        path = self.folder / f"{time.time_ns()}-{threading.get_ident()}"
        with self.lock:
            spare, self.spare = self.spare, None
            if spare is not None:
                with contextlib.suppress(OSError):  # then it is a new file after all
                    spare.rename(path)
        return path, os.open(path, os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o600)

    def discard(self, path: Path) -> None:
        """Done with ``path`` (uploaded, or never changed): keep it as the spare, or delete it."""
        try:
            small_enough = path.stat().st_size <= SPARE_MAX_BYTES
            with self.lock:
                if self.spare is None and small_enough:
                    spare = self.folder / SPARE_NAME
                    path.rename(spare)
                    self.spare = spare
                    return
        except OSError:
            pass
        path.unlink(missing_ok=True)

    def clear(self) -> None:
        with self.lock:
            spare, self.spare = self.spare, None
        if spare is not None:
            spare.unlink(missing_ok=True)
