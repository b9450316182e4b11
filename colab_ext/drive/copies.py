"""Open from Drive, Save a copy in Drive, Upload to Drive: transfers that run in worker threads,
report progress and can be cancelled. The browser polls a job until it ends.
"""

from __future__ import annotations

import os
import secrets
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core.errors import BadRequest, ColabError, NotFound
from ..core.safe_paths import (
    MAX_NAME_BYTES,
    SAFE_NAME_BYTES,
    ServerRoot,
    fit_name,
    refuse_nul,
    safe_name,
    shown,
)
from .client.api import DriveApi
from .client.api_transfers import Cancelled
from .client.drive_file import DriveFile, sniff_mime

#: Finished jobs are kept this long for the browser to read their outcome.
KEEP_FINISHED_S = 600.0


@dataclass
class CopyJob:
    """One transfer between the server and Drive."""

    id: str
    kind: str  # "open" (Drive to server) or "save" (server to Drive)
    name: str
    bytes_total: int | None = None
    bytes_done: int = 0
    state: str = "running"  # running, done, failed, cancelled
    message: str | None = None
    path: str | None = None  # the server-side file (relative to the root)
    drive_file: dict[str, Any] | None = None
    finished: float | None = None
    cancel_event: threading.Event = field(default_factory=threading.Event)

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "name": self.name,
            "bytes_total": self.bytes_total,
            "bytes_done": self.bytes_done,
            "state": self.state,
            "message": self.message,
            "path": self.path,
            "drive_file": self.drive_file,
        }


class CopyJobs:
    """Runs transfers off the event loop, two at a time."""

    def __init__(self, root: ServerRoot, api_factory: Callable[[], DriveApi]) -> None:
        self.root = root
        self.api_factory = api_factory
        self.jobs: dict[str, CopyJob] = {}
        self._pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="colab-drive-copy")

    def get(self, job_id: str) -> CopyJob:
        job = self.jobs.get(job_id)
        if job is None:
            raise NotFound(
                f"There is no Drive transfer {job_id} (finished ones are kept 10 minutes)."
            )
        return job

    def cancel(self, job_id: str) -> CopyJob:
        job = self.get(job_id)
        job.cancel_event.set()
        return job

    def _forget_old(self) -> None:
        now = time.monotonic()
        for job_id, job in list(self.jobs.items()):
            if job.finished and now - job.finished > KEEP_FINISHED_S:
                del self.jobs[job_id]

    def _run(self, job: CopyJob, work: Callable[[CopyJob, DriveApi], None]) -> CopyJob:
        self._forget_old()
        self.jobs[job.id] = job

        def run() -> None:
            try:
                work(job, self.api_factory())
                job.state = "done"
            except Cancelled:
                job.state, job.message = "cancelled", "Cancelled; nothing was kept."
            except ColabError as error:
                job.state, job.message = "failed", error.message
            except Exception as error:  # reported to the user, not raised into the pool
                job.state, job.message = "failed", f"The transfer failed ({type(error).__name__})."
            job.finished = time.monotonic()

        self._pool.submit(run)
        return job

    def open_from_drive(self, file_id: str, folder: str) -> CopyJob:
        """Download a Drive file (a Doc as its export) into ``folder`` under the server root.

        Blocking (it reads the file's details from Drive), so that a name this server will not
        take (hidden, or a link there that leads outside the root) is a 400 now, not a failed job.
        """
        target_dir = self.root.resolve(folder, must_exist=True)
        if not target_dir.is_dir():
            raise BadRequest(f"{folder!r} is not a folder.")
        self.root.refuse_hidden(target_dir)  # before asking Drive anything
        file = self.api_factory().get(file_id)
        if file.is_folder:
            raise BadRequest(f"{file.name} is a folder; pick a file.")
        # Drive names may hold '/', '..', NUL or be too long: only a safe name touches the disk.
        name = self.root.child(target_dir, file.local_name).name
        job = CopyJob(secrets.token_hex(8), "open", name, bytes_total=file.size)

        def work(job: CopyJob, api: DriveApi) -> None:
            # Chosen now, not above: a file of that name may have appeared meanwhile.
            target = self.root.child(target_dir, unique_name(target_dir, name))
            partial = target.with_name(
                fit_name(f".{target.name}", f".part-{job.id}", MAX_NAME_BYTES)
            )
            try:
                # "x": never through a file or link that is already there.
                with open(partial, "xb") as out:
                    api.download(
                        file, out, lambda n: setattr(job, "bytes_done", n), job.cancel_event.is_set
                    )
                os.replace(partial, target)  # replaces a link itself, never what it points to
            finally:
                partial.unlink(missing_ok=True)
            job.path = self.root.relative(target)

        return self._run(job, work)

    def save_to_drive(self, path: str, parent_id: str, name: str | None) -> CopyJob:
        """Upload a server file as a new file in a Drive folder (a copy: never overwrites),
        named ``name`` (see :func:`check_copy_name`), or as the file is when it is None."""
        if name is not None:
            check_copy_name(name)
        source = self.root.resolve(path, must_exist=True)
        if not source.is_file():
            raise BadRequest(f"{path!r} is not a file.")
        job = CopyJob(
            secrets.token_hex(8), "save", name or source.name, bytes_total=source.stat().st_size
        )

        def work(job: CopyJob, api: DriveApi) -> None:
            uploaded = api.upload(
                str(source),
                job.name,
                sniff_mime(job.name),
                parent_id=parent_id or "root",
                progress=lambda n: setattr(job, "bytes_done", n),
                cancelled=job.cancel_event.is_set,
            )
            job.drive_file = uploaded.as_json()
            job.path = self.root.relative(source)

        return self._run(job, work)


