"""The stand-in NVML library answers the real bindings the way a driver does."""

from __future__ import annotations

from typing import Any

import pynvml
import pytest


def test_devices_memory_processes_and_mig(nvml: Any) -> None:
    nvml(
        gpus=[
            {
                "name": "NVIDIA H100 80GB HBM3",
                "uuid": "GPU-aaaa",
                "mem_total": 80 << 30,
                "mem_used": 12 << 30,
                "util": 37,
                "temp": 51,
                "power": 250000,
            },
            {"name": "NVIDIA A100-SXM4-40GB", "mig": 1},
        ],
        procs=[(0, 4242, 11 << 30)],
    )
    pynvml.nvmlInit()
    try:
        assert pynvml.nvmlDeviceGetCount() == 2
        h100 = pynvml.nvmlDeviceGetHandleByIndex(0)
        assert pynvml.nvmlDeviceGetUUID(h100) == "GPU-aaaa"
        memory = pynvml.nvmlDeviceGetMemoryInfo(h100)
        assert (memory.total, memory.used, memory.free) == (80 << 30, 12 << 30, 68 << 30)
        assert pynvml.nvmlDeviceGetUtilizationRates(h100).gpu == 37
        assert pynvml.nvmlDeviceGetTemperature(h100, pynvml.NVML_TEMPERATURE_GPU) == 51
        assert pynvml.nvmlDeviceGetPowerUsage(h100) == 250000
        [process] = pynvml.nvmlDeviceGetComputeRunningProcesses(h100)
        assert (process.pid, process.usedGpuMemory) == (4242, 11 << 30)
        a100 = pynvml.nvmlDeviceGetHandleByUUID(
            pynvml.nvmlDeviceGetUUID(pynvml.nvmlDeviceGetHandleByIndex(1))
        )
        assert pynvml.nvmlDeviceGetMigMode(a100) == [1, 1]
        with pytest.raises(pynvml.NVMLError_NotSupported):
            pynvml.nvmlDeviceGetUtilizationRates(a100)
        assert pynvml.nvmlDeviceGetComputeRunningProcesses(a100) == []
    finally:
        pynvml.nvmlShutdown()


def test_mig_instances(nvml: Any) -> None:
    nvml(
        gpus=["NVIDIA H100 80GB HBM3", {"name": "NVIDIA A100-SXM4-40GB", "mig": 1}],
        migs=[
            {"gpu": 1, "uuid": "MIG-one", "mem_total": 20 << 30, "mem_used": 3 << 30, "gi": 2},
            {"gpu": 1, "slot": 4, "uuid": "MIG-two", "gi": 7, "ci": 1},
        ],
    )
    pynvml.nvmlInit()
    try:
        plain, split = (pynvml.nvmlDeviceGetHandleByIndex(i) for i in (0, 1))
        assert pynvml.nvmlDeviceGetMaxMigDeviceCount(plain) == 0  # MIG off: zero, as NVML says
        assert pynvml.nvmlDeviceGetMaxMigDeviceCount(split) == 7
        one = pynvml.nvmlDeviceGetMigDeviceHandleByIndex(split, 0)
        assert pynvml.nvmlDeviceGetUUID(one) == "MIG-one"
        memory = pynvml.nvmlDeviceGetMemoryInfo(one)
        assert (memory.total, memory.used) == (20 << 30, 3 << 30)
        assert pynvml.nvmlDeviceGetGpuInstanceId(one) == 2
        assert pynvml.nvmlDeviceIsMigDeviceHandle(one).value == 1
        with pytest.raises(pynvml.NVMLError_NotFound):
            pynvml.nvmlDeviceGetMigDeviceHandleByIndex(split, 1)  # an empty slot
        two = pynvml.nvmlDeviceGetMigDeviceHandleByIndex(split, 4)
        assert pynvml.nvmlDeviceGetComputeInstanceId(two) == 1
        for unsupported in (
            lambda: pynvml.nvmlDeviceGetUtilizationRates(two),
            lambda: pynvml.nvmlDeviceGetTemperature(two, pynvml.NVML_TEMPERATURE_GPU),
            lambda: pynvml.nvmlDeviceGetPowerUsage(two),
        ):
            with pytest.raises(pynvml.NVMLError_NotSupported):
                unsupported()
        with pytest.raises(pynvml.NVMLError_InvalidArgument):
            pynvml.nvmlDeviceGetMigDeviceHandleByIndex(plain, 0)
    finally:
        pynvml.nvmlShutdown()


def test_injected_failures_and_missing_functions(nvml: Any) -> None:
    nvml(gpus=["x"], fail={"nvmlDeviceGetTemperature": 3, "nvmlDeviceGetPowerUsage": 15})
    pynvml.nvmlInit()
    try:
        handle = pynvml.nvmlDeviceGetHandleByIndex(0)
        with pytest.raises(pynvml.NVMLError_NotSupported):
            pynvml.nvmlDeviceGetTemperature(handle, pynvml.NVML_TEMPERATURE_GPU)
        with pytest.raises(pynvml.NVMLError_GpuIsLost):
            pynvml.nvmlDeviceGetPowerUsage(handle)
        # An optional function this "driver" lacks, as older drivers do.
        with pytest.raises(pynvml.NVMLError_FunctionNotFound):
            pynvml.nvmlDeviceGetNvLinkState(handle, 0)
    finally:
        pynvml.nvmlShutdown()


def test_config_changes_reach_a_running_session(nvml: Any) -> None:
    nvml(gpus=["x"])
    pynvml.nvmlInit()
    try:
        handle = pynvml.nvmlDeviceGetHandleByIndex(0)
        assert pynvml.nvmlDeviceGetComputeRunningProcesses(handle) == []
        nvml(gpus=["x"], procs=[(0, 77, 1 << 30)])  # a process starts while NVML is open
        [process] = pynvml.nvmlDeviceGetComputeRunningProcesses(handle)
        assert process.pid == 77
    finally:
        pynvml.nvmlShutdown()
