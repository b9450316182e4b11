"""Changing a notebook's runtime type, and telling which type a kernel runs as.

Local kernels are restarted in place with the new environment, so they keep their id and the
notebook stays connected. A gateway kernel's environment cannot change on restart (the gateway
starts it elsewhere), so a new kernel is started with the type's ``KERNEL_*`` variables and the
notebook's session is bound to it.
"""

from __future__ import annotations

import asyncio
import logging
import os
import posixpath
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from jupyter_core.utils import ensure_async

from ..core.errors import BadRequest, ColabError, Conflict
from ..core.nvml import GpuDevice
from .availability import RuntimeAvailability, gpu_json
from .kernels import KernelDirectory
from .metadata import RuntimeRequest, short_gpu_name
from .placement import choose_gpus, visible_gpus
from .types import (
    RuntimeType,
    TypeCatalogue,
    marked_type,
    type_environment,
    with_runtime_env,
)


@dataclass(frozen=True)
class SwitchRequest:
    """A checked ``PUT /colab/runtime/kernels/{kernel_id}/type`` body."""

    runtime_type: RuntimeType
    #: GPU UUIDs or indices the user picked; empty for "any free GPU".
    wanted_gpus: tuple[str, ...] = ()
    #: False: only prepare the kernel, for its next restart.
    restart: bool = True


def parse_switch_request(body: Mapping[str, Any], catalogue: TypeCatalogue) -> SwitchRequest:
    """The request a switch body makes, or a 400 that says what is wrong with it."""
    type_id = body.get("type")
    runtime_type = catalogue.get(type_id) if isinstance(type_id, str) else None
    if runtime_type is None:
        raise BadRequest(
            f"Unknown runtime type {type_id!r}; this server offers: {', '.join(catalogue.ids())}."
        )
    restart = body.get("restart", True)
    if not isinstance(restart, bool):
        raise BadRequest("'restart' must be true or false.")
    wanted = body.get("gpus")
    if wanted is None:
        wanted = []
    if not isinstance(wanted, list) or not all(
        isinstance(item, (str, int)) and not isinstance(item, bool) for item in wanted
    ):
        raise BadRequest("'gpus' must be a list of GPU UUIDs or indices.")
    return SwitchRequest(runtime_type, tuple(str(item) for item in wanted), restart)


