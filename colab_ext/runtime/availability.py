"""Which runtime types this server can give now, and why not: the view the type picker shows.

It reads the driver's GPUs, the load the kernels put on each (their environments) and the
installed kernelspecs; :class:`~colab_ext.runtime.switcher.RuntimeSwitcher` asks it the same
questions before it places a kernel, so the picker and a switch never disagree.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Sequence
from typing import Any

from jupyter_core.utils import ensure_async

from ..core.nvml import GpuDevice, GpuProbe, probe_gpus_within
from .kernels import KernelDirectory
from .metadata import short_gpu_name
from .placement import GpuLoad, gpu_loads
from .types import RuntimeType, TypeCatalogue, tpu_devices


def gpu_json(device: GpuDevice) -> dict[str, Any]:
    """A GPU as the runtime routes name it (``RuntimeGpu`` in ``openapi.yaml``)."""
    return {
        "index": device.index,
        "name": device.name,
        "short_name": short_gpu_name(device.name),
        "uuid": device.uuid,
    }


async def kernelspec_field(kernel_spec_manager: Any, kernel_name: str, field: str) -> Any:
    """A field of a kernelspec (``language``, ``display_name``), None when there is no such
    kernelspec. The spec manager answers a ``KernelSpec`` here; on a gateway, a coroutine of the
    JSON model (``{"name", "spec": {...}}``), or with Enterprise Gateway 3.3 the whole listing
    (``{"default", "kernelspecs": {name: model}}``), seen on this machine."""
    try:
        spec = await ensure_async(kernel_spec_manager.get_kernel_spec(kernel_name))
    except Exception:  # not installed, removed since, or the gateway did not answer
        return None
    if not isinstance(spec, dict):
        return getattr(spec, field, None)
    if "kernelspecs" in spec:
        spec = spec["kernelspecs"].get(kernel_name) or {}
    return (spec.get("spec") or {}).get(field)


class RuntimeAvailability:
    """Tells, for each runtime type, whether it can be given now, and the GPUs with their load."""

    def __init__(
        self,
        kernels: KernelDirectory,
        catalogue: TypeCatalogue,
        *,
        kernel_spec_manager: Any,
        exclusive: bool,
        nvml_timeout: float,
    ) -> None:
        self.kernels = kernels
        self.catalogue = catalogue
        self.kernel_spec_manager = kernel_spec_manager
        self.exclusive = exclusive
        self.nvml_timeout = nvml_timeout
        self.log = logging.getLogger(__name__)

    async def probe(self) -> GpuProbe:
        """The driver's GPU list, or an empty one with the reason."""
        if self.kernels.is_remote:
            return GpuProbe(driver_present=False, problem="Kernels run on a cluster gateway.")
        return await probe_gpus_within(self.nvml_timeout)

    def loads(self, probe: GpuProbe, exclude: str | None) -> list[GpuLoad]:
        """Each GPU with the runtimes on it, ``exclude``'s kernel left out."""
        if not probe.devices:
            return []
        # The planned environments: a kernel whose type was just changed counts where it goes,
        # even before the restart that moves it there.
        environments = self.kernels.local_environments(exclude=exclude, planned=True)
        return gpu_loads(probe.devices, environments)

    def unavailable_reason(
        self,
        runtime_type: RuntimeType,
        probe: GpuProbe,
        loads: Sequence[GpuLoad],
        kernelspecs: Collection[str] | None,
    ) -> str | None:
        """Why ``runtime_type`` cannot be given now; None when it can. ``kernelspecs``: what
        :meth:`kernelspecs` answered."""
        if (
            runtime_type.kernelspec
            and kernelspecs is not None
            and runtime_type.kernelspec not in kernelspecs
        ):
            if self.kernels.is_remote:
                return f"The gateway has no kernel '{runtime_type.kernelspec}'."
            return f"The kernel '{runtime_type.kernelspec}' is not installed on this server."
        if self.kernels.is_remote:
            return None  # the cluster decides what it can give
        if runtime_type.accelerator == "tpu" and not tpu_devices():
            return "This server has no TPU (no /dev/accel* or /dev/vfio device)."
        if runtime_type.accelerator == "gpu":
            if not probe.devices:
                return probe.problem or "This server has no GPU that its NVIDIA driver lists."
            free = [load for load in loads if not (self.exclusive and load.runtimes)]
            if len(probe.devices) < runtime_type.gpus:
                return f"Needs {runtime_type.gpus} GPUs; this server has {len(probe.devices)}."
            if len(free) < runtime_type.gpus:
                return "Every GPU is in use by another runtime (GPUs are exclusive here)."
        return None

    async def language_of(self, kernel_name: str) -> str | None:
        """The language of a kernelspec (the gateway's when kernels run on one), None if unknown."""
        language = await kernelspec_field(self.kernel_spec_manager, kernel_name, "language")
        return str(language) if language else None

    async def kernelspecs(self) -> set[str] | None:
        """The kernelspecs kernels can start with: the gateway's when kernels run on one (its
        spec manager's ``find_kernel_specs`` would look at this server's disk). None when they
        cannot be listed now: no type is refused for that."""
        try:
            if self.kernels.is_remote:
                return set(await ensure_async(self.kernel_spec_manager.get_all_specs()))
            return set(self.kernel_spec_manager.find_kernel_specs())
        except Exception as error:
            self.log.warning("colab-ext: the kernelspecs could not be listed: %s", error)
            return None

    async def view(self, kernel_id: str | None = None) -> dict[str, Any]:
        """Every type with whether it can be given now, and the GPUs with their load
        (``RuntimeTypes`` in ``openapi.yaml``)."""
        probe = await self.probe()
        loads = self.loads(probe, exclude=kernel_id)
        kernelspecs = await self.kernelspecs()
        types = []
        for runtime_type in self.catalogue.types:
            reason = self.unavailable_reason(runtime_type, probe, loads, kernelspecs)
            types.append(
                {
                    "id": runtime_type.id,
                    "label": runtime_type.label,
                    "accelerator": runtime_type.accelerator,
                    "gpus": runtime_type.gpus,
                    "description": runtime_type.description,
                    "builtin": runtime_type.builtin,
                    "available": reason is None,
                    "reason": reason,
                }
            )
        gpus = [
            {
                **gpu_json(load.device),
                "memory_total_bytes": load.device.memory_total_bytes,
                "memory_free_bytes": load.memory_free_bytes,
                "runtimes": load.runtimes,
                "available": not (self.exclusive and load.runtimes),
            }
            for load in loads
        ]
        return {
            "types": types,
            "gpus": gpus,
            "gpu_problem": probe.problem if not self.kernels.is_remote else None,
            "exclusive": self.exclusive,
            "gateway": self.kernels.is_remote,
        }
