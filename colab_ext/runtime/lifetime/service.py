"""How long each runtime may last, said before it bites.

JupyterLab's idle culler shuts kernels down without a word, and colab-ext adds an admin's
maximum lifetime per runtime type (as Colab limits a runtime's life). This service answers, for
one kernel, how long it has been up and when either would shut it down; lets a user keep it
(activity for the culler, one more period for the lifetime where the admin allows it); enforces
the maximum lifetime; and remembers why a kernel went away so its page can say so afterwards.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

import psutil
from jupyter_core.utils import ensure_async

from ...core.errors import Conflict, NotFound
from ..kernels import KernelDirectory, KernelFacts
from ..switcher import RuntimeSwitcher
from ..types import marked_type
from .clock import (
    CullingPolicy,
    KernelSnapshot,
    idle_shutdown_in,
    lifetime_ends_in,
    spoken_duration,
    was_culled,
)
from .gone import IDLE, LIFETIME, GoneKernel, GoneKernels

#: jupyter_server's kernel action events: a shutdown is the moment to look for culled kernels.
KERNEL_ACTIONS = "https://events.jupyter.org/jupyter_server/kernel_actions/v1"


@dataclass(frozen=True)
class LifetimeLimits:
    """The admin's settings (``c.ColabExt.runtime_lifetime_*``, ``hub_idle_timeout_s``)."""

    max_lifetime_s: Mapping[str, float] = field(default_factory=dict)
    warning_s: float = 300.0
    extendable: bool = False
    check_s: float = 10.0
    hub_idle_timeout_s: float | None = None


@dataclass
class _Start:
    """When a kernel's current process started; a restart is a new start (a fresh runtime,
    so its lifetime and its one extension start over)."""

    pid: int | None
    at: datetime
    type_id: str | None
    extended: bool = False


def now_utc() -> datetime:
    return datetime.now(timezone.utc)


def parse_time(value: str | None) -> datetime | None:
    """jupyter_server's ISO times (``...Z``) as aware datetimes."""
    return datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None


