"""Every state of the NVIDIA driver answers as designed: a clear state, never a 500."""

from __future__ import annotations

import asyncio
import json
import logging
import threading
import time
from typing import Any

import jsonschema
import pytest

from tests.core.test_openapi import load_spec, schema_of


async def gpu_state(get_resources: Any) -> dict[str, Any]:
    resources = await get_resources()
    jsonschema.validate(resources, schema_of(load_spec(), "Resources"))
    return resources["gpu"]


async def test_no_driver(nvml: Any, get_resources: Any) -> None:
    nvml(init=9)  # NVML_ERROR_DRIVER_NOT_LOADED
    gpu = await gpu_state(get_resources)
    assert gpu["state"] == "no_driver"
    assert "not loaded" in gpu["message"]
    assert gpu["devices"] == [] and gpu["holders"] == []


async def test_driver_without_gpus(nvml: Any, get_resources: Any) -> None:
    nvml(gpus=[], driver="550.54.15")
    gpu = await gpu_state(get_resources)
    assert (gpu["state"], gpu["driver_version"]) == ("no_gpu", "550.54.15")
    assert "sees no GPU" in gpu["message"]


async def test_mig_gpu_reports_memory_and_says_why_utilisation_is_missing(
    nvml: Any, get_resources: Any
) -> None:
    nvml(gpus=[{"name": "NVIDIA A100-SXM4-40GB", "mig": 1, "mem_used": 3 << 30}])
    gpu = await gpu_state(get_resources)
    [device] = gpu["devices"]
    assert gpu["state"] == "ok"
    assert device["mig_enabled"] is True
    assert device["utilization_percent"] is None
    assert device["unavailable"]["utilization_percent"] == "not reported while MIG is enabled"
    assert device["memory_used_bytes"] == 3 << 30  # the rest is still reported
    assert device["temperature_c"] == 40


async def test_missing_optional_function_leaves_the_rest(nvml: Any, get_resources: Any) -> None:
    # The stand-in, like an older driver, has no PCIe throughput counters.
    nvml(gpus=[{"name": "x", "util": 55, "power": 120000, "power_limit": 300000}])
    [device] = (await gpu_state(get_resources))["devices"]
    assert device["pcie_tx_kbps"] is None and device["pcie_rx_kbps"] is None
    assert device["unavailable"]["pcie_tx_kbps"] == "this NVIDIA driver does not provide it"
    assert (device["utilization_percent"], device["power_w"], device["power_limit_w"]) == (
        55,
        120.0,
        300.0,
    )


async def test_one_failing_call_blanks_only_its_value(nvml: Any, get_resources: Any) -> None:
    nvml(gpus=["x"], fail={"nvmlDeviceGetTemperature": 999, "nvmlDeviceGetPowerUsage": 3})
    gpu = await gpu_state(get_resources)
    [device] = gpu["devices"]
    assert gpu["state"] == "ok"
    assert device["temperature_c"] is None
    assert device["unavailable"]["temperature_c"].startswith("the driver failed to report it")
    assert device["unavailable"]["power_w"] == "not supported on this GPU"
    assert device["memory_total_bytes"] == 16 << 30


@pytest.mark.parametrize(
    ("fail", "state", "words"),
    [
        ({"nvmlDeviceGetCount_v2": 15}, "driver_error", "GPU is lost"),
        ({"nvmlDeviceGetComputeRunningProcesses_v3": 999}, "ok", "Processes could not be listed"),
    ],
)
async def test_failing_essential_calls(
    nvml: Any, get_resources: Any, fail: dict[str, int], state: str, words: str
) -> None:
    nvml(gpus=["x"], fail=fail)
    gpu = await gpu_state(get_resources)
    assert gpu["state"] == state
    assert words in gpu["message"]


async def _worst_loop_stall(seconds: float) -> float:
    worst = 0.0
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        before = time.monotonic()
        await asyncio.sleep(0.01)
        worst = max(worst, time.monotonic() - before - 0.01)
    return worst


@pytest.fixture
def colab_config() -> dict[str, Any]:
    return {"nvml_timeout": 0.3, "resources_interval": 0.2}


async def test_slow_driver_leaves_the_event_loop_responsive(
    nvml: Any, get_resources: Any, jp_fetch: Any
) -> None:
    nvml(gpus=["Slow GPU"], delay_ms=250)  # every NVML call takes 250 ms; a reading ~14 calls
    gpu = await gpu_state(get_resources)
    # Answered at the deadline, not when the driver is done (~3.5 s): the reading is not in yet.
    # (No bound on the wall time: under load the answer itself can take seconds here.)
    assert gpu["state"] in ("pending", "slow") and not gpu["devices"]

    # While the driver grinds, the server answers other requests at once.
    stall = asyncio.ensure_future(_worst_loop_stall(2.0))
    for _ in range(10):
        request_started = time.monotonic()
        await jp_fetch("api", "status")
        assert time.monotonic() - request_started < 0.25
        await get_resources()
    assert await stall < 0.1

    # The reading lands in the end; the next one is late again, and the last answer is shown.
    deadline = time.monotonic() + 15
    seen = set()
    while not (gpu["devices"] and gpu["state"] == "slow") and time.monotonic() < deadline:
        await asyncio.sleep(0.1)
        gpu = await gpu_state(get_resources)
        seen.add(gpu["state"])
    assert [d["name"] for d in gpu["devices"]] == ["Slow GPU"]
    assert gpu["state"] == "slow" and "last answer" in gpu["message"]
    assert "ok" in seen  # between the answer landing and the next deadline passing
    # Never more than one reading in flight, however many ticks passed.
    assert sum(t.name == "colab-ext-nvml" for t in threading.enumerate()) <= 1


