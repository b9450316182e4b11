"""Open files on the mount: reads streamed from Drive, writes into a local cache file that goes
up to Drive when it is closed (or while it is written, see EarlyUpload)."""

from __future__ import annotations

import ctypes
import errno
import os
import sys
import threading
import time
from pathlib import Path
from typing import Any

from mfusepy import FuseOSError

from ...core.errors import ColabError, NotFound
from ..client.drive_file import DriveFile, sniff_mime
from .fusebind import pread_into, pwrite_from
from .streams import ReadStream
from .transfers import EarlyUpload, PendingUpload
from .tree import LOCAL_ONLY_PREFIX, DriveTree

#: Files at least this large are read with direct I/O, where the mount was granted it.
DIRECT_READS_FROM = 8 * 1024 * 1024


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


class OpenFiles(DriveTree):
    """The tree, plus open, read, write and close of its files."""

    def _new_fh(self, handle: Handle) -> int:
        with self.fh_lock:
            fh = self.next_fh
            self.next_fh += 1
            self.handles[fh] = handle
        return fh

    def _open_local(self, path: str, cache: Path, truncate: bool) -> Handle:
        handle = Handle(path, None, "", path.rsplit("/", 1)[-1])
        handle.local_only, handle.cache = True, cache
        handle.cache_fd = os.open(
            cache, os.O_RDWR | os.O_CREAT | (os.O_TRUNC if truncate else 0), 0o600
        )
        self.local_files[path] = cache
        return handle

    def _write_direct(self, fi: Any) -> None:
        """Writes skip the page cache where shared mmap still works (fuse_direct.py): the kernel
        then copies the writer's bytes once, into the request, instead of into its cache first."""
        if self.direct_io.granted:
            fi.direct_io = 1

    def open(self, path: str, fi: Any) -> int:
        writing = fi.flags & (os.O_WRONLY | os.O_RDWR)
        if writing:
            self._write_direct(fi)
        if path in self.local_files:
            handle = self._open_local(path, self.local_files[path], bool(fi.flags & os.O_TRUNC))
            fi.fh = self._new_fh(handle)
            return 0
        if not writing:
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
            # Large files skip the page cache (one copy less per byte: see fuse_direct.py), but
            # only where shared mmap of them still works. Small files keep it: rereads stay local.
            if self.direct_io.granted and (file.size or 0) >= DIRECT_READS_FROM:
                fi.direct_io = 1
        fi.fh = self._new_fh(handle)
        return 0

    def _start_cache(self, handle: Handle, source: DriveFile | None) -> None:
        handle.cache, handle.cache_fd = self.cache_files.create()
        if source is not None:
            with os.fdopen(os.dup(handle.cache_fd), "wb") as out:
                try:
                    self.api().download(source, out, lambda _: None, lambda: False)
                except (ColabError, NotFound) as error:
                    raise FuseOSError(errno.EIO) from error

    def create(self, path: str, mode: int, fi: Any) -> int:
        self._writable()
        self._write_direct(fi)
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

    def write_buf(self, path: str, buf: Any, offset: int, fi: Any) -> int:
        """Present so that libfuse hands writes over in its own buffer: DriveFuse.write_buf
        takes them (see fusebind.py) and passes them to ``write_from``."""
        raise NotImplementedError

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
            self.cache_files.discard(handle.cache)
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
