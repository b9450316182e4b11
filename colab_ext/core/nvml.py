"""A short, safe look at the NVIDIA driver through NVML (nvidia-ml-py).

These functions block and may hang with a broken driver: call them through
:func:`colab_ext.core.blocking.call_with_deadline`, never on the event loop.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import pynvml

# NVML's init/shutdown are reference counted, but pynvml's module state is not thread safe.
_lock = threading.Lock()


@dataclass
class GpuProbe:
    """What the driver says, or why it could not be asked."""

    driver_present: bool
    driver_version: str | None = None
    gpu_names: list[str] = field(default_factory=list)
    problem: str | None = None

    @property
    def gpu_count(self) -> int:
        return len(self.gpu_names)


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


def probe_gpus() -> GpuProbe:
    """Ask NVML whether a driver is loaded and which GPUs it sees."""
    with _lock:
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
            count = pynvml.nvmlDeviceGetCount()
            names = [
                _text(pynvml.nvmlDeviceGetName(pynvml.nvmlDeviceGetHandleByIndex(index)))
                for index in range(count)
            ]
            return GpuProbe(driver_present=True, driver_version=version, gpu_names=names)
        except pynvml.NVMLError as error:
            return GpuProbe(
                driver_present=True, problem=f"The NVIDIA driver failed to answer: {error}."
            )
        finally:
            pynvml.nvmlShutdown()
