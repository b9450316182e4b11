"""Streamed reads of one Drive file for one open handle of the mount.

A sequential reader gets one ranged ``GET`` read by a background thread into 1 MiB blocks, kept in
a bounded buffer ahead of the reader (``read_ahead`` bytes at most, reached by doubling while the
reads stay sequential), so memory per open file is flat whatever the file's size. A read outside
what is buffered or about to be (a seek) ends that response and starts another at the new offset.
A dropped connection or a 5xx/429 resumes from the last byte received, with backoff.
"""

from __future__ import annotations

import ctypes
import http.client
import threading
from collections import deque
from collections.abc import Callable

from ..core.errors import ColabError
from .api_retries import ATTEMPTS, backoff
from .media import MediaClient, MediaError

BLOCK = 1024 * 1024
MIN_AHEAD = 2 * BLOCK
#: Blocks not yet read in full are kept until the furthest read is this far past them: the
#: kernel's read-ahead asks for its pages from several threads, out of order.
KEEP_BEHIND = 16 * BLOCK
SEGMENT = 64 * BLOCK  # one request covers at most this much, then the next one follows


class _Block:
    """A reusable 1 MiB buffer and the address ctypes copies from."""

    __slots__ = ("address", "buffer", "length", "used", "view")

    def __init__(self) -> None:
        self.buffer = bytearray(BLOCK)
        self.view = (ctypes.c_char * BLOCK).from_buffer(self.buffer)  # pins the buffer
        self.address = ctypes.addressof(self.view)
        self.length = self.used = 0  # bytes in it, bytes copied out of it


