"""When a kernel would be shut down: the idle culler's rules and an admin's maximum lifetime.

Plain arithmetic on what the server knows about a kernel, no I/O, so it can be tested alone and
the page's countdown and the culler's decision follow one reading of jupyter_server's rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ...core.upstream_internals import is_gateway


@dataclass(frozen=True)
class CullingPolicy:
    """jupyter_server's idle culler as configured (``MappingKernelManager.cull_*``)."""

    #: Seconds of inactivity before a kernel is culled; 0 or less: culling is off.
    idle_timeout_s: float
    #: How often the culler looks: a kernel goes at the first look past its timeout.
    interval_s: float
    #: Whether kernels with a connected page are culled too.
    connected: bool
    #: Whether busy kernels are culled too.
    busy: bool

    @classmethod
    def of(cls, kernel_manager: Any) -> CullingPolicy:
        """The policy a kernel manager runs with now. A gateway's manager has the same traits,
        but the gateway culls its kernels itself: that is not visible from here, so it reads
        as off."""
        if is_gateway(kernel_manager):
            return cls(0.0, 0.0, False, False)
        return cls(
            float(getattr(kernel_manager, "cull_idle_timeout", 0) or 0),
            float(getattr(kernel_manager, "cull_interval", 0) or 0),
            bool(getattr(kernel_manager, "cull_connected", False)),
            bool(getattr(kernel_manager, "cull_busy", False)),
        )

    @property
    def on(self) -> bool:
        """Whether the server culls idle kernels at all."""
        return self.idle_timeout_s > 0


@dataclass(frozen=True)
class KernelSnapshot:
    """What the culler looks at for one kernel, at one moment."""

    last_activity: datetime | None
    execution_state: str | None
    connections: int
    #: The kernelspec's own ``metadata.cull_idle_timeout``, which the culler prefers.
    spec_idle_timeout_s: float | None = None


def idle_timeout(policy: CullingPolicy, snapshot: KernelSnapshot) -> float | None:
    """The idle timeout that applies to this kernel, or None when the culler skips it now."""
    if not policy.on:
        return None
    if snapshot.execution_state == "busy" and not policy.busy:
        return None
    if snapshot.connections > 0 and not policy.connected:
        return None
    if snapshot.spec_idle_timeout_s is not None:
        return snapshot.spec_idle_timeout_s
    return policy.idle_timeout_s


def idle_shutdown_in(
    policy: CullingPolicy, snapshot: KernelSnapshot, now: datetime
) -> float | None:
    """Seconds until the culler may shut the kernel down if it stays as it is (the earliest
    time: the culler's next look can come up to its interval later); None when it would not."""
    timeout = idle_timeout(policy, snapshot)
    if timeout is None or snapshot.last_activity is None:
        return None
    idle = (now - snapshot.last_activity).total_seconds()
    return max(0.0, timeout - idle)


def was_culled(policy: CullingPolicy, snapshot: KernelSnapshot, gone_at: datetime) -> bool:
    """Whether a kernel last seen as ``snapshot`` and gone by ``gone_at`` fits the culler: it
    applied to the kernel and the kernel had been idle past the timeout. (The culler leaves no
    trace of its own; a user who shut down such a kernel by hand reads the same.)"""
    left = idle_shutdown_in(policy, snapshot, gone_at)
    return left is not None and left <= 0


def lifetime_ends_in(max_lifetime_s: float | None, uptime_s: float, extended: bool) -> float | None:
    """Seconds until the kernel's maximum lifetime ends (an extension adds one more period);
    None when its type has no maximum."""
    if max_lifetime_s is None:
        return None
    allowed = max_lifetime_s * (2 if extended else 1)
    return max(0.0, allowed - uptime_s)


def spoken_duration(seconds: float) -> str:
    """``45 s``, ``12 min``, ``1 h 5 min``: for messages a person reads."""
    if seconds < 90:
        return f"{round(seconds)} s"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min" if minutes else f"{hours} h"
