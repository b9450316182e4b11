"""The one resource sampler every open tab shares.

Each tick's sample is serialised once and pushed, as the same bytes, to every WebSocket
subscriber; HTTP requests read the latest sample (serialised once per tick too). Sampling runs
only while someone subscribes or asked recently, and stops by itself afterwards, releasing the
NVIDIA driver.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections import deque
from collections.abc import Callable
from dataclasses import asdict
from typing import Any

import psutil

from ..core.blocking import call_with_deadline
from ..core.errors import Unavailable
from ..runtime.kernels import KernelDirectory
from .gpus import DriverReading
from .processes import gpu_holders
from .system import CpuMeter, MemoryReading, read_memory, tpu_devices, usable_cpus
from .watch import GpuWatch

log = logging.getLogger(__name__)

#: One history point: time, RAM used, CPU %, and per GPU index (utilisation %, memory used).
Point = tuple[float, int | None, float | None, dict[int, tuple[int | None, int | None]]]

#: Receives each new sample as UTF-8 JSON (the same bytes object for every subscriber).
Subscriber = Callable[[bytes], None]


def _system(root_dir: str, cpu: CpuMeter) -> tuple[MemoryReading, tuple[Any, Any], Any]:
    return read_memory(), cpu.read(), psutil.disk_usage(root_dir)


class ResourceSampler:
    """Samples RAM, CPU, disk and GPUs at a fixed interval while watched; keeps a short history."""

    def __init__(
        self,
        kernels: KernelDirectory,
        root_dir: str,
        *,
        interval: float = 1.0,
        history_seconds: int = 300,
        idle_after: float = 30.0,
        nvml_timeout: float = 3.0,
    ) -> None:
        self.kernels = kernels
        self.root_dir = root_dir
        self.interval = max(0.05, interval)
        self.idle_after = idle_after
        self.gpus = GpuWatch(nvml_timeout)
        self.history: deque[Point] = deque(maxlen=max(2, int(history_seconds / self.interval)))
        self.samples_taken = 0
        self._last_watched = 0.0
        self._task: asyncio.Task[None] | None = None
        self._sampled = asyncio.Event()
        self.history_seconds = history_seconds
        self._latest: dict[str, Any] | None = None
        self._cache: dict[bool, bytes] = {}
        self._subscribers: list[Subscriber] = []
        self._system_problem: str | None = None
        self._last_failure: str | None = None
        self._tpus = tpu_devices()
        self._cpu = CpuMeter()

    @property
    def running(self) -> bool:
        """Whether the sampler is sampling now (someone watches or watched recently)."""
        return self._task is not None and not self._task.done()

    @property
    def subscribers(self) -> int:
        """How many pushed feeds (WebSockets) are subscribed now."""
        return len(self._subscribers)

    async def snapshot(self, history: bool = False) -> bytes:
        """The latest sample as JSON (with the history when asked); starts sampling if idle."""
        self._watched()
        await self._sampled.wait()
        if self._latest is None:
            raise Unavailable(
                "The resource monitor could not take a sample. The server log has the details."
            )
        return self._encoded(history)

    def subscribe(self, deliver: Subscriber) -> None:
        """Push every new sample to ``deliver`` until :meth:`unsubscribe`; the latest one now
        when sampling is under way.

        ``deliver`` runs on the event loop and must not block (queue a write, no more).
        """
        fresh = self.running  # an idle sampler's last sample may be minutes old: wait a tick
        self._subscribers.append(deliver)
        self._watched()
        if fresh and self._latest is not None:
            deliver(self._encoded(False))

    def unsubscribe(self, deliver: Subscriber) -> None:
        """Stop pushing to ``deliver``. Sampling goes on ``idle_after`` more seconds (a reload)."""
        with contextlib.suppress(ValueError):
            self._subscribers.remove(deliver)
        self._last_watched = time.monotonic()

    def _watched(self) -> None:
        self._last_watched = time.monotonic()
        if not self.running:
            self._sampled = asyncio.Event()
            self._task = asyncio.create_task(self._run())

    def _encoded(self, history: bool) -> bytes:
        cached = self._cache.get(history)
        if cached is None:
            assert self._latest is not None
            payload = dict(self._latest, history=self._history_json()) if history else self._latest
            cached = self._cache[history] = json.dumps(payload).encode()
        return cached

    def _push(self) -> None:
        """Hand this tick's sample, serialised once, to every subscriber."""
        if not self._subscribers:
            return
        payload = self._encoded(False)
        for deliver in list(self._subscribers):
            try:
                deliver(payload)
            except Exception:
                # One broken subscriber must not starve the others; it is dropped.
                log.exception("colab-ext: pushing a resource sample failed")
                self.unsubscribe(deliver)

    async def stop(self) -> None:
        """Stop sampling and release the driver (on server shutdown)."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await self.gpus.close()

    async def _run(self) -> None:
        self._cpu.read()  # the first reading only sets the reference point
        try:
            while self._subscribers or time.monotonic() - self._last_watched < self.idle_after:
                started = time.monotonic()
                try:
                    await self.sample()
                except Exception as error:
                    # Once per kind of failure, not a traceback every tick.
                    if repr(error) != self._last_failure:
                        self._last_failure = repr(error)
                        log.exception("colab-ext: a resource sample failed")
                    self._sampled.set()
                await asyncio.sleep(max(0.0, self.interval - (time.monotonic() - started)))
        finally:
            await self.gpus.close()

    async def sample(self) -> None:
        """Take one sample now: system and GPUs side by side, each with its own deadline."""
        system, _ = await asyncio.gather(self._read_system(), self.gpus.refresh())
        reading = self.gpus.reading
        holders = await gpu_holders(reading.processes if reading else [], self.kernels)
        now = time.time()
        memory, (cpu, cpu_limit), disk = system if system else (None, (None, None), None)
        self._latest = {
            "sampled_at": now,
            "interval_s": self.interval,
            "history_s": self.history_seconds,
            "memory": None if memory is None else asdict(memory),
            "cpu": {"percent": cpu, "count": usable_cpus(), "limit": cpu_limit},
            "disk": None if disk is None else {"used_bytes": disk.used, "total_bytes": disk.total},
            "system_problem": self._system_problem,
            "gpu": self._gpu_json(reading, [holder.as_json() for holder in holders]),
            "tpu": {"present": bool(self._tpus), "devices": self._tpus},
            # On a gateway the figures are still this server's: the page says whose they are.
            "kernels_remote": self.kernels.is_remote,
        }
        gpus = {d.index: (d.utilization_percent, d.memory_used_bytes) for d in _devices(reading)}
        self.history.append((now, memory.used_bytes if memory else None, cpu, gpus))
        self._cache = {}
        self.samples_taken += 1
        self._sampled.set()
        self._push()

    async def _read_system(self) -> tuple[MemoryReading, tuple[Any, Any], Any] | None:
        try:
            result = await call_with_deadline(
                "Reading RAM and disk", lambda: _system(self.root_dir, self._cpu), self.gpus.timeout
            )
        except (Unavailable, OSError) as error:
            self._system_problem = str(error)
            return None
        self._system_problem = None
        return result

    def _gpu_json(self, reading: DriverReading | None, holders: list[dict[str, Any]]) -> Any:
        state, message = self.gpus.state()
        return {
            "state": state,
            "message": message,
            "driver_version": reading.driver_version if reading else None,
            "read_at": self.gpus.read_at,
            "devices": [asdict(device) for device in _devices(reading)],
            "holders": holders,
        }

    def _history_json(self) -> dict[str, Any]:
        indices = sorted({index for point in self.history for index in point[3]})
        return {
            "t": [round(point[0], 3) for point in self.history],
            "memory_used_bytes": [point[1] for point in self.history],
            "cpu_percent": [point[2] for point in self.history],
            "gpus": [
                {
                    "index": index,
                    "utilization_percent": [_gpu(point, index)[0] for point in self.history],
                    "memory_used_bytes": [_gpu(point, index)[1] for point in self.history],
                }
                for index in indices
            ],
        }


def _gpu(point: Point, index: int) -> tuple[int | None, int | None]:
    return point[3].get(index, (None, None))


def _devices(reading: DriverReading | None) -> list[Any]:
    return reading.devices if reading is not None else []