class ReadStream:
    """Reads of ``file_id`` (``size`` bytes) served from a streamed, read-ahead buffer."""

    def __init__(
        self, media: Callable[[], MediaClient], file_id: str, size: int, read_ahead: int
    ) -> None:
        self.media, self.file_id, self.size = media, file_id, size
        self.read_ahead = max(read_ahead, MIN_AHEAD)
        # One lock, two waits: readers for bytes to arrive, the fetcher for room ahead. Each
        # side wakes the other only when it is waiting (fewer thread switches per MiB).
        lock = threading.Lock()
        self.cond = threading.Condition(lock)
        self.room = threading.Condition(lock)
        self.fetchers_waiting = 0  # the current fetcher, and stale ones about to exit
        self.blocks: deque[_Block] = deque()
        self.spare: list[_Block] = []
        self.base = self.end = self.pos = 0  # first buffered byte, after the last, reader's mark
        self.ahead = MIN_AHEAD
        self.generation = 0
        self.running = False
        self.waiting = 0  # readers waiting for bytes to arrive
        self.error: ColabError | None = None
        self.closed = False

    # --- the reader's side (FUSE threads) -------------------------------------------------------
    def read_into(self, address: int, size: int, offset: int) -> int:
        """Copy up to ``size`` bytes at ``offset`` to memory at ``address``; returns the count."""
        with self.cond:
            while True:
                if offset >= self.size:
                    return 0
                stop = min(offset + size, self.size)
                reachable = self.running and self.base <= offset <= self.end + self.read_ahead
                if not reachable:
                    if self.waiting:  # another reader waits on this stream: leave it to it
                        break
                    self._restart(offset)
                elif offset >= self.pos - KEEP_BEHIND:
                    self.ahead = min(self.ahead * 2, self.read_ahead)  # sequential: look further
                self.pos = max(self.pos, stop)
                if self.end >= stop:
                    copied = self._copy(address, offset, stop)
                    self._drop_behind()
                    self._make_room()
                    return copied
                if self.error is not None:
                    error, self.error = self.error, None
                    self.running = False
                    raise error
                self._make_room()
                self.waiting += 1
                try:
                    self.cond.wait()
                finally:
                    self.waiting -= 1
        return self._read_direct(address, min(offset + size, self.size) - offset, offset)

    def _make_room(self) -> None:
        if self.fetchers_waiting and self.end - self.pos < self.ahead:
            self.room.notify_all()

    def _read_direct(self, address: int, size: int, offset: int) -> int:
        """One ranged request for a read far from where the stream is."""
        target = memoryview((ctypes.c_char * size).from_address(address)).cast("B")
        client, done, failures = self.media(), 0, 0
        while done < size:
            try:
                response = client.open_range(self.file_id, offset + done, offset + size)
                if response is None:
                    break
                while done < size:
                    got = response.readinto(target[done:])
                    if not got:
                        raise MediaError(None, "the download ended early")
                    done += got
            except (OSError, http.client.HTTPException, MediaError) as error:
                client.close()
                failure = error if isinstance(error, MediaError) else MediaError(None, str(error))
                failures += 1
                if not failure.transient or failures >= ATTEMPTS:
                    raise failure.as_colab_error("Reading from Drive") from None
                backoff(failures)
        return done

    def read(self, size: int, offset: int) -> bytes:
        """The bytes themselves (for callers without a ctypes buffer)."""
        target = ctypes.create_string_buffer(size)
        count = self.read_into(ctypes.addressof(target), size, offset)
        return target.raw[:count]

    def _copy(self, address: int, start: int, stop: int) -> int:
        """Copy buffered bytes ``[start, stop)`` to memory at ``address``."""
        done, block_start = 0, self.base
        for block in self.blocks:
            block_end = block_start + block.length
            if block_end > start + done:
                skip = start + done - block_start
                count = min(block.length - skip, stop - start - done)
                ctypes.memmove(address + done, block.address + skip, count)
                block.used += count
                done += count
                if start + done >= stop:
                    break
            block_start = block_end
        return done

    def _drop_behind(self) -> None:
        """Free blocks read in full (the kernel reads each page once, in any order) or far
        behind the furthest read."""
        while self.blocks and (
            self.blocks[0].used >= self.blocks[0].length
            or self.base + self.blocks[0].length <= self.pos - KEEP_BEHIND
        ):
            block = self.blocks.popleft()
            self.base += block.length
            self.spare.append(block)

    def _restart(self, offset: int) -> None:
        """Forget the buffer and stream from ``offset`` (the old fetcher sees it is stale)."""
        self.generation += 1
        self.spare.extend(self.blocks)
        self.blocks.clear()
        self.base = self.end = self.pos = offset
        self.ahead = MIN_AHEAD
        self.error = None
        self.running = True
        self.room.notify_all()  # a stale fetcher waiting for room: time to go
        generation = self.generation
        threading.Thread(
            target=self._fetch, args=(generation,), name="drive-read", daemon=True
        ).start()

    def close(self) -> None:
        with self.cond:
            self.closed = True
            self.generation += 1
            self.running = False
            self.blocks.clear()
            self.spare.clear()
            self.cond.notify_all()
            self.room.notify_all()

    # --- the fetcher's side (one thread per generation) -----------------------------------------
    def _wanted(self, generation: int) -> bool:
        """Wait until there is room ahead of the reader; False once this fetcher is stale."""
        with self.cond:
            while generation == self.generation and self.end - self.pos >= self.ahead:
                self.fetchers_waiting += 1
                try:
                    self.room.wait()
                finally:
                    self.fetchers_waiting -= 1
            return generation == self.generation and self.end < self.size

    def _fetch(self, generation: int) -> None:
        client = self.media()
        failures = 0
        try:
            while self._wanted(generation):
                start = self.end
                try:
                    got = self._stream(client, generation, start)
                except MediaError as error:
                    client.close()
                    failures += 1
                    if not error.transient or failures >= ATTEMPTS:
                        self._fail(generation, error.as_colab_error("Reading from Drive"))
                        return
                    backoff(failures)
                    continue
                except Exception as error:  # a bug must not leave the reader waiting forever
                    self._fail(generation, ColabError(f"Reading from Drive failed: {error!r}"))
                    return
                if got:
                    failures = 0
                elif self.end == start:  # 416: the file is shorter than it was
                    with self.cond:
                        if generation == self.generation:
                            self.size = self.end
                            self.cond.notify_all()
                    return
        finally:
            client.close()

    def _stream(self, client: MediaClient, generation: int, start: int) -> int:
        """One ranged response read into blocks; returns the bytes it added."""
        stop = min(start + SEGMENT, self.size)
        response = client.open_range(self.file_id, start, stop)
        if response is None:
            return 0
        added = 0
        while start + added < stop:
            if added and not self._wanted(generation):
                client.close()  # abandon the rest of this response
                return added
            with self.cond:
                block = self.spare.pop() if self.spare else _Block()
            length = 0
            view = memoryview(block.buffer)
            want = min(BLOCK, stop - start - added)
            try:
                while length < want:
                    got = response.readinto(view[length:want])
                    if not got:
                        break
                    length += got
            except (OSError, http.client.HTTPException) as error:
                raise MediaError(None, f"{type(error).__name__}: {error}") from None
            finally:
                view.release()
            block.length, block.used = length, 0
            with self.cond:
                if generation != self.generation:
                    return added
                if length:
                    self.blocks.append(block)
                    self.end += length
                    if self.waiting:
                        self.cond.notify_all()
            added += length
            if length < want:  # the connection ended early
                raise MediaError(None, "the download ended early")
        return added

    def _fail(self, generation: int, error: ColabError) -> None:
        with self.cond:
            if generation == self.generation:
                self.error = error
                self.cond.notify_all()