def check_copy_name(name: str) -> None:
    """A 400 saying why, for a name a copy in Drive would not keep: Drive takes almost any name,
    but opening the copy from Drive or reading it through the mount makes it one safe file name
    (:func:`safe_name`), so a name it would change is refused now, not renamed later. The
    frontend checks the same rules (``src/drive/names.ts``) as the user types."""
    if not name.strip():
        raise BadRequest("Give the copy a file name.")
    refuse_nul(name, "The file name")
    if "/" in name or "\\" in name:
        raise BadRequest(
            f"The file name {shown(name)} may not contain '/' or '\\': it names a file, not a "
            "folder. Choose the folder in the picker."
        )
    if name in (".", ".."):
        raise BadRequest("A file name may not be '.' or '..'.")
    size = len(name.encode(errors="surrogatepass"))
    if size > SAFE_NAME_BYTES:
        raise BadRequest(
            f"The file name is {size} bytes long, longer than {SAFE_NAME_BYTES} bytes, the most "
            "a name keeps whole when it is opened on a server (a letter outside ASCII takes 2 to "
            "4 bytes). Use a shorter name."
        )
    if safe_name(name) != name:
        raise BadRequest(
            f"The file name {shown(name)} contains a control character (a tab, a line break or "
            "another invisible one). Remove it and try again."
        )


def unique_name(folder: Path, name: str) -> str:
    """``name.ext``, or ``name (1).ext`` and so on when it exists: a copy never overwrites."""
    if not (folder / name).exists() and not (folder / name).is_symlink():
        return name
    stem, suffix = os.path.splitext(name)
    for n in range(1, 10_000):
        candidate = fit_name(stem, f" ({n}){suffix}")
        if not (folder / candidate).exists() and not (folder / candidate).is_symlink():
            return candidate
    raise ColabError(f"Too many copies of {name} already.", status=409)


def list_folder(api: DriveApi, folder_id: str, page_token: str | None) -> dict[str, Any]:
    """One page of a Drive folder for the picker."""
    request = api.service.files().list(
        q=f"'{folder_id}' in parents and trashed = false",
        pageSize=200,
        pageToken=page_token,
        fields="nextPageToken, files(id, name, mimeType, size, modifiedTime, parents)",
        supportsAllDrives=True,
        includeItemsFromAllDrives=True,
        orderBy="folder,name",
    )
    page = api._retry("Listing a Drive folder", request.execute)
    return {
        "files": [DriveFile.of(meta).as_json() for meta in page.get("files", [])],
        "next_page_token": page.get("nextPageToken"),
    }
