"""What the fake Drive holds: file contents on disk (so gigabyte files keep memory flat) with
their metadata, upload sessions, shared drives, the requests it saw and the faults to inject;
and the helpers tests use to set it up and look at it."""

from __future__ import annotations

import hashlib
import secrets
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FOLDER = "application/vnd.google-apps.folder"
DOCS_EXPORTS = {
    "application/vnd.google-apps.document": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    ),
    "application/vnd.google-apps.spreadsheet": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    ),
    "application/vnd.google-apps.presentation": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation"
    ),
}
CHUNK = 1024 * 1024


@dataclass
class Fault:
    """One injected fault: matched by method and a substring of the path, used ``times`` times."""

    method: str
    path_contains: str
    status: int | None = None
    drop_after: int | None = None
    delay_s: float = 0.0
    times: int = 1


@dataclass
class FakeStore:
    """The fake's files, uploads and faults (the accounts and the server are FakeDrive's)."""

    root: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="fake-drive-")))
    files: dict[str, dict[str, Any]] = field(default_factory=dict)
    uploads: dict[str, dict[str, Any]] = field(default_factory=dict)
    faults: list[Fault] = field(default_factory=list)
    requests: list[tuple[str, str]] = field(default_factory=list)
    shared_drives: dict[str, str] = field(default_factory=dict)
    upload_status_queries: int = 0  # "Content-Range: bytes */TOTAL": what did you receive?
    lock: threading.RLock = field(default_factory=threading.RLock)

    def add_file(
        self, name: str, content: bytes = b"", parent: str = "root", mime: str = "text/plain"
    ) -> str:
        file_id = "f" + secrets.token_hex(8)
        (self.root / file_id).write_bytes(content)
        with self.lock:
            self.files[file_id] = self._meta(file_id, name, mime, [parent], len(content))
        return file_id

    def add_large_file(self, name: str, size: int, parent: str = "root") -> tuple[str, str]:
        """A file of ``size`` pseudo-random bytes; returns its id and sha256."""
        file_id = "f" + secrets.token_hex(8)
        digest = hashlib.sha256()
        block = hashlib.sha256(b"seed").digest() * (CHUNK // 32)
        with open(self.root / file_id, "wb") as out:
            written, n = 0, 0
            while written < size:
                piece = (block[n % 97 :] + block[: n % 97])[: size - written]
                out.write(piece)
                digest.update(piece)
                written += len(piece)
                n += 1
        with self.lock:
            self.files[file_id] = self._meta(
                file_id, name, "application/octet-stream", [parent], size
            )
        return file_id, digest.hexdigest()

    def add_folder(self, name: str, parent: str = "root") -> str:
        file_id = "d" + secrets.token_hex(8)
        with self.lock:
            self.files[file_id] = self._meta(file_id, name, FOLDER, [parent], None)
        return file_id

    def content(self, file_id: str) -> bytes:
        return (self.root / file_id).read_bytes()

    def path_of(self, file_id: str) -> Path:
        return self.root / file_id

    def find(self, name: str, parent: str = "root") -> dict[str, Any] | None:
        with self.lock:
            for meta in self.files.values():
                here = meta["name"] == name and parent in meta.get("parents", [])
                if here and not meta.get("trashed"):
                    return meta
        return None

    def fault(self, method: str, path_contains: str, **kwargs: Any) -> None:
        self.faults.append(Fault(method, path_contains, **kwargs))

    def count(self, method: str, path_contains: str) -> int:
        return sum(1 for m, p in self.requests if m == method and path_contains in p)

    def _meta(
        self, file_id: str, name: str, mime: str, parents: list[str], size: int | None
    ) -> dict[str, Any]:
        meta: dict[str, Any] = {
            "kind": "drive#file",
            "id": file_id,
            "name": name,
            "mimeType": mime,
            "parents": parents,
            "modifiedTime": time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime()),
            "trashed": False,
        }
        if size is not None and mime not in DOCS_EXPORTS:
            meta["size"] = str(size)
        return meta

    def take_fault(self, method: str, path: str) -> Fault | None:
        with self.lock:
            for fault in self.faults:
                if fault.method == method and fault.path_contains in path and fault.times > 0:
                    fault.times -= 1
                    return fault
        return None
