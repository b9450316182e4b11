"""Streamed reads of one Drive file for one open handle of the mount.

The thread that serves a read pulls the bytes from one ranged ``GET`` (from where the reader is to
the end of the file) straight into libfuse's reply buffer: no copy of our own in between and no
thread of our own. The socket's receive buffer is the read-ahead: Drive keeps sending while the
reader is busy elsewhere, as far as TCP's window allows. (A background thread filling a buffer
ahead of the reader cost one more copy of every byte, which on a loaded machine was a third of the
mount's read time: see ``bench/drive_transfer.py``.)

- A read where the stream is goes on from it.
- A read a little ahead of the stream (up to ``skip`` bytes) reads on to it. The last ``KEEP``
  bytes passed over are kept for reads that arrive out of order, as the kernel's read-ahead (page
  cache or mmap) sends its pieces from several threads at once: the later piece skips, and the
  earlier one finds its bytes kept.
- A read ahead of the stream while another thread pulls from it waits its turn.
- Anything else is a seek. The first read at a new place is one ranged request of its own, so a
  reader hopping around a file (a zip, a parquet footer) leaves the stream where it is; a read that
  goes on from where the last one ended moves the stream there.

A dropped connection or a 5xx/429 resumes from the last byte received, with backoff.
"""

from __future__ import annotations

import ctypes
import http.client
import threading
from collections import deque
from collections.abc import Callable

from ...core.errors import ColabError
from ..client.api_retries import ATTEMPTS, backoff
from ..client.media import MediaClient, MediaError

PIECE = 1024 * 1024  # bytes read on to and kept are held in pieces of this size
KEEP = 8 * 1024 * 1024  # twice the kernel's read-ahead window on the mount (fusebind.py)
SPARE_CLIENTS = 2  # idle connections kept for one-off ranged reads


def _memory(address: int, size: int) -> memoryview:
    return memoryview((ctypes.c_char * size).from_address(address)).cast("B")


class _RangedReader:
    """Bytes of one file from ranged responses on one connection, resumed from the last byte
    received when the connection fails or Drive answers 5xx/429. The stream keeps one across
    reads (its response goes on where the last read stopped); a one-off read uses one once."""

    def __init__(self, client: MediaClient, file_id: str) -> None:
        self.client, self.file_id = client, file_id
        self.response: http.client.HTTPResponse | None = None
        self.at = 0  # the byte the open response gives next

    def fill(self, target: memoryview, offset: int, end: int, stop: Callable[[], bool]) -> int:
        """Fill ``target`` with the bytes at ``offset`` (where an open response must be), asking
        for no more than up to ``end``. Fewer bytes only where the file ends (416). Gives up after
        ATTEMPTS failures in a row, or at the first failure once ``stop()`` says so."""
        done, failures = 0, 0
        self.at = offset
        while done < len(target):
            try:
                if self.response is None:
                    self.response = self.client.open_range(self.file_id, self.at, end)
                    if self.response is None:
                        break  # the file ends before here
                got = self.response.readinto(target[done:])
                if not got:
                    raise MediaError(None, "the download ended early")
                done += got
                self.at += got
                failures = 0
            except (OSError, http.client.HTTPException, MediaError) as error:
                self.drop()
                failure = error if isinstance(error, MediaError) else MediaError(None, str(error))
                failures += 1
                if stop() or not failure.transient or failures >= ATTEMPTS:
                    raise failure.as_colab_error("Reading from Drive") from None
                backoff(failures)
        return done

    def drop(self) -> None:
        """Abandon the open response (and its connection, which a next request opens again)."""
        self.response = None
        self.client.close()


