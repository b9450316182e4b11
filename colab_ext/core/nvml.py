"""A short, safe look at the NVIDIA driver through NVML (nvidia-ml-py).

These functions block and may hang with a broken driver: call them through
:func:`colab_ext.core.blocking.call_with_deadline`, never on the event loop. The resources
feature samples much more (utilisation, power, processes); this is the inventory every feature
may need (About, the runtime-type picker).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import pynvml

# NVML's init/shutdown are reference counted, but pynvml's module state is not thread safe.
nvml_lock = threading.Lock()


@dataclass
class GpuDevice:
    """One GPU as the driver lists it."""

    index: int
    name: str
    uuid: str
    memory_total_bytes: int | None
    memory_used_bytes: int | None


@dataclass
class GpuProbe:
    """What the driver says, or why it could not be asked."""

    driver_present: bool
    driver_version: str | None = None
    devices: list[GpuDevice] = field(default_factory=list)
    problem: str | None = None

    @property
    def gpu_names(self) -> list[str]:
        return [device.name for device in self.devices]


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


def _device(index: int) -> GpuDevice:
    handle = pynvml.nvmlDeviceGetHandleByIndex(index)
    total: int | None
    used: int | None
    try:
        memory = pynvml.nvmlDeviceGetMemoryInfo(handle)
        total, used = int(memory.total), int(memory.used)
    except pynvml.NVMLError:  # e.g. "not supported" on some MIG set-ups: still list the GPU
        total = used = None
    return GpuDevice(
        index=index,
        name=_text(pynvml.nvmlDeviceGetName(handle)),
        uuid=_text(pynvml.nvmlDeviceGetUUID(handle)),
        memory_total_bytes=total,
        memory_used_bytes=used,
    )


def probe_gpus() -> GpuProbe:
    """Ask NVML whether a driver is loaded and which GPUs it sees."""
    with nvml_lock:
        try:
            pynvml.nvmlInit()
        except pynvml.NVMLError_LibraryNotFound:
            return GpuProbe(driver_present=False, problem="No NVIDIA driver is installed.")
        except pynvml.NVMLError as error:
            return GpuProbe(
                driver_present=False, problem=f"The NVIDIA driver did not start: {error}."
            )
        try:
            version = _text(pynvml.nvmlSystemGetDriverVersion())
            devices = [_device(index) for index in range(pynvml.nvmlDeviceGetCount())]
            return GpuProbe(driver_present=True, driver_version=version, devices=devices)
        except pynvml.NVMLError as error:
            return GpuProbe(
                driver_present=True, problem=f"The NVIDIA driver failed to answer: {error}."
            )
        finally:
            pynvml.nvmlShutdown()