class RuntimeSwitcher:
    """Knows every kernel's runtime type and changes it."""

    def __init__(
        self,
        kernels: KernelDirectory,
        availability: RuntimeAvailability,
        *,
        default_type: str | None,
        log: logging.Logger | None = None,
    ) -> None:
        self.kernels = kernels
        self.availability = availability
        self.catalogue = availability.catalogue
        self.default_type = default_type
        self.log = log or logging.getLogger(__name__)
        #: Placement reads the load from running kernels, so a pick and the start that makes it
        #: visible must not interleave with another pick.
        self.placement_lock = asyncio.Lock()
        #: Gateway kernels have no /proc to read their type from: remembered here instead.
        self._remote_types: dict[str, str] = {}

    # -- reading ----------------------------------------------------------------------------

    async def current(self, kernel_id: str, *, planned: bool = False) -> dict[str, Any]:
        """The runtime a kernel runs as, read from its own environment (``/proc``); with
        ``planned``, the runtime its next restart gives it."""
        await self.kernels.get(kernel_id)  # NotFound for an unknown kernel
        gpus: list[GpuDevice] = []
        sees_all_gpus = False
        if self.kernels.is_remote:
            type_id = self._remote_types.get(kernel_id)
        else:
            read = self.kernels.launch_environment if planned else self.kernels.environment
            env = read(kernel_id) or {}
            type_id = marked_type(env)
            if "CUDA_VISIBLE_DEVICES" in env:
                gpus = visible_gpus(
                    env["CUDA_VISIBLE_DEVICES"], (await self.availability.probe()).devices
                )
            else:
                # Started without a GPU choice (no runtime type): CUDA shows it every GPU.
                sees_all_gpus = True
        runtime_type = self.catalogue.get(type_id) if type_id else None
        label = runtime_type.label if runtime_type else "Server default"
        summary = label
        if gpus:
            names = sorted({short_gpu_name(device.name) for device in gpus})
            indices = ",".join(str(device.index) for device in gpus)
            summary = f"{label} · {'/'.join(names)} #{indices}"
        return {
            "kernel_id": kernel_id,
            "type": runtime_type.id if runtime_type else None,
            "label": label,
            "accelerator": runtime_type.accelerator if runtime_type else None,
            "gpus": [gpu_json(device) for device in gpus],
            "summary": summary,
            "gateway": self.kernels.is_remote,
            "sees_all_gpus": sees_all_gpus,
        }

    # -- changing ---------------------------------------------------------------------------

    async def overlay_for(
        self,
        runtime_type: RuntimeType,
        *,
        kernel_id: str | None,
        wanted: Sequence[str] = (),
        prefer_model: str | None = None,
    ) -> dict[str, str]:
        """The variables a local kernel of this type gets, after placing it on GPU(s).

        Call with :attr:`placement_lock` held until the kernel has (re)started.
        """
        probe = await self.availability.probe()
        loads = self.availability.loads(probe, exclude=kernel_id)
        kernelspecs = await self.availability.kernelspecs()
        reason = self.availability.unavailable_reason(runtime_type, probe, loads, kernelspecs)
        if reason is not None:
            raise Conflict(f"{runtime_type.label} is not available: {reason}")
        if wanted and runtime_type.accelerator != "gpu":
            raise BadRequest(f"{runtime_type.label} takes no GPU; do not pick one.")
        chosen: list[GpuDevice] = []
        if runtime_type.accelerator == "gpu":
            chosen = choose_gpus(
                loads,
                runtime_type.gpus,
                exclusive=self.availability.exclusive,
                wanted=wanted,
                prefer_model=prefer_model,
            )
        return type_environment(runtime_type, [device.uuid for device in chosen])

    async def switch(self, kernel_id: str, request: SwitchRequest) -> dict[str, Any]:
        """Restart ``kernel_id`` as the requested type; the answer is :meth:`current` of the
        kernel that now serves the notebook (a new id only on a gateway).

        With ``restart=False`` a local kernel is only prepared: its next restart (JupyterLab's
        own, which keeps the page's connection in step) starts it as the new type.
        """
        runtime_type, wanted = request.runtime_type, request.wanted_gpus
        facts = await self.kernels.get(kernel_id)
        if self.kernels.is_remote:
            if wanted:
                raise BadRequest("On a cluster the gateway places GPUs: pick 'Any free GPU'.")
            return await self._switch_remote(kernel_id, facts.name, runtime_type)
        if runtime_type.kernelspec and runtime_type.kernelspec != facts.name:
            # Another kernelspec is another program: a new kernel, the session moved onto it.
            async with self.placement_lock:
                overlay = await self.overlay_for(runtime_type, kernel_id=kernel_id, wanted=wanted)
                base = self.kernels.launch_environment(kernel_id) or dict(os.environ)
                env = with_runtime_env(base, os.environ, self.catalogue.managed_keys, overlay)
                return await self._replace_kernel(kernel_id, runtime_type, env)
        async with self.placement_lock:
            overlay = await self.overlay_for(runtime_type, kernel_id=kernel_id, wanted=wanted)
            previous = self.kernels.launch_environment(kernel_id)
            assert previous is not None
            env = with_runtime_env(previous, os.environ, self.catalogue.managed_keys, overlay)
            self.kernels.set_launch_environment(kernel_id, env)
            if not request.restart:
                return await self.current(kernel_id, planned=True)
            try:
                await self.kernels.kernel_manager.restart_kernel(kernel_id)
            except Exception as error:
                self.log.exception("colab-ext: restart as %s failed", runtime_type.id)
                self.kernels.set_launch_environment(kernel_id, previous)
                raise ColabError(
                    f"The kernel did not restart as {runtime_type.label}: {error}. "
                    "Restart it from the Kernel menu.",
                    status=500,
                ) from None
        self.log.info("colab-ext: kernel %s now runs as %s", kernel_id, runtime_type.id)
        return await self.current(kernel_id)

    async def _switch_remote(
        self, kernel_id: str, kernel_name: str, runtime_type: RuntimeType
    ) -> dict[str, Any]:
        # A restart on the gateway reuses the environment the kernel started with, so the type
        # takes a new kernel; the notebook's session is moved onto it and the old one stopped.
        sessions = await self.kernels.sessions_of(kernel_id)
        env = self.gateway_start_env(runtime_type, sessions[0]["path"] if sessions else None)
        return await self._replace_kernel(kernel_id, runtime_type, env, kernel_name)

    async def _replace_kernel(
        self,
        kernel_id: str,
        runtime_type: RuntimeType,
        env: dict[str, str],
        kernel_name: str | None = None,
    ) -> dict[str, Any]:
        """Start a kernel of the type, move the old kernel's sessions onto it, stop the old one."""
        sessions = await self.kernels.sessions_of(kernel_id)
        folder = posixpath.dirname(sessions[0]["path"]) if sessions else None
        manager = self.kernels.kernel_manager
        try:
            new_id = await manager.start_kernel(
                kernel_name=runtime_type.kernelspec or kernel_name,
                # On a gateway too: jupyter_server sends it as KERNEL_WORKING_DIR, which the
                # gateway's pod templates use for the kernel's working folder.
                path=folder,
                env=env,
            )
        except Exception as error:
            self.log.exception("colab-ext: starting a %s kernel failed", runtime_type.id)
            raise ColabError(
                f"No {runtime_type.label} kernel could be started: {error}. "
                "The notebook keeps its kernel.",
                status=502 if self.kernels.is_remote else 500,
            ) from None
        if self.kernels.is_remote:
            self._remote_types[new_id] = runtime_type.id
        for session in sessions:
            await self.kernels.session_manager.update_session(session["id"], kernel_id=new_id)
        await ensure_async(manager.shutdown_kernel(kernel_id))
        self._remote_types.pop(kernel_id, None)
        self.log.info(
            "colab-ext: kernel %s replaced by %s (%s)", kernel_id, new_id, runtime_type.id
        )
        return await self.current(new_id)

    def gateway_start_env(self, runtime_type: RuntimeType, path: str | None) -> dict[str, str]:
        """What a gateway kernel of this type is started with: the server's environment (its
        ``KERNEL_*`` variables are forwarded by jupyter_server) plus the type's."""
        env = {k: v for k, v in os.environ.items() if k not in self.catalogue.managed_keys}
        if path:
            env["JPY_SESSION_NAME"] = path
        env.update(runtime_type.env)
        env.update(runtime_type.gateway_env())
        return env

    def remember_remote(self, kernel_id: str, type_id: str) -> None:
        """Record the type a gateway kernel was started as."""
        self._remote_types[kernel_id] = type_id

    def request_for_start(self, request: RuntimeRequest | None) -> RuntimeType | None:
        """The type a new notebook kernel starts as: what the notebook asks, else the default."""
        type_id = request.type_id if request else self.default_type
        return self.catalogue.get(type_id) if type_id else None