class RuntimeLifetime:
    """Each kernel's uptime, idle shutdown and maximum lifetime; the periodic check that ends
    kernels past their maximum; and the memory of why kernels went away."""

    def __init__(
        self,
        kernels: KernelDirectory,
        switcher: RuntimeSwitcher,
        limits: LifetimeLimits,
        *,
        server_activity: Callable[[], datetime] | None = None,
        log: logging.Logger | None = None,
    ) -> None:
        self.kernels = kernels
        self.switcher = switcher
        self.limits = limits
        self.server_activity = server_activity
        self.log = log or logging.getLogger(__name__)
        self.gone = GoneKernels()
        self._starts: dict[str, _Start] = {}
        #: The last look at each running kernel: what tells a culled kernel from others.
        self._seen: dict[str, KernelSnapshot] = {}
        self._task: asyncio.Task[None] | None = None

    @property
    def policy(self) -> CullingPolicy:
        return CullingPolicy.of(self.kernels.kernel_manager)

    @property
    def needed(self) -> bool:
        """Whether anything needs watching: the culler is on, or a type has a maximum."""
        return self.policy.on or bool(self.limits.max_lifetime_s)

    # -- answering ----------------------------------------------------------------------

    async def view(self, kernel_id: str) -> dict[str, Any]:
        """``GET .../lifetime``: the kernel's uptime and when it would be shut down; a
        :class:`NotFound` that says why for a kernel the culler or its lifetime ended."""
        await self.reconcile()
        try:
            facts = await self.kernels.get(kernel_id)
        except NotFound as error:
            gone = self.gone.get(kernel_id)
            if gone is None:
                raise
            raise NotFound(gone.message, details=gone.json()) from error
        return await self._view(facts, now_utc())

    async def keep(self, kernel_id: str) -> dict[str, Any]:
        """``POST .../lifetime/keep``: counts as activity for the idle culler (its clock is the
        kernel's ``last_activity``) and, in the lifetime's warning window, extends it once where
        the admin allows it. A :class:`Conflict` when nothing can be kept."""
        facts = await self.kernels.get(kernel_id)
        now = now_utc()
        view = await self._view(facts, now)
        kept = False
        if view["idle_shutdown_in_s"] is not None:
            # The public trait the culler reads (ServerKernelManager.last_activity): a keep
            # is the same to it as a message from the kernel.
            self.kernels.kernel_manager.get_kernel(kernel_id).last_activity = now
            kept = True
        ends_in = view["lifetime_ends_in_s"]
        if view["can_extend"] and ends_in is not None and ends_in <= self.limits.warning_s:
            self._starts[kernel_id].extended = True
            self.log.info("colab-ext: kernel %s's lifetime extended once", kernel_id)
            kept = True
        if view["hub_idle_shutdown_in_s"] is not None:
            kept = True  # this request is server activity, which the hub counts
        if not kept:
            raise Conflict(self._why_not_kept(view))
        return await self._view(await self.kernels.get(kernel_id), now_utc())

    def _why_not_kept(self, view: Mapping[str, Any]) -> str:
        if view["can_extend"]:
            last = spoken_duration(self.limits.warning_s)
            return f"Its lifetime can be extended only in its last {last}."
        return "Nothing would shut this kernel down that keeping it could put off."

    async def _view(self, facts: KernelFacts, now: datetime) -> dict[str, Any]:
        start = await self._start_of(facts, now)
        snapshot = self._snapshot(facts)
        self._seen[facts.id] = snapshot
        uptime = max(0.0, (now - start.at).total_seconds())
        maximum = self.limits.max_lifetime_s.get(start.type_id or "")
        idle_in = idle_shutdown_in(self.policy, snapshot, now)
        can_extend = maximum is not None and self.limits.extendable and not start.extended
        hub_in = self._hub_idle_shutdown_in(now)
        return {
            "kernel_id": facts.id,
            "type": start.type_id,
            "started": start.at.isoformat(),
            "uptime_s": round(uptime, 1),
            "last_activity": facts.last_activity,
            "execution_state": facts.execution_state,
            "connections": facts.connections,
            "idle_timeout_s": self.policy.idle_timeout_s if self.policy.on else None,
            "cull_interval_s": self.policy.interval_s if self.policy.on else None,
            "idle_shutdown_in_s": _rounded(idle_in),
            "max_lifetime_s": maximum,
            "lifetime_ends_in_s": _rounded(lifetime_ends_in(maximum, uptime, start.extended)),
            "extended": start.extended,
            "can_extend": can_extend,
            "can_keep": idle_in is not None or can_extend or hub_in is not None,
            "warning_s": self.limits.warning_s,
            "hub_idle_timeout_s": self.limits.hub_idle_timeout_s,
            "hub_idle_shutdown_in_s": _rounded(hub_in),
            # A gateway culls its kernels by its own settings, which this server cannot read.
            "kernels_remote": self.kernels.is_remote,
        }

    def _hub_idle_shutdown_in(self, now: datetime) -> float | None:
        timeout = self.limits.hub_idle_timeout_s
        if timeout is None or self.server_activity is None:
            return None
        idle = (now - self.server_activity()).total_seconds()
        return max(0.0, timeout - idle)

    # -- what the server knows of a kernel ---------------------------------------------------

    async def _start_of(self, facts: KernelFacts, now: datetime) -> _Start:
        known = self._starts.get(facts.id)
        if known is not None and (facts.pid is None or known.pid == facts.pid):
            return known
        at = now
        if facts.pid is not None:
            # The process's own start: right even for kernels started before we looked.
            with contextlib.suppress(psutil.Error):
                at = datetime.fromtimestamp(psutil.Process(facts.pid).create_time(), timezone.utc)
        start = _Start(facts.pid, at, await self._type_of(facts.id))
        self._starts[facts.id] = start
        return start

    async def _type_of(self, kernel_id: str) -> str | None:
        if self.kernels.is_remote:
            return (await self.switcher.current(kernel_id))["type"]  # type: ignore[no-any-return]
        return marked_type(self.kernels.environment(kernel_id) or {})

    def _snapshot(self, facts: KernelFacts) -> KernelSnapshot:
        spec_timeout = None
        if not self.kernels.is_remote and facts.id in self.kernels.kernel_manager:
            spec = self.kernels.kernel_manager.get_kernel(facts.id).kernel_spec
            value = getattr(spec, "metadata", {}).get("cull_idle_timeout")
            spec_timeout = float(value) if isinstance(value, (int, float)) else None
        return KernelSnapshot(
            parse_time(facts.last_activity), facts.execution_state, facts.connections, spec_timeout
        )

    # -- watching --------------------------------------------------------------------------

    async def check(self) -> None:
        """One look at every kernel: end those past their maximum lifetime, note culled ones."""
        now = now_utc()
        for facts in await self.kernels.list():
            view = await self._view(facts, now)
            if view["lifetime_ends_in_s"] == 0:
                await self._end_lifetime(facts.id, view)
        await self.reconcile()

    async def _end_lifetime(self, kernel_id: str, view: Mapping[str, Any]) -> None:
        message = (
            f"The kernel was shut down after {spoken_duration(view['uptime_s'])}: "
            f"{view['type']} runtimes may run {spoken_duration(view['max_lifetime_s'])} at most "
            "on this server" + (" (extended once)." if view["extended"] else ".")
        )
        self.gone.remember(kernel_id, GoneKernel(LIFETIME, message, now_utc()))
        self.log.warning("colab-ext: shutting down kernel %s: %s", kernel_id, message)
        try:
            await ensure_async(self.kernels.kernel_manager.shutdown_kernel(kernel_id))
        except Exception:
            self.log.exception("colab-ext: kernel %s did not shut down", kernel_id)

    async def reconcile(self) -> None:
        """Note kernels that went away since the last look while the culler's rules applied
        to them (the culler itself says nothing), and forget the state of all gone ones."""
        running = {facts.id for facts in await self.kernels.list()}
        now = now_utc()
        for kernel_id in set(self._seen) - running:
            snapshot = self._seen.pop(kernel_id)
            self._starts.pop(kernel_id, None)
            if kernel_id not in self.gone and was_culled(self.policy, snapshot, now):
                timeout = snapshot.spec_idle_timeout_s or self.policy.idle_timeout_s
                message = (
                    f"The kernel was shut down after {spoken_duration(timeout)} without "
                    "activity (this server's idle timeout)."
                )
                self.gone.remember(kernel_id, GoneKernel(IDLE, message, now))
                self.log.info("colab-ext: kernel %s was culled as idle", kernel_id)

    def start(self, event_logger: Any | None = None) -> None:
        """Start the periodic check (only if something needs it), and look for culled kernels
        as soon as any kernel shuts down."""
        if not self.needed:
            return
        self._task = asyncio.ensure_future(self._watch())
        if event_logger is not None and self.policy.on:
            event_logger.add_listener(schema_id=KERNEL_ACTIONS, listener=self._on_kernel_action)
            self._event_logger = event_logger

    async def stop(self) -> None:
        """Stop watching (the server stops)."""
        if getattr(self, "_event_logger", None) is not None:
            self._event_logger.remove_listener(
                schema_id=KERNEL_ACTIONS, listener=self._on_kernel_action
            )
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None

    async def _on_kernel_action(self, logger: Any, schema_id: str, data: Mapping[str, Any]) -> None:
        if data.get("action") == "shutdown":
            await self.reconcile()

    async def _watch(self) -> None:
        while True:
            try:
                await self.check()
            except Exception:
                self.log.exception("colab-ext: the runtime lifetime check failed")
            await asyncio.sleep(self.limits.check_s)


def _rounded(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds, 1)
