"""RAM is the container's when it has a limit (cgroup v1 and v2 files as the kernel writes them)."""

from __future__ import annotations

from pathlib import Path

import psutil

from colab_ext.resources.system import (
    CpuMeter,
    cgroup_cpu_limit,
    cgroup_memory,
    read_memory,
)


def test_cgroup_v2_limit(tmp_path: Path) -> None:
    (tmp_path / "memory.max").write_text("4294967296\n")
    (tmp_path / "memory.current").write_text("1073741824\n")
    (tmp_path / "memory.stat").write_text("anon 1\ninactive_file 73741824\nactive_file 5\n")
    assert cgroup_memory(tmp_path) == (1_000_000_000, 4 << 30)


def test_cgroup_v2_without_limit(tmp_path: Path) -> None:
    (tmp_path / "memory.max").write_text("max\n")
    (tmp_path / "memory.current").write_text("1073741824\n")
    assert cgroup_memory(tmp_path) is None


def test_cgroup_v1_limit_and_no_limit(tmp_path: Path) -> None:
    v1 = tmp_path / "memory"
    v1.mkdir()
    (v1 / "memory.limit_in_bytes").write_text("2147483648\n")
    (v1 / "memory.usage_in_bytes").write_text("1500000000\n")
    (v1 / "memory.stat").write_text("inactive_file 1\ntotal_inactive_file 500000000\n")
    assert cgroup_memory(tmp_path) == (1_000_000_000, 2 << 30)
    (v1 / "memory.limit_in_bytes").write_text("9223372036854771712\n")
    assert cgroup_memory(tmp_path) is None


def test_reading_this_machine() -> None:
    reading = read_memory()
    assert 0 < reading.used_bytes <= reading.total_bytes <= psutil.virtual_memory().total
    assert reading.source in ("cgroup", "machine")


def test_cpu_quota_v2_and_v1(tmp_path: Path) -> None:
    (tmp_path / "cpu.max").write_text("250000 100000\n")
    assert cgroup_cpu_limit(tmp_path) == 2.5
    (tmp_path / "cpu.max").write_text("max 100000\n")
    assert cgroup_cpu_limit(tmp_path) is None
    (tmp_path / "cpu.max").unlink()
    (tmp_path / "cpu").mkdir()
    (tmp_path / "cpu" / "cpu.cfs_quota_us").write_text("-1\n")
    (tmp_path / "cpu" / "cpu.cfs_period_us").write_text("100000\n")
    assert cgroup_cpu_limit(tmp_path) is None
    (tmp_path / "cpu" / "cpu.cfs_quota_us").write_text("50000\n")
    assert cgroup_cpu_limit(tmp_path) == 0.5


def test_cpu_percent_is_of_the_container_quota(tmp_path: Path) -> None:
    import time

    (tmp_path / "cpu.max").write_text("200000 100000\n")  # two CPUs
    stat = tmp_path / "cpu.stat"
    stat.write_text("usage_usec 1000000\nuser_usec 1\n")
    meter = CpuMeter(tmp_path)
    assert meter.read() == (None, 2.0)  # the first reading sets the reference
    time.sleep(0.5)
    stat.write_text("usage_usec 1500000\n")  # 0.5 s of CPU in about 0.5 s: half of two CPUs
    percent, limit = meter.read()
    assert limit == 2.0 and percent is not None and 40 <= percent <= 50


def test_cpu_without_quota_is_the_machines(tmp_path: Path) -> None:
    meter = CpuMeter(tmp_path)
    meter.read()
    percent, limit = meter.read()
    assert limit is None and percent is not None and 0 <= percent <= 100
