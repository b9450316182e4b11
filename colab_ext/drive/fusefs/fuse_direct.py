"""Direct I/O that still allows shared mmap: FUSE_DIRECT_IO_ALLOW_MMAP, asked for on behalf of a
libfuse that does not know it.

Reads of large Drive files skip the page cache (``FOPEN_DIRECT_IO``): each read(2) is one FUSE
request copied once, straight into the reader's memory, instead of into the page cache and then out
of it. On a loaded 2-core machine that is most of the mount's read speed: a FUSE filesystem serving
bytes from memory reads 2.5x faster with it (bench/drive_transfer.py). But unless the filesystem
answers INIT with FUSE_DIRECT_IO_ALLOW_MMAP, the kernel refuses ``MAP_SHARED`` maps of such a file
(ENODEV), and ``mmap.mmap(fd, 0, access=ACCESS_READ)``, numpy's memmap and safetensors all map that
way. Linux offers the flag from 6.6 (FUSE protocol 7.39); libfuse asks for it only from 3.16.2, and
Debian 12 has 3.14.

So while the filesystem's ``init`` runs (libfuse 3, kernel protocol >= 7.39), libfuse's writes are
routed through a custom I/O hook (``fuse_session_custom_io``, in libfuse since 3.14) for one write:
the INIT reply, which gets the flag. Then writes go straight to libc's ``writev`` again. When
anything is not as expected, nothing is changed, ``granted`` stays False, and the mount keeps large
reads in the page cache.
"""

from __future__ import annotations

import ctypes
from typing import Any

import mfusepy

FUSE_INIT_EXT = 1 << 30  # in fuse_init_out.flags: flags2 holds the flags' upper 32 bits
DIRECT_IO_ALLOW_MMAP_FLAGS2 = 1 << (36 - 32)
FIRST_PROTOCOL_MINOR = 39  # the kernel knows the flag (Linux 6.6)
# struct fuse_out_header: u32 len, i32 error, u64 unique; struct fuse_init_out: its flags and
# flags2 words, and the length that reaches flags2.
OUT_HEADER_SIZE, OUT_ERROR = 16, 4
INIT_MAJOR, INIT_FLAGS, INIT_FLAGS2, INIT_REACHES_FLAGS2 = 0, 12, 32, 36


class _IoVec(ctypes.Structure):
    _fields_ = [("base", ctypes.c_void_p), ("length", ctypes.c_size_t)]


class _CustomIo(ctypes.Structure):
    # struct fuse_custom_io: writev, read, splice_receive, splice_send. Later libfuse versions
    # add members at the end: the zeroed spare slots read as "not provided".
    _fields_ = [
        ("writev", ctypes.c_void_p),
        ("read", ctypes.c_void_p),
        ("spare", ctypes.c_void_p * 8),
    ]


_WRITEV_HOOK = ctypes.CFUNCTYPE(
    ctypes.c_ssize_t, ctypes.c_int, ctypes.POINTER(_IoVec), ctypes.c_int, ctypes.c_void_p
)
# Without use_errno: errno from a failed writev must reach libfuse as libc left it.
_libc = ctypes.CDLL(None)
_libc.writev.argtypes = [ctypes.c_int, ctypes.POINTER(_IoVec), ctypes.c_int]
_libc.writev.restype = ctypes.c_ssize_t


class DirectIoWithMmap:
    """Asks for FUSE_DIRECT_IO_ALLOW_MMAP in the INIT reply; ``granted`` once it was sent."""

    def __init__(self) -> None:
        self.granted = False
        self._alive: list[object] = []  # what libfuse points to lives as long as the mount

    def request(self, conn_info: Any) -> None:
        """Call from the filesystem's ``init``: libfuse writes the INIT reply when it returns."""
        if mfusepy.fuse_version_major != 3 or conn_info is None:
            return
        if conn_info.proto_major != 7 or conn_info.proto_minor < FIRST_PROTOCOL_MINOR:
            return
        fuse = ctypes.CDLL(mfusepy._libfuse._name)
        if not hasattr(fuse, "fuse_session_custom_io"):
            return
        fuse.fuse_get_context.restype = ctypes.POINTER(ctypes.c_void_p)  # ->fuse comes first
        fuse.fuse_get_session.argtypes = [ctypes.c_void_p]
        fuse.fuse_get_session.restype = ctypes.c_void_p
        fuse.fuse_session_fd.argtypes = [ctypes.c_void_p]
        fuse.fuse_session_custom_io.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int]
        session = fuse.fuse_get_session(fuse.fuse_get_context()[0])
        channel = fuse.fuse_session_fd(session)
        # libc's read and writev take the hooks' arguments but the last (userdata), which the C
        # calling conventions of Linux's 64-bit platforms let a callee ignore.
        read = ctypes.cast(_libc.read, ctypes.c_void_p)
        plain = _CustomIo(ctypes.cast(_libc.writev, ctypes.c_void_p), read)

        def first_write(fd: int, iov: Any, count: int, _userdata: Any) -> int:
            try:
                self._add_flag(iov, count)
            except Exception:  # whatever it is, the reply must still go out
                self.granted = False
            fuse.fuse_session_custom_io(session, ctypes.byref(plain), channel)
            return int(_libc.writev(fd, iov, count))

        hook = _WRITEV_HOOK(first_write)
        routed = _CustomIo(ctypes.cast(hook, ctypes.c_void_p), read)
        self._alive += [fuse, plain, hook, routed]
        fuse.fuse_session_custom_io(session, ctypes.byref(routed), channel)

    def _add_flag(self, iov: Any, count: int) -> None:
        """Set the flag in the INIT reply: a header and a fuse_init_out long enough for flags2."""
        if count != 2 or iov[0].length != OUT_HEADER_SIZE or iov[1].length < INIT_REACHES_FLAGS2:
            return
        if ctypes.c_int32.from_address(iov[0].base + OUT_ERROR).value != 0:
            return
        body = iov[1].base
        if ctypes.c_uint32.from_address(body + INIT_MAJOR).value != 7:
            return
        ctypes.c_uint32.from_address(body + INIT_FLAGS).value |= FUSE_INIT_EXT
        ctypes.c_uint32.from_address(body + INIT_FLAGS2).value |= DIRECT_IO_ALLOW_MMAP_FLAGS2
        self.granted = True
