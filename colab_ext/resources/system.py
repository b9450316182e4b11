"""RAM, CPU, disk and TPU facts of this runtime, cgroup-aware.

In a container, the machine's RAM is not what the notebook may use: the cgroup limit is. The
monitor reports the limit when one is set (as Colab reports the VM's RAM, not the host's).
"""

from __future__ import annotations

import glob
import os
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

_CGROUP = Path("/sys/fs/cgroup")
# cgroup v1 writes "no limit" as a huge number rounded to the page size.
_NO_LIMIT = 1 << 60


@dataclass(frozen=True)
class MemoryReading:
    """RAM in use and available to this runtime, and where the total comes from."""

    used_bytes: int
    total_bytes: int
    source: str  # "cgroup" or "machine"


def _read_int(path: Path) -> int | None:
    try:
        text = path.read_text().strip()
    except OSError:
        return None
    if text == "max":
        return None
    try:
        return int(text)
    except ValueError:
        return None


def _inactive_file(stat: Path, key: str) -> int:
    # Page cache that the kernel can drop is not "used" in the sense a user cares about.
    try:
        for line in stat.read_text().splitlines():
            name, _, value = line.partition(" ")
            if name == key:
                return int(value)
    except (OSError, ValueError):
        pass
    return 0


def cgroup_memory(root: Path = _CGROUP) -> tuple[int, int] | None:
    """(used, limit) of this process's memory cgroup, or None when no limit is set."""
    v2_limit = _read_int(root / "memory.max")
    if v2_limit is not None:
        used = _read_int(root / "memory.current") or 0
        return max(0, used - _inactive_file(root / "memory.stat", "inactive_file")), v2_limit
    v1 = root / "memory"
    v1_limit = _read_int(v1 / "memory.limit_in_bytes")
    if v1_limit is not None and v1_limit < _NO_LIMIT:
        used = _read_int(v1 / "memory.usage_in_bytes") or 0
        inactive = _inactive_file(v1 / "memory.stat", "total_inactive_file")
        return max(0, used - inactive), v1_limit
    return None


def read_memory() -> MemoryReading:
    """RAM of the container when it has a limit below the machine's, else of the machine."""
    machine = psutil.virtual_memory()
    limited = cgroup_memory()
    if limited is not None and limited[1] < machine.total:
        return MemoryReading(used_bytes=limited[0], total_bytes=limited[1], source="cgroup")
    return MemoryReading(
        used_bytes=machine.total - machine.available, total_bytes=machine.total, source="machine"
    )


def cgroup_cpu_limit(root: Path = _CGROUP) -> float | None:
    """CPUs the container may use (its CFS quota), or None when it has no quota."""
    try:
        quota, _, period = (root / "cpu.max").read_text().strip().partition(" ")
        return None if quota == "max" else int(quota) / int(period)
    except (OSError, ValueError):
        pass
    quota_us = _read_int(root / "cpu" / "cpu.cfs_quota_us")
    period_us = _read_int(root / "cpu" / "cpu.cfs_period_us")
    if quota_us is None or quota_us <= 0 or not period_us:
        return None
    return quota_us / period_us


def cgroup_cpu_seconds(root: Path = _CGROUP) -> float | None:
    """CPU time the container has used so far, in seconds (cgroup v2 or v1)."""
    try:
        for line in (root / "cpu.stat").read_text().splitlines():
            name, _, value = line.partition(" ")
            if name == "usage_usec":
                return int(value) / 1e6
    except (OSError, ValueError):
        pass
    nanoseconds = _read_int(root / "cpuacct" / "cpuacct.usage")
    return None if nanoseconds is None else nanoseconds / 1e9


class CpuMeter:
    """CPU use since the previous reading, in percent of what this runtime may use: the
    container's quota when it has one (as for RAM), else every CPU of the machine."""

    def __init__(self, root: Path = _CGROUP) -> None:
        self.root = root
        self._last: tuple[float, float] | None = None

    def read(self) -> tuple[float | None, float | None]:
        """(percent, CPUs allowed by the container's quota or None without one)."""
        limit = cgroup_cpu_limit(self.root)
        used = cgroup_cpu_seconds(self.root) if limit else None
        if limit is None or used is None:
            return psutil.cpu_percent(interval=None), None
        now = time.monotonic()
        last, self._last = self._last, (now, used)
        if last is None or now <= last[0]:
            return None, limit
        percent = 100 * (used - last[1]) / (now - last[0]) / limit
        return round(min(max(percent, 0.0), 100.0), 1), limit


def usable_cpus() -> int:
    """CPUs this process may run on (a container or taskset may give fewer than the machine)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def tpu_devices() -> list[str]:
    """TPU device nodes this machine exposes (``/dev/accel*`` on Cloud TPU VMs), if any."""
    return sorted(glob.glob("/dev/accel*"))
