"""The culler's rules as colab-ext reads them (jupyter_server's cull_kernel_if_idle)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from colab_ext.runtime.lifetime.clock import (
    CullingPolicy,
    KernelSnapshot,
    idle_shutdown_in,
    lifetime_ends_in,
    spoken_duration,
    was_culled,
)

NOW = datetime(2026, 1, 1, 12, tzinfo=timezone.utc)
TEN_MIN_AGO = NOW - timedelta(minutes=10)


def policy(**flags: bool) -> CullingPolicy:
    return CullingPolicy(3600, 300, flags.get("connected", False), flags.get("busy", False))


@pytest.mark.parametrize(
    ("state", "connections", "flags", "expected"),
    [
        ("idle", 0, {}, 3000),
        ("busy", 0, {}, None),  # busy kernels are spared unless cull_busy
        ("busy", 0, {"busy": True}, 3000),
        ("idle", 1, {}, None),  # a connected page spares it unless cull_connected
        ("idle", 2, {"connected": True}, 3000),
    ],
)
def test_idle_shutdown_follows_the_cullers_flags(
    state: str, connections: int, flags: dict[str, bool], expected: float | None
) -> None:
    snapshot = KernelSnapshot(TEN_MIN_AGO, state, connections)
    assert idle_shutdown_in(policy(**flags), snapshot, NOW) == expected


def test_culling_off_a_kernelspecs_own_timeout_and_a_past_deadline() -> None:
    off = CullingPolicy(0, 300, True, True)
    assert idle_shutdown_in(off, KernelSnapshot(TEN_MIN_AGO, "idle", 0), NOW) is None
    own = KernelSnapshot(TEN_MIN_AGO, "idle", 0, spec_idle_timeout_s=660)
    assert idle_shutdown_in(policy(), own, NOW) == 60
    assert not was_culled(policy(), own, NOW)
    assert was_culled(policy(), own, NOW + timedelta(seconds=61))
    assert idle_shutdown_in(policy(), own, NOW + timedelta(hours=1)) == 0


def test_lifetime_and_words() -> None:
    assert lifetime_ends_in(None, 10, False) is None
    assert lifetime_ends_in(100, 30, False) == 70
    assert lifetime_ends_in(100, 130, True) == 70
    assert lifetime_ends_in(100, 130, False) == 0
    assert [spoken_duration(s) for s in (45, 600, 3900, 7200)] == [
        "45 s",
        "10 min",
        "1 h 5 min",
        "2 h",
    ]
