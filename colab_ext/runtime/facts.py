"""Facts about this runtime, read from the system each time they are asked for."""

from __future__ import annotations

import os
import platform
import sys
import time
from dataclasses import asdict
from importlib.metadata import PackageNotFoundError, version
from typing import Any

import psutil

from ..core.blocking import call_with_deadline
from ..core.errors import Unavailable
from ..core.nvml import probe_gpus


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
        self,
        kernel_manager: Any,
        session_manager: Any,
        kernel_spec_manager: Any,
        nvml_timeout: float,
    ) -> None:
        self.kernel_manager = kernel_manager
        self.nvml_timeout = nvml_timeout
        self.session_manager = session_manager
        self.kernel_spec_manager = kernel_spec_manager

    async def about(self) -> dict[str, Any]:
        """The whole "About this runtime" payload (see ``openapi.yaml``: ``AboutRuntime``)."""
        try:
            gpu = asdict(
                await call_with_deadline("The NVIDIA driver", probe_gpus, self.nvml_timeout)
            )
        except Unavailable as error:
            gpu = {
                "driver_present": False,
                "driver_version": None,
                "gpu_names": [],
                "problem": str(error),
            }
        gpu["gpu_count"] = len(gpu["gpu_names"])
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
        }

    async def _kernels(self) -> list[dict[str, Any]]:
        notebook_of = {
            session["kernel"]["id"]: session.get("path")
            for session in await self.session_manager.list_sessions()
            if session.get("kernel")
        }
        kernels = []
        for model in self.kernel_manager.list_kernels():
            kernels.append(
                {
                    "id": model["id"],
                    "name": model["name"],
                    "display_name": self._display_name(model["name"]),
                    "execution_state": model.get("execution_state"),
                    "last_activity": model.get("last_activity"),
                    "connections": model.get("connections", 0),
                    "notebook_path": notebook_of.get(model["id"]),
                }
            )
        return kernels

    def _display_name(self, kernel_name: str) -> str:
        try:
            return str(self.kernel_spec_manager.get_kernel_spec(kernel_name).display_name)
        except Exception:  # a kernelspec removed after its kernel started
            return kernel_name
