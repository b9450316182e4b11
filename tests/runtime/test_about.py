"""Runtime > About this runtime: real facts from a real server, kernels and (stand-in) driver."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import time
from importlib.metadata import version
from typing import Any

import psutil
import pytest

from colab_ext.core.nvml import nvml_lock
from tests.sessions import notebook_session


async def about(jp_fetch: Any) -> dict[str, Any]:
    response = await jp_fetch("colab", "runtime", "about")
    return json.loads(response.body)


async def test_reports_the_machine_and_versions(jp_fetch: Any, nvml: Any) -> None:
    facts = await about(jp_fetch)
    assert facts["python_version"] == platform.python_version()
    assert facts["jupyterlab_version"] == version("jupyterlab")
    assert facts["jupyter_server_version"] == version("jupyter_server")
    assert facts["cpu_count"] == len(os.sched_getaffinity(0))
    assert facts["memory_total_bytes"] == psutil.virtual_memory().total
    assert facts["os"]
    assert 0 <= facts["server_uptime_s"] < time.time() - psutil.boot_time() + 1
    assert facts["kernels_remote"] is False  # kernels are processes of this machine


async def test_reports_gpus_the_driver_lists(jp_fetch: Any, nvml: Any) -> None:
    nvml(driver="550.54.15", gpus=["NVIDIA H100 80GB HBM3", "NVIDIA A100-SXM4-40GB"])
    gpu = (await about(jp_fetch))["gpu"]
    assert gpu == {
        "driver_present": True,
        "driver_version": "550.54.15",
        "gpu_names": ["NVIDIA H100 80GB HBM3", "NVIDIA A100-SXM4-40GB"],
        "gpu_count": 2,
        "problem": None,
    }


async def test_a_driver_that_is_not_loaded_is_said_so(jp_fetch: Any, nvml: Any) -> None:
    nvml(init=9)  # NVML_ERROR_DRIVER_NOT_LOADED
    gpu = (await about(jp_fetch))["gpu"]
    assert gpu["driver_present"] is False
    assert gpu["gpu_count"] == 0
    assert "Driver Not Loaded" in gpu["problem"]


@pytest.fixture
def colab_config() -> dict[str, Any]:
    return {"nvml_timeout": 0.5}


async def test_a_hung_driver_does_not_stall_the_server(jp_fetch: Any, nvml: Any) -> None:
    nvml(delay_ms=2000)  # every NVML call takes 2 s (no GPUs: fewer calls to wait out)
    started = time.monotonic()
    gpu = (await about(jp_fetch))["gpu"]
    assert time.monotonic() - started < 1.9
    assert gpu["driver_present"] is False
    assert "did not answer within 0.5 s" in gpu["problem"]
    # Meanwhile the server answers other requests at once.
    started = time.monotonic()
    response = await jp_fetch("api", "status")
    assert response.code == 200
    assert time.monotonic() - started < 0.5
    # The abandoned probe still holds the NVML lock, a few slow calls long: wait it out, or the
    # next test's first probe would time out behind it.
    with nvml_lock:
        pass


def test_no_driver_library_at_all() -> None:
    # A fresh process, without the stand-in, on a machine with no NVIDIA driver.
    env = {k: v for k, v in os.environ.items() if k not in ("LD_LIBRARY_PATH", "LD_PRELOAD")}
    out = subprocess.run(
        [sys.executable, "-c", "from colab_ext.core.nvml import probe_gpus; print(probe_gpus())"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "driver_present=False" in out
    assert "No NVIDIA driver is installed." in out


async def test_lists_running_kernels_with_their_notebooks(jp_fetch: Any, nvml: Any) -> None:
    async with notebook_session(jp_fetch, "work/analysis.ipynb") as session:
        kernels = (await about(jp_fetch))["kernels"]
        mine = [k for k in kernels if k["id"] == session["kernel"]["id"]]
        assert len(mine) == 1
        assert mine[0]["notebook_path"] == "work/analysis.ipynb"
        assert mine[0]["name"] == "python3"
        assert mine[0]["display_name"]
