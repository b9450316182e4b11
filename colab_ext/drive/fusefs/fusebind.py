"""Glue between the Drive filesystem and libfuse through mfusepy: reads and writes copied
straight between libfuse's buffers and ours (no intermediate ``bytes``), and the kernel's
read-ahead on the mount."""

from __future__ import annotations

import ctypes
import os
import threading
from pathlib import Path
from typing import Any

import mfusepy
from mfusepy import FuseOSError

#: The largest read FUSE passes to us with libfuse 3 (256 pages).
READ_SIZE = 1024 * 1024
#: The kernel's read-ahead on the mount, for what goes through the page cache.
READ_AHEAD_KIB = 4096

_libc = ctypes.CDLL(None, use_errno=True)
_libc.pread.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int64]
_libc.pread.restype = ctypes.c_ssize_t
_libc.pwrite.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int64]
_libc.pwrite.restype = ctypes.c_ssize_t


def pwrite_from(fd: int, address: int, size: int, offset: int) -> int:
    done = 0
    while done < size:
        got = int(_libc.pwrite(fd, address + done, size - done, offset + done))
        if got < 0:
            raise FuseOSError(ctypes.get_errno())
        done += got
    return done


def pread_into(fd: int, address: int, size: int, offset: int) -> int:
    got = int(_libc.pread(fd, address, size, offset))
    if got < 0:
        raise FuseOSError(ctypes.get_errno())
    return got


#: fuse_buf.flags: the data is in a file descriptor (with a position), not in memory.
FUSE_BUF_IS_FD, FUSE_BUF_FD_SEEK = 1 << 1, 1 << 2


class FuseBuf(ctypes.Structure):
    _fields_ = [
        ("size", ctypes.c_size_t),
        ("flags", ctypes.c_int),
        ("mem", ctypes.c_void_p),
        ("fd", ctypes.c_int),
        ("pos", ctypes.c_int64),
    ]


class FuseBufVec(ctypes.Structure):
    # The buffers are inline (``struct fuse_buf buf[1]``), not a pointer as mfusepy declares.
    _fields_ = [
        ("count", ctypes.c_size_t),
        ("idx", ctypes.c_size_t),
        ("off", ctypes.c_size_t),
        ("buf", FuseBuf * 1),
    ]


_threads_kept: set[int] = set()


def keep_thread_state() -> None:
    """Keep this libfuse thread's Python thread state from one callback to the next.

    ctypes gives a thread that Python did not start a new thread state for every callback and
    deletes it afterwards: each FUSE request then maps and unmaps a frame stack, and
    ``threading.local`` (where each thread keeps its Drive client) starts empty every time. One
    more PyGILState_Ensure, never released, keeps the state for the thread's life."""
    thread = threading.get_ident()
    if thread not in _threads_kept:
        _threads_kept.add(thread)
        ctypes.pythonapi.PyGILState_Ensure()


class DriveFuse(mfusepy.FUSE):  # type: ignore[misc]
    """mfusepy's FUSE, with reads and writes copied straight between libfuse's buffers and ours
    (no intermediate ``bytes``), and libfuse's threads keeping their Python state."""

    def _wrapper(self, func: Any, *args: Any, **kwargs: Any) -> Any:
        keep_thread_state()
        return super()._wrapper(func, *args, **kwargs)

    def read(self, path: bytes | None, buf: Any, size: int, offset: int, fip: Any) -> int:
        address = ctypes.cast(buf, ctypes.c_void_p).value or 0
        name = "" if path is None else path.decode(self.encoding, self.errors)
        return int(self.operations.read_into(name, address, size, offset, fip.contents))

    def write(self, path: bytes | None, buf: Any, size: int, offset: int, fip: Any) -> int:
        address = ctypes.cast(buf, ctypes.c_void_p).value or 0
        name = "" if path is None else path.decode(self.encoding, self.errors)
        return int(self.operations.write_from(name, address, size, offset, fip.contents))

    def write_buf(self, path: bytes | None, bufv: Any, offset: int, fip: Any) -> int:
        """Writes from libfuse's receive buffer itself. With ``write`` only, libfuse first copies
        each write into a buffer it allocates for it (``fuse_fs_write_buf``)."""
        name = "" if path is None else path.decode(self.encoding, self.errors)
        vector = ctypes.cast(bufv, ctypes.POINTER(FuseBufVec)).contents
        first = ctypes.addressof(vector) + FuseBufVec.buf.offset
        done = 0
        for index in range(vector.idx, vector.count):  # libfuse passes one buffer per write
            piece = FuseBuf.from_address(first + index * ctypes.sizeof(FuseBuf))
            skip = vector.off if index == vector.idx else 0
            size = piece.size - skip
            if piece.flags & FUSE_BUF_IS_FD:  # only with splice, which this mount leaves off
                at = piece.pos + skip if piece.flags & FUSE_BUF_FD_SEEK else None
                data = os.pread(piece.fd, size, at) if at is not None else os.read(piece.fd, size)
                block = ctypes.create_string_buffer(data, len(data))
                address, size = ctypes.addressof(block), len(data)
            else:
                address = piece.mem + skip
            done += int(
                self.operations.write_from(name, address, size, offset + done, fip.contents)
            )
        return done


def raise_read_ahead(mountpoint: str, kib: int) -> None:
    """Let the kernel read ahead ``kib`` on this mount (its default is 128 KiB, which caps each
    read handed to the filesystem at 128 KiB). Best effort: needs root and a writable /sys."""
    try:
        device = os.stat(mountpoint).st_dev
        knob = Path(f"/sys/class/bdi/{os.major(device)}:{os.minor(device)}/read_ahead_kb")
        knob.write_text(str(kib))
    except OSError:
        pass
