"""One reading of every GPU through NVML (nvidia-ml-py), tolerant of what a driver lacks.

Everything here blocks and may hang with a broken driver: :class:`GpuWatch` in ``sampler.py``
runs it on a thread of its own, never on the event loop. A value NVML cannot give is ``None``,
with the reason in ``unavailable`` (a MIG GPU's utilisation, a function an older driver lacks,
a failing call), so one missing value never hides the others.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import pynvml

from ..core.nvml import driver_failure, nvml_text, start_driver, stop_driver

T = TypeVar("T")


@dataclass
class MigReading:
    """One MIG instance of a GPU split by MIG: its own memory and UUID.

    NVML reports no utilisation, temperature or power for an instance; ``unavailable`` says so.
    """

    index: int  # its MIG device index on the parent GPU
    name: str
    uuid: str
    memory_used_bytes: int | None = None
    memory_total_bytes: int | None = None
    utilization_percent: int | None = None
    gpu_instance_id: int | None = None
    compute_instance_id: int | None = None
    unavailable: dict[str, str] = field(default_factory=dict)


@dataclass
class GpuReading:
    """What NVML said about one GPU at one moment."""

    index: int
    name: str
    uuid: str
    memory_used_bytes: int | None = None
    memory_total_bytes: int | None = None
    utilization_percent: int | None = None
    memory_utilization_percent: int | None = None
    temperature_c: int | None = None
    power_w: float | None = None
    power_limit_w: float | None = None
    mig_enabled: bool | None = None
    pcie_tx_kbps: int | None = None
    pcie_rx_kbps: int | None = None
    #: The MIG instances while MIG is enabled (else empty; why, when NVML could not list them,
    #: is in ``unavailable["mig_devices"]``).
    mig_devices: list[MigReading] = field(default_factory=list)
    #: Field name to why NVML could not give it.
    unavailable: dict[str, str] = field(default_factory=dict)


@dataclass
class GpuProcess:
    """A compute process holding memory on a GPU, as NVML lists it."""

    gpu_index: int
    pid: int
    used_bytes: int | None
    #: The MIG instance it runs on (its MIG device index), on a GPU in MIG mode.
    mig_index: int | None = None


@dataclass
class DriverReading:
    """A whole reading: the state of the driver, and the GPUs and processes when it answered."""

    state: str  # "ok", "no_driver", "no_gpu", "driver_error"
    message: str | None = None
    driver_version: str | None = None
    devices: list[GpuReading] = field(default_factory=list)
    processes: list[GpuProcess] = field(default_factory=list)


def why_unavailable(error: pynvml.NVMLError) -> str:
    """A short reason a person understands for a value NVML did not give."""
    if isinstance(error, pynvml.NVMLError_NotSupported):
        return "not supported on this GPU"
    if isinstance(error, pynvml.NVMLError_FunctionNotFound):
        return "this NVIDIA driver does not provide it"
    if isinstance(error, pynvml.NVMLError_NoPermission):
        return "no permission to read it"
    return f"the driver failed to report it ({error})"


class _Fields:
    """Reads optional values of one GPU, noting why each missing one is missing."""

    def __init__(self, reading: GpuReading | MigReading) -> None:
        self.reading = reading

    def get(self, names: tuple[str, ...], read: Callable[[], T]) -> T | None:
        try:
            return read()
        except pynvml.NVMLError as error:
            for name in names:
                self.reading.unavailable[name] = why_unavailable(error)
            return None


def _read_memory(fields: _Fields, reading: GpuReading | MigReading, handle: Any) -> None:
    """Memory used and total, for a whole GPU or one MIG instance alike."""
    memory: Any = fields.get(
        ("memory_used_bytes", "memory_total_bytes"), lambda: pynvml.nvmlDeviceGetMemoryInfo(handle)
    )
    if memory is not None:
        reading.memory_used_bytes, reading.memory_total_bytes = int(memory.used), int(memory.total)


def _read_device(index: int, mig_processes: dict[int, list[GpuProcess] | None]) -> GpuReading:
    """One GPU; the processes of its MIG instances, if it has any, go into ``mig_processes``."""
    handle = pynvml.nvmlDeviceGetHandleByIndex(index)
    reading = GpuReading(
        index=index,
        name=nvml_text(pynvml.nvmlDeviceGetName(handle)),
        uuid=nvml_text(pynvml.nvmlDeviceGetUUID(handle)),
    )
    fields = _Fields(reading)
    _read_memory(fields, reading, handle)
    mig: Any = fields.get(("mig_enabled",), lambda: pynvml.nvmlDeviceGetMigMode(handle))
    if mig is not None:
        reading.mig_enabled = bool(mig[0])
    if reading.mig_enabled:
        mig_processes[index] = _read_mig_devices(handle, reading)
    rates: Any = fields.get(
        ("utilization_percent", "memory_utilization_percent"),
        lambda: pynvml.nvmlDeviceGetUtilizationRates(handle),
    )
    if rates is not None:
        reading.utilization_percent = int(rates.gpu)
        reading.memory_utilization_percent = int(rates.memory)
    elif reading.mig_enabled:
        # NVML never reports utilisation of a whole GPU split into MIG instances.
        for name in ("utilization_percent", "memory_utilization_percent"):
            reading.unavailable[name] = "not reported while MIG is enabled"
    reading.temperature_c = fields.get(
        ("temperature_c",),
        lambda: int(pynvml.nvmlDeviceGetTemperature(handle, pynvml.NVML_TEMPERATURE_GPU)),
    )
    reading.power_w = fields.get(
        ("power_w",), lambda: pynvml.nvmlDeviceGetPowerUsage(handle) / 1000
    )
    reading.power_limit_w = fields.get(
        ("power_limit_w",), lambda: pynvml.nvmlDeviceGetEnforcedPowerLimit(handle) / 1000
    )
    # PCIe counters are optional: many drivers and all MIG set-ups lack them.
    reading.pcie_tx_kbps = fields.get(
        ("pcie_tx_kbps",),
        lambda: int(pynvml.nvmlDeviceGetPcieThroughput(handle, pynvml.NVML_PCIE_UTIL_TX_BYTES)),
    )
    if "pcie_tx_kbps" in reading.unavailable:
        reading.unavailable["pcie_rx_kbps"] = reading.unavailable["pcie_tx_kbps"]
    else:
        reading.pcie_rx_kbps = fields.get(
            ("pcie_rx_kbps",),
            lambda: int(pynvml.nvmlDeviceGetPcieThroughput(handle, pynvml.NVML_PCIE_UTIL_RX_BYTES)),
        )
    return reading


def _read_mig_device(index: int, handle: Any) -> MigReading:
    reading = MigReading(
        index=index,
        name=nvml_text(pynvml.nvmlDeviceGetName(handle)),
        uuid=nvml_text(pynvml.nvmlDeviceGetUUID(handle)),
    )
    fields = _Fields(reading)
    _read_memory(fields, reading, handle)
    rates: Any = fields.get(
        ("utilization_percent",), lambda: pynvml.nvmlDeviceGetUtilizationRates(handle)
    )
    if rates is not None:  # no driver reports it today; show it if one ever does
        reading.utilization_percent = int(rates.gpu)
    elif reading.unavailable.get("utilization_percent") == "not supported on this GPU":
        reading.unavailable["utilization_percent"] = "not supported on a MIG instance"
    reading.gpu_instance_id = fields.get(
        ("gpu_instance_id",), lambda: int(pynvml.nvmlDeviceGetGpuInstanceId(handle))
    )
    reading.compute_instance_id = fields.get(
        ("compute_instance_id",), lambda: int(pynvml.nvmlDeviceGetComputeInstanceId(handle))
    )
    return reading


def _read_mig_devices(parent: Any, reading: GpuReading) -> list[GpuProcess] | None:
    """The MIG instances of a GPU in MIG mode, and the processes on each.

    A failure is noted, never raised. The processes come from each instance's own handle: NVML
    lists a MIG GPU's processes on the parent only for privileged callers. None when no
    instance could be asked (then the parent's list is all there is).
    """
    processes: list[GpuProcess] = []
    asked = False
    try:
        slots = int(pynvml.nvmlDeviceGetMaxMigDeviceCount(parent))
        for slot in range(slots):
            try:
                handle = pynvml.nvmlDeviceGetMigDeviceHandleByIndex(parent, slot)
            except pynvml.NVMLError_NotFound:
                continue  # an empty slot: no instance was created there
            instance = _read_mig_device(slot, handle)
            reading.mig_devices.append(instance)
            try:
                processes += _processes_of(handle, reading.index, slot)
                asked = True
            except pynvml.NVMLError as error:
                instance.unavailable["processes"] = why_unavailable(error)
    except pynvml.NVMLError as error:
        reading.unavailable["mig_devices"] = why_unavailable(error)
    return processes if asked else None


def _processes_of(handle: Any, gpu_index: int, mig_index: int | None) -> list[GpuProcess]:
    found = []
    for info in pynvml.nvmlDeviceGetComputeRunningProcesses(handle):
        used = getattr(info, "usedGpuMemory", None)
        found.append(GpuProcess(gpu_index, int(info.pid), used, mig_index))
    return found


def _read_processes(index: int) -> list[GpuProcess]:
    return _processes_of(pynvml.nvmlDeviceGetHandleByIndex(index), index, None)


class NvmlSession:
    """NVML kept initialised while the monitor is watched (init is slow on real hardware).

    Used from one thread only; starting and stopping go through :mod:`colab_ext.core.nvml`,
    which guards them against the other features' threads.
    """

    def __init__(self) -> None:
        self.initialised = False

    def open(self) -> DriverReading | None:
        """Initialise NVML if needed; a reading that says why when it cannot be."""
        if self.initialised:
            return None
        problem = start_driver()
        if problem is not None:
            return DriverReading(problem.state, problem.message)
        self.initialised = True
        return None

    def close(self) -> None:
        """Release NVML (when nobody watches any more)."""
        if not self.initialised:
            return
        self.initialised = False
        stop_driver()

    def read(self) -> DriverReading:
        """Every GPU and its compute processes, or the state that explains why not."""
        problem = self.open()
        if problem is not None:
            return problem
        try:
            version = nvml_text(pynvml.nvmlSystemGetDriverVersion())
            count = pynvml.nvmlDeviceGetCount()
            mig_processes: dict[int, list[GpuProcess] | None] = {}
            devices = [_read_device(index, mig_processes) for index in range(count)]
        except pynvml.NVMLError as error:
            # A driver that fails here may be recovering (GPU lost, reset): start afresh next time.
            self.close()
            return DriverReading("driver_error", driver_failure(error))
        if not devices:
            return DriverReading(
                "no_gpu", "The NVIDIA driver is loaded but sees no GPU.", driver_version=version
            )
        processes: list[GpuProcess] = []
        problems = []
        for device in devices:
            on_instances = mig_processes.get(device.index)
            if on_instances is not None:
                processes += on_instances  # each with its instance (the parent lists the same)
                continue
            try:
                processes += _read_processes(device.index)
            except pynvml.NVMLError as error:
                problems.append(f"GPU {device.index}: {why_unavailable(error)}")
        message = "Processes could not be listed on " + "; ".join(problems) if problems else None
        return DriverReading("ok", message, version, devices, processes)