@pytest.mark.parametrize(
    "settings",
    [
        {"init": 9},
        {"gpus": [{"name": "A100", "mig": 1}]},
        {"gpus": ["x"], "fail": {"nvmlDeviceGetCount_v2": 15}},
        {"gpus": ["x"], "fail": {"nvmlDeviceGetTemperature": 999}},
    ],
    ids=["no-driver", "mig", "lost-gpu", "failing-call"],
)
async def test_error_states_log_no_traceback_per_tick(
    nvml: Any, get_resources: Any, caplog: pytest.LogCaptureFixture, settings: dict[str, Any]
) -> None:
    nvml(**settings)
    caplog.set_level(logging.DEBUG, logger="colab_ext")
    for _ in range(5):  # several ticks of the sampler
        await get_resources()
        await asyncio.sleep(0.25)
    noisy = [r for r in caplog.records if r.name.startswith("colab_ext") and r.levelno >= 30]
    assert noisy == []


A100_MIG = {"name": "NVIDIA A100-SXM4-40GB", "uuid": "GPU-a100", "mig": 1, "mem_used": 6 << 30}


async def test_a_mig_gpu_lists_its_instances(nvml: Any, get_resources: Any) -> None:
    nvml(
        gpus=[A100_MIG, {"name": "NVIDIA L4", "util": 12}],
        migs=[
            {
                "gpu": 0,
                "name": "NVIDIA A100-SXM4-40GB MIG 3g.20gb",
                "uuid": "MIG-aaaa",
                "mem_total": 20 << 30,
                "mem_used": 5 << 30,
                "gi": 1,
                "ci": 0,
            },
            # Slot 1 is empty (an instance was destroyed): listed by what exists, not by count.
            {
                "gpu": 0,
                "slot": 2,
                "name": "NVIDIA A100-SXM4-40GB MIG 1g.5gb",
                "uuid": "MIG-bbbb",
                "mem_total": 5 << 30,
                "mem_used": 1 << 30,
                "gi": 9,
                "ci": 0,
            },
        ],
    )
    gpu = await gpu_state(get_resources)
    mig_gpu, plain = gpu["devices"]
    assert [d["uuid"] for d in mig_gpu["mig_devices"]] == ["MIG-aaaa", "MIG-bbbb"]
    first, second = mig_gpu["mig_devices"]
    assert (first["index"], first["memory_used_bytes"], first["memory_total_bytes"]) == (
        0,
        5 << 30,
        20 << 30,
    )
    assert (second["index"], second["gpu_instance_id"], second["compute_instance_id"]) == (2, 9, 0)
    assert second["name"].endswith("MIG 1g.5gb")
    for instance in (first, second):
        assert instance["utilization_percent"] is None
        assert instance["unavailable"]["utilization_percent"] == "not supported on a MIG instance"
    assert plain["mig_devices"] == [] and plain["utilization_percent"] == 12


async def test_a_mig_gpu_with_no_instances_yet(nvml: Any, get_resources: Any) -> None:
    nvml(gpus=[A100_MIG])
    [device] = (await gpu_state(get_resources))["devices"]
    assert device["mig_enabled"] is True and device["mig_devices"] == []
    assert "mig_devices" not in device["unavailable"]


async def test_a_driver_that_cannot_list_mig_instances_says_so(
    nvml: Any, get_resources: Any
) -> None:
    nvml(
        gpus=[A100_MIG],
        migs=[{"gpu": 0, "uuid": "MIG-aaaa"}],
        fail={"nvmlDeviceGetMigDeviceHandleByIndex": 999},
    )
    [device] = (await gpu_state(get_resources))["devices"]
    assert device["mig_devices"] == []
    assert device["unavailable"]["mig_devices"].startswith("the driver failed to report it")
    assert device["memory_used_bytes"] == 6 << 30  # the GPU itself is still reported


@pytest.mark.parametrize(
    ("init", "state", "says"),
    [
        (9, "no_driver", "The NVIDIA driver is installed but not loaded (Driver Not Loaded)."),
        (999, "driver_error", "The NVIDIA driver did not start: Unknown Error."),
    ],
    ids=["not-loaded", "failing-start"],
)
async def test_the_monitor_and_about_say_the_same_of_a_driver(
    nvml: Any, get_resources: Any, jp_fetch: Any, init: int, state: str, says: str
) -> None:
    # One adapter (colab_ext.core.nvml) speaks for the driver: both features use its words.
    nvml(init=init)
    gpu = await gpu_state(get_resources)
    about = json.loads((await jp_fetch("colab", "runtime", "about")).body)["gpu"]
    assert gpu["state"] == state and about["driver_present"] is False
    assert gpu["message"] == about["problem"]
    assert gpu["message"].startswith(says)