class ReadStream:
    """Reads of ``file_id`` (``size`` bytes) from one streamed response, pulled by the readers."""

    def __init__(
        self, media: Callable[[], MediaClient], file_id: str, size: int, skip: int
    ) -> None:
        self.media, self.file_id, self.size = media, file_id, size
        self.skip = max(skip, PIECE)
        self.cond = threading.Condition()
        # The stream: touched only by the thread that has set ``pulling``; ``next`` is the byte
        # its response gives next, and changes under the lock.
        self.stream: _RangedReader | None = None
        self.next = 0
        self.pulling = False
        self.kept: deque[tuple[int, bytearray]] = deque()  # (offset, bytes) passed over
        self.kept_bytes = 0
        self.last_end = -1  # where the last read ended: a read from there moves the stream
        self.spare: list[MediaClient] = []
        self.closed = False

    # --- reads (FUSE threads) -------------------------------------------------------------------
    def read_into(self, address: int, size: int, offset: int) -> int:
        """Copy up to ``size`` bytes at ``offset`` to memory at ``address``; returns the count.
        Fewer than ``size`` only at the end of the file (a short read is a hole in the page
        cache)."""
        with self.cond:
            while True:
                if self.closed:
                    raise ColabError("Reading from Drive: the file was closed.")
                stop = min(offset + size, self.size)
                if offset >= stop:
                    return 0
                if self._copy_kept(address, offset, stop):
                    self.last_end = stop
                    return stop - offset
                plan = self._plan(offset)
                if plan != "wait":
                    break
                self.cond.wait()
        if plan == "once":
            done = self._read_once(_memory(address, stop - offset), offset)
            with self.cond:
                self.last_end = offset + done
            return done
        try:
            if plan == "move":
                self._move_to(offset)
            elif plan == "skip":
                self._read_on_to(offset)
            done = self._pull(_memory(address, stop - offset), offset)
        finally:
            with self.cond:
                self.pulling = False
                self.cond.notify_all()
        with self.cond:
            self.last_end = offset + done
        return done

    def _plan(self, offset: int) -> str:
        """What a read at ``offset`` does: "wait", "once" (a request of its own), or, after
        taking the stream, "pull" (it is there), "skip" (read on to it) or "move" (restart)."""
        streaming = self.stream is not None and self.stream.response is not None
        ahead = streaming and self.next <= offset <= self.next + self.skip
        if self.pulling:
            return "wait" if ahead else "once"
        if ahead:
            plan = "pull" if offset == self.next else "skip"
        elif not streaming or offset == self.last_end:
            plan = "move"
        else:
            return "once"
        self.pulling = True
        return plan

    def _copy_kept(self, address: int, start: int, stop: int) -> bool:
        """Copy ``[start, stop)`` from the bytes kept, if they hold all of it."""
        pieces = [(at, piece) for at, piece in self.kept if at < stop and at + len(piece) > start]
        covered = start
        for at, piece in pieces:  # in order of offset; pulls between skips leave gaps
            if at > covered:
                return False
            covered = at + len(piece)
        if covered < stop:
            return False
        for at, piece in pieces:
            begin, end = max(at, start), min(at + len(piece), stop)
            source = ctypes.addressof((ctypes.c_char * len(piece)).from_buffer(piece))
            ctypes.memmove(address + begin - start, source + begin - at, end - begin)
        return True

    # --- the stream (only the thread that set ``pulling``) ----------------------------------------
    def _move_to(self, offset: int) -> None:
        if self.stream is None:
            self.stream = _RangedReader(self.media(), self.file_id)
        self.stream.drop()  # what is left of the old response
        with self.cond:
            self.next = offset
            self.kept.clear()
            self.kept_bytes = 0

    def _read_on_to(self, offset: int) -> None:
        """Read the stream on to ``offset``, keeping the last KEEP bytes passed over."""
        while self.next < offset:
            piece = bytearray(min(PIECE, offset - self.next))
            got = self._pull(memoryview(piece), self.next)
            if got < len(piece):
                return  # the file ended before ``offset``: the pull that follows reads nothing
            with self.cond:
                self.kept.append((self.next - got, piece))
                self.kept_bytes += got
                while self.kept_bytes > KEEP:
                    self.kept_bytes -= len(self.kept.popleft()[1])
                self.cond.notify_all()  # a read waiting for these bytes finds them now

    def _pull(self, target: memoryview, offset: int) -> int:
        """Fill ``target`` from the stream, which is at ``offset``; fewer bytes only at the end
        of the file."""
        assert self.stream is not None  # a pull follows a move
        try:
            done = self.stream.fill(target, offset, self.size, lambda: self.closed)
        finally:
            with self.cond:
                self.next = self.stream.at
        if done < len(target):  # 416: the file is shorter than it was when listed
            with self.cond:
                self.size = min(self.size, offset + done)
        return done

    # --- one-off reads (any thread, outside the lock) -----------------------------------------
    def _read_once(self, target: memoryview, offset: int) -> int:
        """One ranged request for a read away from the stream."""
        with self.cond:
            client = self.spare.pop() if self.spare else self.media()
        reader = _RangedReader(client, self.file_id)
        done = reader.fill(target, offset, offset + len(target), lambda: self.closed)
        with self.cond:
            if self.closed or len(self.spare) >= SPARE_CLIENTS:
                client.close()
            else:
                self.spare.append(client)
        return done

    def read(self, size: int, offset: int) -> bytes:
        """The bytes themselves (for callers without a ctypes buffer)."""
        target = ctypes.create_string_buffer(size)
        count = self.read_into(ctypes.addressof(target), size, offset)
        return target.raw[:count]

    def close(self) -> None:
        with self.cond:
            self.closed = True
            clients = [*self.spare, *([self.stream.client] if self.stream else [])]
            self.spare.clear()
            self.kept.clear()
            self.cond.notify_all()
        for client in clients:
            client.close()  # a pull in progress fails and gives up: the file is closed
