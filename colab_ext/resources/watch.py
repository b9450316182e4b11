"""NVML on a thread of its own, with a deadline: a slow or hung driver never stalls the server.

At most one reading is in flight. When the driver does not answer within the deadline the
monitor says so and keeps showing the last answer; the reading still lands when the driver
finally answers, and no second one piles up behind it meanwhile.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import Callable
from typing import TypeVar

from .gpus import DriverReading, NvmlSession

T = TypeVar("T")


def _in_thread(loop: asyncio.AbstractEventLoop, work: Callable[[], T]) -> asyncio.Future[T]:
    """Run ``work`` on a new daemon thread: a hung driver call must not block server exit,
    which a ``ThreadPoolExecutor`` worker would (its threads are joined at exit)."""
    future: asyncio.Future[T] = loop.create_future()

    def deliver(result: T | None, error: BaseException | None) -> None:
        if future.done():
            return
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(result)  # type: ignore[arg-type]

    def run() -> None:
        result: T | None = None
        failure: BaseException | None = None
        try:
            result = work()
        except BaseException as error:  # handed to the loop, which reports it
            failure = error
        # RuntimeError: the server stopped while the driver was stuck; nobody waits any more.
        with contextlib.suppress(RuntimeError):
            loop.call_soon_threadsafe(deliver, result, failure)

    threading.Thread(target=run, name="colab-ext-nvml", daemon=True).start()
    return future


class GpuWatch:
    """The latest answer of the NVIDIA driver, refreshed with a deadline."""

    def __init__(self, timeout: float, session: NvmlSession | None = None) -> None:
        self.timeout = timeout
        self.session = session or NvmlSession()
        self.reading: DriverReading | None = None
        #: Wall-clock time of the latest answer.
        self.read_at: float | None = None
        self._inflight: asyncio.Future[DriverReading] | None = None
        self._inflight_since = 0.0

    @property
    def waiting_for_s(self) -> float:
        """How long the driver has been asked without answering (0 when nothing is pending)."""
        if self._inflight is None or self._inflight.done():
            return 0.0
        return time.monotonic() - self._inflight_since

    async def refresh(self) -> None:
        """Ask the driver again (unless still waiting) and wait at most ``timeout`` for it."""
        if self._inflight is None or self._inflight.done():
            self._inflight = _in_thread(asyncio.get_running_loop(), self.session.read)
            self._inflight_since = time.monotonic()
            self._inflight.add_done_callback(self._landed)
        # A late answer is reported by state(); a failed one by _landed.
        with contextlib.suppress(asyncio.TimeoutError, Exception):
            await asyncio.wait_for(asyncio.shield(self._inflight), self.timeout)

    def _landed(self, future: asyncio.Future[DriverReading]) -> None:
        if future.cancelled():
            return
        error = future.exception()
        if error is not None:
            # A bug in reading, not a driver state: say so once per reading, never a traceback.
            self.reading = DriverReading(
                "driver_error", f"Reading the GPUs failed unexpectedly: {error!r}."
            )
        else:
            self.reading = future.result()
        self.read_at = time.time()

    def state(self) -> tuple[str, str | None]:
        """The state to show, and a message a person can act on."""
        waited = self.waiting_for_s
        if waited > self.timeout:
            message = f"The NVIDIA driver has not answered for {waited:.0f} s."
            if self.reading is not None and self.reading.devices:
                message += " The figures shown are its last answer."
            return "slow", message
        if self.reading is None:
            return "pending", "Asking the NVIDIA driver."
        return self.reading.state, self.reading.message

    async def close(self) -> None:
        """Release NVML, unless the driver is still stuck in a call (then leave it be)."""
        if self.waiting_for_s > 0:
            return
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(
                _in_thread(asyncio.get_running_loop(), self.session.close), self.timeout
            )
