"""Glue between the Drive filesystem and libfuse through mfusepy: reads and writes copied
straight between libfuse's buffers and ours (no intermediate ``bytes``), and the kernel's
read-ahead on the mount."""

from __future__ import annotations

import ctypes
import os
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


class DriveFuse(mfusepy.FUSE):  # type: ignore[misc]
    """mfusepy's FUSE, with reads copied into libfuse's buffer without an extra bytes copy."""

    def read(self, path: bytes | None, buf: Any, size: int, offset: int, fip: Any) -> int:
        address = ctypes.cast(buf, ctypes.c_void_p).value or 0
        name = "" if path is None else path.decode(self.encoding, self.errors)
        return int(self.operations.read_into(name, address, size, offset, fip.contents))

    def write(self, path: bytes | None, buf: Any, size: int, offset: int, fip: Any) -> int:
        address = ctypes.cast(buf, ctypes.c_void_p).value or 0
        name = "" if path is None else path.decode(self.encoding, self.errors)
        return int(self.operations.write_from(name, address, size, offset, fip.contents))


def raise_read_ahead(mountpoint: str, kib: int) -> None:
    """Let the kernel read ahead ``kib`` on this mount (its default is 128 KiB, which caps each
    read handed to the filesystem at 128 KiB). Best effort: needs root and a writable /sys."""
    try:
        device = os.stat(mountpoint).st_dev
        knob = Path(f"/sys/class/bdi/{os.major(device)}:{os.minor(device)}/read_ahead_kb")
        knob.write_text(str(kib))
    except OSError:
        pass
