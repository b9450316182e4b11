"""The mount's folder tree: its state, mount paths to Drive files, attributes and listings."""

from __future__ import annotations

import errno
import os
import stat
import threading
import time
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import mfusepy
from mfusepy import FuseOSError

from ..client.api import DriveApi
from ..client.drive_file import DriveFile
from ..client.media import MediaClient
from ..oauth import DriveConnector
from ..store import CredentialStore
from .cache_files import CacheFiles
from .fuse_direct import DirectIoWithMmap
from .fusebind import READ_SIZE
from .transfers import PendingUpload, StatusFile, Uploader

if TYPE_CHECKING:
    from .handles import Handle

MY_DRIVE, SHARED = "MyDrive", "Shareddrives"
#: Jupyter's atomic save copies a file to ``.~<name>`` first and deletes it afterwards: those
#: copies stay in the mount's cache and never go to Drive (no extra upload, no trash per save).
LOCAL_ONLY_PREFIX = ".~"


def _mtime(file: DriveFile | None) -> float:
    if file is None or not file.modified:
        return time.time()
    return datetime.fromisoformat(file.modified.replace("Z", "+00:00")).timestamp()


class DriveTree(mfusepy.Operations):  # type: ignore[misc]
    """Drive as a folder tree: what is at a path, its attributes, and folder listings."""

    use_ns = False  # times in seconds (floats)

    def __init__(self, config: dict[str, Any]) -> None:
        self.config = config
        self.readonly = bool(config["readonly"])
        self.cache_dir = Path(config["cache_dir"])
        self.cache_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.cache_files = CacheFiles(self.cache_dir)
        self.ttl = float(config["listing_ttl"])
        self.read_ahead = int(config["read_ahead_mb"]) * 1024 * 1024
        self.direct_io = DirectIoWithMmap()  # asked for in init (filesystem.py)
        connector = DriveConnector(
            CredentialStore(Path(config["store_dir"])),
            service_account_file=config.get("service_account_file", ""),
            use_adc=bool(config.get("use_adc")),
            revoke_uri="",
        )
        self.credentials = connector.credentials()
        self.local = threading.local()
        self.listings: dict[str, tuple[float, dict[str, DriveFile]]] = {}
        self.listing_lock = threading.Lock()
        self.handles: dict[int, Handle] = {}
        self.next_fh = 1
        self.fh_lock = threading.Lock()
        self.status = StatusFile(Path(config["status_file"]))
        self.uploader = Uploader(self.api, self.status, self._uploaded)
        self.shared: tuple[float, dict[str, str]] = (0.0, {})
        self.started = time.time()
        #: Drive file id -> (its modifiedTime after our upload, the local mtime it replaced)
        self.written: dict[str, tuple[str | None, float]] = {}
        self.local_files: dict[str, Path] = {}  # mount path -> cache file (LOCAL_ONLY_PREFIX)

    def api(self) -> DriveApi:
        api = getattr(self.local, "api", None)
        if api is None:
            api = DriveApi(self.credentials, self.config["endpoint"], self.config["timeout"])
            self.local.api = api
        return api

    def media(self) -> MediaClient:
        """A connection for raw bytes (cheap: no API client is built for it)."""
        return MediaClient(self.credentials, self.config["endpoint"], self.config["timeout"])

    def _writable(self) -> None:
        if self.readonly:
            raise FuseOSError(errno.EROFS)

    def _open_writer(self, path: str) -> Handle | None:
        for handle in list(self.handles.values()):
            if handle.path == path and handle.cache is not None:
                return handle
        return None

    def _uploaded(self, upload: PendingUpload, file: DriveFile | None) -> None:
        if file is not None:
            self.written[file.id] = (file.modified, upload.mtime)
            self.cache_files.discard(upload.cache)
        self._forget(upload.parent_id)

    # --- names to Drive files ------------------------------------------------------------------
    def _children(self, folder_id: str, drive_id: str | None = None) -> dict[str, DriveFile]:
        now = time.monotonic()
        with self.listing_lock:
            cached = self.listings.get(folder_id)
        if cached and now - cached[0] < self.ttl:
            return cached[1]
        names: dict[str, DriveFile] = {}
        for page in self.api().pages(folder_id, drive_id=drive_id):
            for item in page:
                name = item.local_name.replace("/", "_")
                if name in names:  # Drive allows twins; keep both visible
                    stem, dot, ext = name.rpartition(".")
                    name = f"{stem} ({item.id[:6]}).{ext}" if dot else f"{name} ({item.id[:6]})"
                names[name] = item
        with self.listing_lock:
            self.listings[folder_id] = (now, names)
        return names

    def _forget(self, folder_id: str) -> None:
        with self.listing_lock:
            self.listings.pop(folder_id, None)

    def _shared_drives(self) -> dict[str, str]:
        if time.monotonic() - self.shared[0] > self.ttl:
            drives = {d["name"].replace("/", "_"): d["id"] for d in self.api().shared_drives()}
            self.shared = (time.monotonic(), drives)
        return self.shared[1]

    def _folder_id(self, parts: list[str]) -> tuple[str, str | None]:
        """Drive id of the folder at ``parts`` (mount-relative) and its shared drive, if any."""
        if parts[:1] == [MY_DRIVE]:
            folder, drive, rest = "root", None, parts[1:]
        elif parts[:1] == [SHARED] and len(parts) >= 2:
            drive = self._shared_drives().get(parts[1])
            if drive is None:
                raise FuseOSError(errno.ENOENT)
            folder, rest = drive, parts[2:]
        else:
            raise FuseOSError(errno.ENOENT)
        for name in rest:
            item = self._children(folder, drive).get(name)
            if item is None or not item.is_folder:
                raise FuseOSError(errno.ENOENT)
            folder = item.id
        return folder, drive

    def _lookup(self, path: str) -> tuple[DriveFile | None, str, str]:
        """(file or None if absent, parent folder id, name) of a path below a drive root."""
        parts = [p for p in path.split("/") if p]
        if len(parts) < 2 or (parts[0] == SHARED and len(parts) < 3):
            raise FuseOSError(errno.EACCES)
        parent, drive = self._folder_id(parts[:-1])
        return self._children(parent, drive).get(parts[-1]), parent, parts[-1]

    # --- attributes and listings ----------------------------------------------------------------
    def _dir_attrs(self, mtime: float) -> dict[str, Any]:
        mode = 0o555 if self.readonly else 0o755
        return {
            "st_mode": stat.S_IFDIR | mode,
            "st_nlink": 2,
            "st_mtime": mtime,
            "st_ctime": mtime,
            "st_atime": mtime,
            "st_uid": os.getuid(),
            "st_gid": os.getgid(),
        }

    def _file_attrs(self, size: int, mtime: float, writable: bool) -> dict[str, Any]:
        mode = 0o644 if writable and not self.readonly else 0o444
        return {
            "st_mode": stat.S_IFREG | mode,
            "st_nlink": 1,
            "st_size": size,
            "st_mtime": mtime,
            "st_ctime": mtime,
            "st_atime": mtime,
            "st_uid": os.getuid(),
            "st_gid": os.getgid(),
            "st_blocks": (size + 511) // 512,
            # Readers size their reads by it (cat, cp, Python's buffered files): with direct I/O
            # each read is one request to this process, so ask for the largest one FUSE passes.
            "st_blksize": READ_SIZE,
        }

    def getattr(self, path: str, fh: Any = None) -> dict[str, Any]:
        parts = [p for p in path.split("/") if p]
        if len(parts) == 0 or parts == [MY_DRIVE] or parts == [SHARED]:
            return self._dir_attrs(self.started)
        if parts[0] == SHARED and len(parts) == 2:
            if parts[1] in self._shared_drives():
                return self._dir_attrs(self.started)
            raise FuseOSError(errno.ENOENT)
        local_file = self.local_files.get(path)
        if local_file is not None:
            local = os.stat(local_file)
            return self._file_attrs(local.st_size, local.st_mtime, True)
        open_handle = self._open_writer(path)
        if open_handle is not None and open_handle.cache is not None:
            local = os.stat(open_handle.cache)
            return self._file_attrs(local.st_size, local.st_mtime, True)
        pending = self.uploader.get(path)
        if pending is not None and pending.cache.exists():
            return self._file_attrs(pending.size, pending.mtime, True)
        file, _, _ = self._lookup(path)
        if file is None:
            raise FuseOSError(errno.ENOENT)
        if file.is_folder:
            return self._dir_attrs(_mtime(file))
        mtime = _mtime(file)
        written = self.written.get(file.id)
        if written is not None and written[0] == file.modified:
            # Our own upload: keep the time the writer saw, so an editor (JupyterLab's "file
            # changed on disk" check) does not take Drive's later upload time for a change.
            mtime = written[1]
        return self._file_attrs(file.size or 0, mtime, file.export is None)

    def readdir(self, path: str, fh: Any) -> list[str]:
        parts = [p for p in path.split("/") if p]
        if not parts:
            return [".", "..", MY_DRIVE] + ([SHARED] if self._shared_drives() else [])
        if parts == [SHARED]:
            return [".", "..", *self._shared_drives()]
        folder, drive = self._folder_id(parts)
        names = set(self._children(folder, drive))
        prefix = path.rstrip("/") + "/"
        names |= {
            u.path[len(prefix) :]
            for u in list(self.uploader.pending.values())
            if u.path.startswith(prefix) and "/" not in u.path[len(prefix) :]
        }
        names |= {
            local[len(prefix) :]
            for local in list(self.local_files)
            if local.startswith(prefix) and "/" not in local[len(prefix) :]
        }
        return [".", "..", *sorted(names)]

    def statfs(self, path: str) -> dict[str, int]:
        blocks = 1 << 32
        return {
            "f_bsize": 4096,
            "f_frsize": 4096,
            "f_blocks": blocks,
            "f_bfree": blocks,
            "f_bavail": blocks,
            "f_namemax": 255,
        }
