"""The mount process's data paths: streamed reads with read-ahead, and uploads on close.

Reads ask Drive for byte ranges; a sequential reader's window grows to ``read_ahead`` bytes and
the next window is fetched while the current one is consumed, so memory per open file stays at
two windows whatever the file's size. Written files go to a local cache file and are uploaded
(resumably) by one background thread when closed; the status file says what is still pending.
"""

from __future__ import annotations

import json
import os
import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core.errors import ColabError
from .api import DriveApi, DriveFile, sniff_mime

MIN_WINDOW = 1024 * 1024


class ReadStream:
    """Ranged reads of one Drive file for one open handle."""

    def __init__(
        self,
        api: Callable[[], DriveApi],
        file_id: str,
        size: int,
        read_ahead: int,
        prefetcher: ThreadPoolExecutor,
    ) -> None:
        self.api, self.file_id, self.size = api, file_id, size
        self.read_ahead = max(read_ahead, MIN_WINDOW)
        self.window = MIN_WINDOW
        self.start, self.data = 0, b""
        self.next: tuple[int, Future[bytes]] | None = None
        self.prefetcher = prefetcher
        self.lock = threading.Lock()

    def _fetch(self, start: int, length: int) -> bytes:
        return self.api().read_range(self.file_id, start, length)

    def read(self, size: int, offset: int) -> bytes:
        with self.lock:
            if offset >= self.size:
                return b""
            size = min(size, self.size - offset)
            end = self.start + len(self.data)
            if not (self.start <= offset and offset + size <= end):
                self._load(offset, size, sequential=offset == end)
            piece = self.data[offset - self.start : offset - self.start + size]
            return piece

    def _load(self, offset: int, size: int, sequential: bool) -> None:
        self.window = min(self.window * 2, self.read_ahead) if sequential else MIN_WINDOW
        length = max(size, self.window)
        if self.next is not None and self.next[0] == offset:
            data = self.next[1].result()
        else:
            data = self._fetch(offset, length)
        self.next = None
        if len(data) < size and offset + len(data) < self.size:
            data += self._fetch(offset + len(data), size - len(data))
        self.start, self.data = offset, data
        following = offset + len(data)
        if sequential and following < self.size:
            self.next = (following, self.prefetcher.submit(self._fetch, following, self.window))


@dataclass
class PendingUpload:
    """A closed, changed file waiting to go up to Drive."""

    path: str  # inside the mount
    cache: Path
    name: str
    parent_id: str
    file_id: str | None
    size: int
    mtime: float  # of the local copy: what stat() shows, before and after the upload
    done: threading.Event = field(default_factory=threading.Event)
    error: str | None = None


class Uploader:
    """Uploads closed files one at a time and writes what is pending to the status file."""

    def __init__(
        self,
        api: Callable[[], DriveApi],
        status: StatusFile,
        on_uploaded: Callable[[PendingUpload, DriveFile | None], None],
    ) -> None:
        self.api, self.status, self.on_uploaded = api, status, on_uploaded
        self.pending: dict[str, PendingUpload] = {}
        self.expected: dict[str, int] = {}  # closed, release not yet seen
        self.lock = threading.Lock()
        self.queue: queue.Queue[PendingUpload | None] = queue.Queue()
        self.current: str | None = None
        self.thread = threading.Thread(target=self._run, name="drive-uploader", daemon=True)
        self.thread.start()

    def expect(self, path: str, size: int) -> None:
        with self.lock:
            self.expected[path] = size
        self._report()

    def submit(self, upload: PendingUpload) -> None:
        with self.lock:
            previous = self.pending.get(upload.path)
            self.pending[upload.path] = upload
            self.expected.pop(upload.path, None)
        if previous is not None:  # a newer version replaces one not yet sent
            previous.done.wait()
        self.queue.put(upload)
        self._report()

    def get(self, path: str) -> PendingUpload | None:
        with self.lock:
            return self.pending.get(path)

    def wait_for(self, path: str, timeout: float | None = None) -> None:
        upload = self.get(path)
        if upload is not None:
            upload.done.wait(timeout)

    def drain(self, timeout: float | None = None) -> bool:
        deadline = None if timeout is None else time.monotonic() + timeout
        for upload in list(self.pending.values()):
            left = None if deadline is None else max(0.0, deadline - time.monotonic())
            if not upload.done.wait(left):
                return False
        return True

    def _run(self) -> None:
        while True:
            upload = self.queue.get()
            if upload is None:
                return
            self.current = upload.path
            self._report()
            uploaded: DriveFile | None = None
            try:
                uploaded = self.api().upload(
                    str(upload.cache),
                    upload.name,
                    sniff_mime(upload.name),
                    parent_id=upload.parent_id,
                    file_id=upload.file_id,
                )
                upload.cache.unlink(missing_ok=True)
            except ColabError as error:
                upload.error = error.message
            except Exception as error:  # kept in the status file, the data stays in the cache
                upload.error = f"{type(error).__name__}: {error}"
            self.on_uploaded(upload, uploaded)
            with self.lock:
                if self.pending.get(upload.path) is upload:
                    del self.pending[upload.path]
                if upload.error:
                    self.status.failed.append(
                        {"path": upload.path, "message": upload.error, "kept_at": str(upload.cache)}
                    )
            self.current = None
            upload.done.set()
            self._report()

    def _report(self) -> None:
        with self.lock:
            pending = [{"path": u.path, "bytes": u.size} for u in self.pending.values()]
            pending += [
                {"path": path, "bytes": size}
                for path, size in self.expected.items()
                if path not in self.pending
            ]
        self.status.update(pending=pending, uploading=self.current)


class StatusFile:
    """What the mount process tells the server: state, pending uploads, failures."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.values: dict[str, Any] = {"state": "starting", "pending": [], "pid": os.getpid()}
        self.failed: list[dict[str, str]] = []
        self.lock = threading.Lock()

    def update(self, **values: Any) -> None:
        with self.lock:
            self.values.update(values, failed=self.failed[-20:])
            temporary = self.path.with_suffix(".tmp")
            temporary.write_text(json.dumps(self.values))
            os.replace(temporary, self.path)
