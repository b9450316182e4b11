"""The Drive mount: a FUSE filesystem run in its own process by the server's supervisor.

``python -m colab_ext.drive.fusefs CONFIG.json``. Layout: ``MyDrive/`` and, when there are any,
``Shareddrives/<name>/``. Google Docs/Sheets/Slides are read-only exports (``.docx`` ...).
Deleting moves to Drive's trash. A slow Drive stalls only this process, never JupyterLab.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import json
import os
import stat
import sys
import threading
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import mfusepy
from mfusepy import FuseOSError

from ..core.errors import ColabError, NotFound
from .api import DriveApi, DriveFile, sniff_mime
from .fusebind import READ_AHEAD_KIB, DriveFuse, pread_into, pwrite_from, raise_read_ahead
from .media import MediaClient
from .oauth import DriveConnector
from .store import CredentialStore
from .streams import ReadStream
from .transfers import EarlyUpload, PendingUpload, StatusFile, Uploader

MY_DRIVE, SHARED = "MyDrive", "Shareddrives"
#: Jupyter's atomic save copies a file to ``.~<name>`` first and deletes it afterwards: those
#: copies stay in the mount's cache and never go to Drive (no extra upload, no trash per save).
LOCAL_ONLY_PREFIX = ".~"


def _mtime(file: DriveFile | None) -> float:
    if file is None or not file.modified:
        return time.time()
    return datetime.fromisoformat(file.modified.replace("Z", "+00:00")).timestamp()


class Handle:
    """One open file: a read stream, or a local cache file being written."""

    def __init__(self, path: str, file: DriveFile | None, parent_id: str, name: str) -> None:
        self.path, self.file, self.parent_id, self.name = path, file, parent_id, name
        self.stream: ReadStream | None = None
        self.cache_fd: int | None = None
        self.cache: Path | None = None
        self.dirty = False
        self.local_only = False
        self.early: EarlyUpload | None = None
        self.lock = threading.Lock()


class DriveFs(mfusepy.Operations):  # type: ignore[misc]
    """Drive as a folder tree."""

    use_ns = False  # times in seconds (floats)

    def __init__(self, config: dict[str, Any]) -> None:
        self.config = config
        self.readonly = bool(config["readonly"])
        self.cache_dir = Path(config["cache_dir"])
        self.cache_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.ttl = float(config["listing_ttl"])
        self.read_ahead = int(config["read_ahead_mb"]) * 1024 * 1024
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

    # --- open, read, write, close ---------------------------------------------------------------
    def _new_fh(self, handle: Handle) -> int:
        with self.fh_lock:
            fh = self.next_fh
            self.next_fh += 1
            self.handles[fh] = handle
        return fh

    def _open_writer(self, path: str) -> Handle | None:
        for handle in list(self.handles.values()):
            if handle.path == path and handle.cache is not None:
                return handle
        return None

    def _writable(self) -> None:
        if self.readonly:
            raise FuseOSError(errno.EROFS)

    def _open_local(self, path: str, cache: Path, truncate: bool) -> Handle:
        handle = Handle(path, None, "", path.rsplit("/", 1)[-1])
        handle.local_only, handle.cache = True, cache
        handle.cache_fd = os.open(
            cache, os.O_RDWR | os.O_CREAT | (os.O_TRUNC if truncate else 0), 0o600
        )
        self.local_files[path] = cache
        return handle

    def open(self, path: str, fi: Any) -> int:
        if path in self.local_files:
            handle = self._open_local(path, self.local_files[path], bool(fi.flags & os.O_TRUNC))
            fi.fh = self._new_fh(handle)
            return 0
        writing = fi.flags & (os.O_WRONLY | os.O_RDWR)
        pending = self.uploader.get(path)
        if pending is not None and not writing:
            self.uploader.wait_for(path)  # read what was just written, once it is in Drive
        file, parent, name = self._lookup(path)
        if file is None or file.is_folder:
            raise FuseOSError(errno.ENOENT if file is None else errno.EISDIR)
        handle = Handle(path, file, parent, name)
        if writing:
            self._writable()
            if file.export is not None:
                raise FuseOSError(errno.EROFS)
            self._start_cache(handle, None if fi.flags & os.O_TRUNC else file)
            if fi.flags & os.O_TRUNC:
                self._send_early(handle)
        elif file.export is not None:
            self._start_cache(handle, file)  # a Doc: its export, read from the cache
            fi.direct_io = 1  # its size is unknown until exported
        else:
            handle.stream = ReadStream(self.media, file.id, file.size or 0, self.read_ahead)
        fi.fh = self._new_fh(handle)
        return 0

    def _start_cache(self, handle: Handle, source: DriveFile | None) -> None:
        cache = self.cache_dir / f"{time.time_ns()}-{threading.get_ident()}"
        handle.cache_fd = os.open(cache, os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o600)
        handle.cache = cache
        if source is not None:
            with os.fdopen(os.dup(handle.cache_fd), "wb") as out:
                try:
                    self.api().download(source, out, lambda _: None, lambda: False)
                except (ColabError, NotFound) as error:
                    raise FuseOSError(errno.EIO) from error

    def create(self, path: str, mode: int, fi: Any) -> int:
        self._writable()
        file, parent, name = self._lookup(path)
        if name.startswith(LOCAL_ONLY_PREFIX) and file is None:
            cache = self.cache_dir / f"local-{time.time_ns()}-{threading.get_ident()}"
            fi.fh = self._new_fh(self._open_local(path, cache, truncate=True))
            return 0
        if file is not None and file.export is not None:
            raise FuseOSError(errno.EROFS)
        handle = Handle(path, file, parent, name)
        self._start_cache(handle, None)
        handle.dirty = True
        self._send_early(handle)
        fi.fh = self._new_fh(handle)
        return 0

    def _send_early(self, handle: Handle) -> None:
        """A file written from empty: send it while it is written (see EarlyUpload)."""
        assert handle.cache is not None
        metadata = (
            {}
            if handle.file
            else {
                "name": handle.name,
                "parents": [handle.parent_id],
                "mimeType": sniff_mime(handle.name),
            }
        )
        handle.early = EarlyUpload(
            self.media, handle.cache, metadata, handle.file.id if handle.file else None
        )

    def read(self, path: str, size: int, offset: int, fi: Any) -> bytes:
        buffer = ctypes.create_string_buffer(size)
        count = self.read_into(path, ctypes.addressof(buffer), size, offset, fi)
        return buffer.raw[:count]

    def read_into(self, path: str, address: int, size: int, offset: int, fi: Any) -> int:
        """``read`` without building a bytes object: copies straight into libfuse's buffer."""
        handle = self.handles[fi.fh]
        if handle.stream is not None:
            try:
                return handle.stream.read_into(address, size, offset)
            except ColabError as error:
                sys.stderr.write(f"colab-drive: read of {path} failed: {error.message}\n")
                raise FuseOSError(errno.EIO) from None
        assert handle.cache_fd is not None
        return pread_into(handle.cache_fd, address, size, offset)

    def write(self, path: str, data: bytes, offset: int, fi: Any) -> int:
        buffer = ctypes.create_string_buffer(data, len(data))
        return self.write_from(path, ctypes.addressof(buffer), len(data), offset, fi)

    def write_from(self, path: str, address: int, size: int, offset: int, fi: Any) -> int:
        """``write`` without building a bytes object: straight from libfuse's buffer."""
        handle = self.handles[fi.fh]
        if handle.cache_fd is None:
            raise FuseOSError(errno.EBADF)
        with handle.lock:
            handle.dirty = True
            written = pwrite_from(handle.cache_fd, address, size, offset)
            if handle.early is not None:
                handle.early.wrote(offset, written)
            return written

    def truncate(self, path: str, length: int, fh: Any = None) -> int:
        self._writable()
        if fh is None and path in self.local_files:
            os.truncate(self.local_files[path], length)
            return 0
        handle = self.handles.get(fh.fh) if fh is not None else self._open_writer(path)
        if handle is not None and handle.cache_fd is not None:
            os.ftruncate(handle.cache_fd, length)
            handle.dirty = True
            if handle.early is not None:
                handle.early.truncated(length)
            return 0
        # truncate(2) on a closed file: rewrite it through a cache file now.
        file, parent, name = self._lookup(path)
        if file is None:
            raise FuseOSError(errno.ENOENT)
        temporary = Handle(path, file, parent, name)
        self._start_cache(temporary, file if length else None)
        assert temporary.cache_fd is not None
        os.ftruncate(temporary.cache_fd, length)
        temporary.dirty = True
        self._close(temporary)
        return 0

    def flush(self, path: str, fi: Any) -> int:
        # close(2) waits for flush but not for release: announce the upload now, so that what
        # an unmount waits for is known the moment the writer's close() returns.
        handle = self.handles.get(fi.fh)
        if handle is not None and handle.dirty and handle.cache and not handle.local_only:
            self.uploader.expect(path, os.path.getsize(handle.cache))
        return 0

    def fsync(self, path: str, datasync: int, fh: Any) -> int:
        return 0

    def release(self, path: str, fi: Any) -> int:
        with self.fh_lock:
            handle = self.handles.pop(fi.fh, None)
        if handle is not None:
            if handle.stream is not None:
                handle.stream.close()
            self._close(handle)
        return 0

    def _close(self, handle: Handle) -> None:
        if handle.cache_fd is None or handle.cache is None:
            return
        os.close(handle.cache_fd)
        if handle.local_only:
            return
        if not handle.dirty:
            handle.cache.unlink(missing_ok=True)
            return
        local = handle.cache.stat()
        self.uploader.submit(
            PendingUpload(
                path=handle.path,
                cache=handle.cache,
                name=handle.name,
                parent_id=handle.parent_id,
                file_id=handle.file.id if handle.file else None,
                size=local.st_size,
                mtime=local.st_mtime,
                early=handle.early,
            )
        )

    def _uploaded(self, upload: PendingUpload, file: DriveFile | None) -> None:
        if file is not None:
            self.written[file.id] = (file.modified, upload.mtime)
        self._forget(upload.parent_id)

    # --- names ----------------------------------------------------------------------------------
    def unlink(self, path: str) -> int:
        self._writable()
        local_file = self.local_files.pop(path, None)
        if local_file is not None:
            local_file.unlink(missing_ok=True)
            return 0
        self.uploader.wait_for(path)
        file, parent, _ = self._lookup(path)
        if file is None:
            raise FuseOSError(errno.ENOENT)
        self.api().trash(file.id)
        self._forget(parent)
        return 0

    def mkdir(self, path: str, mode: int) -> int:
        self._writable()
        file, parent, name = self._lookup(path)
        if file is not None:
            raise FuseOSError(errno.EEXIST)
        self.api().create_folder(parent, name)
        self._forget(parent)
        return 0

    def rmdir(self, path: str) -> int:
        self._writable()
        file, parent, _ = self._lookup(path)
        if file is None or not file.is_folder:
            raise FuseOSError(errno.ENOENT if file is None else errno.ENOTDIR)
        if self._children(file.id):
            raise FuseOSError(errno.ENOTEMPTY)
        self.api().trash(file.id)
        self._forget(parent)
        return 0

    def rename(self, old: str, new: str) -> int:
        self._writable()
        if old in self.local_files:
            return self._rename_local(old, new)
        self.uploader.wait_for(old)
        self.uploader.wait_for(new)
        file, old_parent, _ = self._lookup(old)
        if file is None:
            raise FuseOSError(errno.ENOENT)
        target, new_parent, new_name = self._lookup(new)
        if target is not None:  # rename(2) replaces the target
            self.api().trash(target.id)
        moved = new_parent != old_parent
        self.api().update(
            file.id,
            name=new_name,
            add_parent=new_parent if moved else None,
            remove_parent=old_parent if moved else None,
        )
        self._forget(old_parent)
        self._forget(new_parent)
        return 0

    def _rename_local(self, old: str, new: str) -> int:
        """A local-only copy renamed: to another local name, or back over a real file (Jupyter
        restoring its backup after a failed save), which then goes up to Drive."""
        cache = self.local_files.pop(old)
        if new.rsplit("/", 1)[-1].startswith(LOCAL_ONLY_PREFIX):
            self.local_files[new] = cache
            return 0
        self.uploader.wait_for(new)
        target, parent, name = self._lookup(new)
        handle = Handle(new, target, parent, name)
        handle.cache, handle.cache_fd, handle.dirty = cache, os.open(cache, os.O_RDONLY), True
        self._close(handle)
        return 0

    def chmod(self, path: str, mode: int) -> int:
        return 0  # Drive has no modes; editors that copy them must not fail

    def chown(self, path: str, uid: int, gid: int) -> int:
        return 0

    def utimens(self, path: str, times: Any = None) -> int:
        return 0

    # --- life cycle -----------------------------------------------------------------------------
    def init_with_config(self, conn_info: Any, config_3: Any) -> None:
        if conn_info is not None:
            # Let the kernel read ahead further: fewer, larger reads reach this process.
            conn_info.max_readahead = READ_AHEAD_KIB * 1024
        # The mount answers only once init returns: raise the kernel's cap from another thread.
        threading.Thread(target=self._announce_mounted, name="drive-mounted", daemon=True).start()

    def _announce_mounted(self) -> None:
        raise_read_ahead(self.config["mountpoint"], READ_AHEAD_KIB)
        self.status.update(state="mounted")

    def destroy(self, path: str) -> None:
        self.status.update(state="flushing")
        self.uploader.drain()
        for local_file in self.local_files.values():
            local_file.unlink(missing_ok=True)
        self.status.update(state="unmounted")


def main(argv: list[str]) -> int:
    config = json.loads(Path(argv[1]).read_text())
    operations = DriveFs(config)
    options: dict[str, Any] = {
        "foreground": True,
        "nothreads": False,
        "fsname": "colab-drive",
        "attr_timeout": 1.0,
        "entry_timeout": 1.0,
    }
    if config["readonly"]:
        options["ro"] = True
    if mfusepy.fuse_version_major == 2:
        options["big_writes"] = True  # else libfuse 2 passes writes on 4 KiB at a time
    DriveFuse(operations, config["mountpoint"], raw_fi=True, **options)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
