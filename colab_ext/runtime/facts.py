"""Facts about this runtime, read from the system each time they are asked for."""

from __future__ import annotations

import os
import platform
import sys
import time
from importlib.metadata import PackageNotFoundError, version
from typing import Any

import psutil

from ..core.nvml import probe_gpus_within
from .availability import kernelspec_field
from .kernels import KernelDirectory


def _package_version(name: str) -> str | None:
    try:
        return version(name)
    except PackageNotFoundError:
        return None


def _os_name() -> str:
    try:
        pretty = platform.freedesktop_os_release().get("PRETTY_NAME")
    except OSError:
        pretty = None
    return pretty or platform.platform(terse=True)


def _usable_cpus() -> int:
    # A container or taskset may give this process fewer CPUs than the machine has.
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


class RuntimeFacts:
    """Reads what "About this runtime" shows. Nothing is cached: each call looks again."""

    def __init__(
        self, kernels: KernelDirectory, kernel_spec_manager: Any, nvml_timeout: float
    ) -> None:
        self.kernels = kernels
        self.kernel_spec_manager = kernel_spec_manager
        self.nvml_timeout = nvml_timeout

    async def about(self) -> dict[str, Any]:
        """The whole "About this runtime" payload (see ``openapi.yaml``: ``AboutRuntime``)."""
        probe = await probe_gpus_within(self.nvml_timeout)
        gpu = {
            "driver_present": probe.driver_present,
            "driver_version": probe.driver_version,
            "gpu_names": probe.gpu_names,
            "gpu_count": len(probe.devices),
            "problem": probe.problem,
        }
        server_started = psutil.Process().create_time()
        return {
            "python_version": platform.python_version(),
            "python_executable": sys.executable,
            "jupyterlab_version": _package_version("jupyterlab"),
            "jupyter_server_version": _package_version("jupyter_server"),
            "colab_ext_version": _package_version("colab-ext"),
            "os": _os_name(),
            "kernel_release": platform.release(),
            "machine": platform.machine(),
            "cpu_count": _usable_cpus(),
            "cpu_count_machine": os.cpu_count(),
            "memory_total_bytes": psutil.virtual_memory().total,
            "gpu": gpu,
            "server_uptime_s": round(time.time() - server_started, 1),
            "kernels": await self._kernels(),
            "kernels_remote": self.kernels.is_remote,
        }

    async def _kernels(self) -> list[dict[str, Any]]:
        kernels = await self.kernels.list()
        names = {name: await self._display_name(name) for name in {k.name for k in kernels}}
        return [
            {
                "id": kernel.id,
                "name": kernel.name,
                "display_name": names[kernel.name],
                "execution_state": kernel.execution_state,
                "last_activity": kernel.last_activity,
                "connections": kernel.connections,
                "notebook_path": kernel.notebook_path,
            }
            for kernel in kernels
        ]

    async def _display_name(self, kernel_name: str) -> str:
        # A kernelspec removed after its kernel started has none: its name then.
        name = await kernelspec_field(self.kernel_spec_manager, kernel_name, "display_name")
        return str(name or kernel_name)
