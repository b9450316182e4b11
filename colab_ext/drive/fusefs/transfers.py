"""The mount process's uploads: written files go to a local cache file and are uploaded
(resumably) by one background thread when closed; a file written in order is sent while it is
written, so little is left to send at close. The status file says what is still pending.
(Reads: streams.py.)
"""

from __future__ import annotations

import json
import os
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...core.errors import ColabError
from ..client.api import DriveApi
from ..client.api_retries import ATTEMPTS, backoff
from ..client.drive_file import FIELDS, DriveFile, sniff_mime
from ..client.media import MediaClient, MediaError

#: While a file is written from start to end, its bytes go up in pieces of this size (a multiple
#: of Drive's 256 KiB), so the upload is nearly done when the writer closes it.
EARLY_PIECE = 32 * 1024 * 1024


class EarlyUpload:
    """Uploads a file while it is being written, for as long as it is written in order.

    A writer that goes back before what was already sent (or leaves a hole) makes the session
    useless; the whole file is then uploaded on close as usual.
    """

    def __init__(
        self,
        media: Callable[[], MediaClient],
        cache: Path,
        metadata: dict[str, Any],
        file_id: str | None,
    ) -> None:
        self.media, self.cache, self.metadata, self.file_id = media, cache, metadata, file_id
        self.cond = threading.Condition()
        self.written = self.sent = self.sending_to = 0
        self.session: str | None = None
        self.broken = self.closed = self.sender_waiting = False
        self.thread: threading.Thread | None = None

    def wrote(self, offset: int, length: int) -> None:
        with self.cond:
            if self.broken:
                return
            if offset < self.sending_to or offset > self.written:
                self.broken = True
            self.written = max(self.written, offset + length)
            if self.thread is None and self.written >= EARLY_PIECE:
                self.thread = threading.Thread(target=self._run, name="drive-early", daemon=True)
                self.thread.start()
            if self.sender_waiting and (self.broken or self.written - self.sent >= EARLY_PIECE):
                self.cond.notify_all()  # not on every write: a thread switch costs more

    def truncated(self, length: int) -> None:
        with self.cond:
            if length < self.written:
                self.broken = self.broken or length < self.sending_to
                self.written = length

    def finish(self) -> str | None:
        """Stop sending; the session to finish the upload with, or None to start afresh."""
        with self.cond:
            self.closed = True
            self.cond.notify_all()
        if self.thread is not None:
            self.thread.join()
        return None if self.broken else self.session

    def _next_piece(self) -> tuple[int, int] | None:
        with self.cond:
            while not (self.closed or self.broken) and self.written - self.sent < EARLY_PIECE:
                self.sender_waiting = True
                try:
                    self.cond.wait()
                finally:
                    self.sender_waiting = False
            if self.closed or self.broken:
                return None
            self.sending_to = self.sent + EARLY_PIECE
            return self.sent, self.sending_to

    def _run(self) -> None:
        client = self.media()
        mime = sniff_mime(str(self.metadata.get("name", "")))
        try:
            self.session = client.start_upload(self.metadata, mime, self.file_id, None, FIELDS)
            session_client, path = client.for_url(self.session)
            with open(self.cache, "rb") as source:
                while (piece := self._next_piece()) is not None:
                    self._send(session_client, path, source, piece)
        except (MediaError, OSError):
            with self.cond:  # the upload on close starts over
                self.broken = True
        finally:
            client.close()

    def _send(self, client: MediaClient, path: str, source: Any, piece: tuple[int, int]) -> None:
        """One piece; after a transient failure, ask Drive what it has and go on from there."""
        for failures in range(ATTEMPTS):
            try:
                if failures:
                    received, _ = client.upload_status(path, None)
                    piece = (received, piece[1])
                received, _ = client.upload_from(path, source, *piece, None)
                with self.cond:
                    self.sent = self.sending_to = received
                return
            except MediaError as error:
                if not error.transient or failures == ATTEMPTS - 1:
                    raise
                backoff(failures + 1)


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
    early: EarlyUpload | None = None  # part of it may be in Drive already
    done: threading.Event = field(default_factory=threading.Event)
    error: str | None = None


#: How long a reopen waits for the release of a file just closed (see Uploader.wait_for).
RELEASE_WAIT_S = 10.0


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
        self.submitted = threading.Condition(self.lock)
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
            self.submitted.notify_all()
        if previous is not None:  # a newer version replaces one not yet sent
            previous.done.wait()
        self.queue.put(upload)
        self._report()

    def get(self, path: str) -> PendingUpload | None:
        with self.lock:
            return self.pending.get(path)

    def wait_for(self, path: str, timeout: float | None = None) -> None:
        """Wait until ``path``'s upload is done, including one whose close() was seen but whose
        release (which the kernel sends after close() has returned) was not yet: a reopen, rename
        or delete right after close() must not meet the version from before. A file still open
        through another descriptor has no release coming: that wait gives up after a while."""
        with self.submitted:
            self.submitted.wait_for(
                lambda: path not in self.expected or path in self.pending, RELEASE_WAIT_S
            )
            upload = self.pending.get(path)
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
                session = upload.early.finish() if upload.early is not None else None
                uploaded = self.api().upload(
                    str(upload.cache),
                    upload.name,
                    sniff_mime(upload.name),
                    parent_id=upload.parent_id,
                    file_id=upload.file_id,
                    session=session,
                )
            except ColabError as error:
                upload.error = error.message
            except Exception as error:  # kept in the status file, the data stays in the cache
                upload.error = f"{type(error).__name__}: {error}"
            self.on_uploaded(upload, uploaded)  # which takes the cache file back when uploaded
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
