"""Which GPU(s) a notebook gets.

"Any free GPU" spreads notebooks by load: fewest runtimes first, then most free memory, then the
lowest index (so the choice is stable). The load is read from the kernels themselves (each local
kernel's ``CUDA_VISIBLE_DEVICES`` in ``/proc``), so kernels started before a server restart count
too. With exclusive GPUs (``c.ColabExt.gpu_exclusive``) a GPU held by another runtime is not
offered.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from ..core.errors import BadRequest, Conflict
from ..core.nvml import GpuDevice
from .metadata import same_model


@dataclass(frozen=True)
class GpuLoad:
    """One GPU with the runtimes placed on it."""

    device: GpuDevice
    runtimes: int

    @property
    def memory_free_bytes(self) -> int | None:
        total, used = self.device.memory_total_bytes, self.device.memory_used_bytes
        return None if total is None or used is None else max(total - used, 0)


def visible_gpus(value: str | None, devices: Sequence[GpuDevice]) -> list[GpuDevice]:
    """The GPUs a ``CUDA_VISIBLE_DEVICES`` value names (UUIDs or indices); [] for none."""
    if value is None:
        return []
    by_uuid = {device.uuid: device for device in devices}
    by_index = {str(device.index): device for device in devices}
    found = []
    for item in (part.strip() for part in value.split(",")):
        device = by_uuid.get(item) or by_index.get(item)
        if device is None:
            break  # CUDA stops at the first entry it cannot resolve
        found.append(device)
    return found


def gpu_loads(
    devices: Sequence[GpuDevice], environments: Iterable[Mapping[str, str]]
) -> list[GpuLoad]:
    """How many kernel environments name each GPU in ``CUDA_VISIBLE_DEVICES``.

    A kernel with no ``CUDA_VISIBLE_DEVICES`` at all sees every GPU but was never placed, so it
    is not counted: it is the server's default runtime, not a GPU runtime.
    """
    counts = {device.uuid: 0 for device in devices}
    for environment in environments:
        for device in visible_gpus(environment.get("CUDA_VISIBLE_DEVICES"), devices):
            counts[device.uuid] += 1
    return [GpuLoad(device, counts[device.uuid]) for device in devices]


def _order(load: GpuLoad) -> tuple[int, int, int]:
    return (load.runtimes, -(load.memory_free_bytes or 0), load.device.index)


def choose_gpus(
    loads: Sequence[GpuLoad],
    count: int,
    *,
    exclusive: bool,
    wanted: Sequence[str] = (),
    prefer_model: str | None = None,
) -> list[GpuDevice]:
    """Pick ``count`` GPUs: the ones ``wanted`` (UUIDs or indices) or the least loaded.

    Raises :class:`BadRequest` for a GPU that does not exist and :class:`Conflict` when the
    server cannot give what is asked (too few GPUs, or exclusive ones all taken).
    """
    if not loads:
        raise Conflict("This server has no GPU that its NVIDIA driver lists.")
    free = [load for load in loads if not (exclusive and load.runtimes)]
    if wanted:
        chosen = []
        for item in wanted:
            load = next((x for x in loads if item in (x.device.uuid, str(x.device.index))), None)
            if load is None:
                raise BadRequest(f"There is no GPU {item!r} on this server.")
            if load.device in chosen:
                # By index and by UUID alike: CUDA_VISIBLE_DEVICES=A,A is one GPU, not two.
                raise BadRequest(
                    f"GPU {load.device.index} ({load.device.name}) is picked more than once "
                    f"({item!r}); pick each GPU once."
                )
            if load not in free:
                raise Conflict(
                    f"GPU {load.device.index} ({load.device.name}) is in use by another "
                    "runtime, and GPUs are exclusive on this server. Pick another GPU or "
                    "'Any free GPU'."
                )
            chosen.append(load.device)
        if len(chosen) != count:
            raise BadRequest(f"This runtime type takes {count} GPU(s); {len(chosen)} were picked.")
        return chosen
    if len(free) < count:
        held = len(loads) - len(free)
        raise Conflict(
            f"This runtime type needs {count} GPU(s) but only {len(free)} of {len(loads)} "
            f"are free ({held} held by other runtimes; GPUs are exclusive on this server)."
            if exclusive
            else f"This runtime type needs {count} GPU(s); this server has {len(loads)}."
        )
    ranked = sorted(free, key=_order)
    if prefer_model:
        # A Colab notebook asking for a "T4" gets one if there is a free one, else any GPU.
        ranked.sort(key=lambda load: not same_model(prefer_model, load.device.name))
    return [load.device for load in ranked[:count]]
