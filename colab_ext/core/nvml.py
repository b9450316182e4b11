"""The one adapter to the NVIDIA driver through NVML (nvidia-ml-py): starting and stopping it, and
the words every feature uses for a driver that is missing, not loaded, or failing.

These functions block and may hang with a broken driver: call them off the event loop (through
:func:`colab_ext.core.blocking.call_with_deadline`, or a thread of their own). The resources
feature samples much more (utilisation, power, processes) through the same start and stop; this
module also reads the inventory every feature may need (About, the runtime-type picker).
"""

from __future__ import annotations

import contextlib
import threading
from dataclasses import dataclass, field

import pynvml

from .blocking import call_with_deadline
from .errors import Unavailable

# NVML's init/shutdown are reference counted, but pynvml's module state is not thread safe.
# Reentrant: the inventory probe holds it across its whole look, start and stop included.
nvml_lock = threading.RLock()


@dataclass(frozen=True)
class DriverProblem:
    """Why NVML could not be started, as a state and in words a person can act on."""

    state: str  # "no_driver" (none installed, or not loaded) or "driver_error"
    message: str


def start_driver() -> DriverProblem | None:
    """Initialise NVML; the problem when it cannot be (every caller says it the same way)."""
    with nvml_lock:
        try:
            pynvml.nvmlInit()
        except pynvml.NVMLError_LibraryNotFound:
            return DriverProblem("no_driver", "No NVIDIA driver is installed.")
        except pynvml.NVMLError_DriverNotLoaded as error:
            # NVML's own words ("Driver Not Loaded") kept: they are what its documentation names.
            return DriverProblem(
                "no_driver", f"The NVIDIA driver is installed but not loaded ({error})."
            )
        except pynvml.NVMLError as error:
            return DriverProblem(
                "driver_error",
                f"The NVIDIA driver did not start: {error}. Check it with nvidia-smi on the "
                "server.",
            )
    return None


def stop_driver() -> None:
    """Release NVML. A driver that fails even this leaves nothing for the caller to do."""
    with nvml_lock, contextlib.suppress(pynvml.NVMLError):
        pynvml.nvmlShutdown()


def driver_failure(error: pynvml.NVMLError) -> str:
    """What to say when a started driver fails to answer (a lost GPU, a reset)."""
    return (
        f"The NVIDIA driver failed to answer: {error}. Check the GPUs with nvidia-smi on the "
        "server."
    )


def nvml_text(value: bytes | str) -> str:
    """A string NVML returns: bytes from older bindings, str from newer ones."""
    return value.decode() if isinstance(value, bytes) else value


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
        name=nvml_text(pynvml.nvmlDeviceGetName(handle)),
        uuid=nvml_text(pynvml.nvmlDeviceGetUUID(handle)),
        memory_total_bytes=total,
        memory_used_bytes=used,
    )


def probe_gpus() -> GpuProbe:
    """Ask NVML whether a driver is loaded and which GPUs it sees."""
    with nvml_lock:
        problem = start_driver()
        if problem is not None:
            return GpuProbe(driver_present=False, problem=problem.message)
        try:
            version = nvml_text(pynvml.nvmlSystemGetDriverVersion())
            devices = [_device(index) for index in range(pynvml.nvmlDeviceGetCount())]
            return GpuProbe(driver_present=True, driver_version=version, devices=devices)
        except pynvml.NVMLError as error:
            return GpuProbe(driver_present=True, problem=driver_failure(error))
        finally:
            stop_driver()


async def probe_gpus_within(timeout: float) -> GpuProbe:
    """:func:`probe_gpus` off the event loop; a driver slower than ``timeout`` is a problem."""
    try:
        return await call_with_deadline("The NVIDIA driver", probe_gpus, timeout)
    except Unavailable as error:
        return GpuProbe(driver_present=False, problem=str(error))
