"""RAM is the container's when it has a limit (cgroup v1 and v2 files as the kernel writes them)."""

from __future__ import annotations

from pathlib import Path

import psutil

from colab_ext.resources.system import cgroup_memory, read_memory


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
