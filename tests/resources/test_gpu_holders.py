"""A kernel holding GPU memory shows up under its notebook's path."""

from __future__ import annotations

import asyncio
import json
import os
import time
from typing import Any

import jsonschema

from tests.core.test_openapi import load_spec, schema_of
from tests.sessions import notebook_session


async def _when(get_resources: Any, ready: Any, seconds: float = 5.0) -> dict[str, Any]:
    """The first answer (with history) for which ``ready`` holds, polling for a while."""
    deadline = time.monotonic() + seconds
    while True:
        resources = await get_resources(history=True)
        if ready(resources) or time.monotonic() > deadline:
            return resources
        await asyncio.sleep(0.1)


H100 = {"name": "NVIDIA H100 80GB HBM3", "uuid": "GPU-h100", "mem_total": 80 << 30}


async def test_kernel_memory_is_reported_under_its_notebook(
    jp_fetch: Any, jp_serverapp: Any, nvml: Any, get_resources: Any
) -> None:
    async with notebook_session(jp_fetch, "analysis.ipynb") as session:
        kernel_id = session["kernel"]["id"]
        kernel = jp_serverapp.kernel_manager.get_kernel(kernel_id)
        kernel_pid = kernel.provisioner.process.pid
        gpus = [dict(H100, mem_used=12 << 30), "Stand-in T4"]
        nvml(gpus=gpus)
        assert (await get_resources())["gpu"]["holders"] == []
        # Then the kernel allocates, and the running sampler sees it at a later tick. The
        # driver also lists one process of no kernel (this test itself).
        nvml(gpus=gpus, procs=[(0, kernel_pid, 11 << 30), (1, os.getpid(), 1 << 30)])
        resources = await _when(get_resources, lambda r: len(r["gpu"]["holders"]) == 2)

    jsonschema.validate(resources, schema_of(load_spec(), "Resources"))
    gpu = resources["gpu"]
    assert gpu["state"] == "ok", gpu
    assert [d["name"] for d in gpu["devices"]] == ["NVIDIA H100 80GB HBM3", "Stand-in T4"]
    mine, other = gpu["holders"]
    assert mine["notebook_path"] == "analysis.ipynb"
    assert (mine["kernel_id"], mine["gpu_index"], mine["used_bytes"]) == (kernel_id, 0, 11 << 30)
    assert mine["pids"] == [kernel_pid]
    assert other["kernel_id"] is None and other["notebook_path"] is None
    assert (other["gpu_index"], other["pids"]) == (1, [os.getpid()])
    assert other["process_name"]  # this test's own interpreter, as the OS names it


async def test_processes_of_another_container_are_listed_without_a_notebook(
    nvml: Any, get_resources: Any
) -> None:
    # NVML reports host pids; a pid that is not ours maps to no kernel and no name.
    nvml(gpus=[H100], procs=[(0, 4_000_000, 3 << 30)])
    [holder] = (await get_resources())["gpu"]["holders"]
    assert holder == {
        "gpu_index": 0,
        "mig_index": None,
        "pids": [4_000_000],
        "used_bytes": 3 << 30,
        "kernel_id": None,
        "kernel_name": None,
        "notebook_path": None,
        "process_name": None,
    }


async def test_history_grows_and_tabs_share_one_sampler(
    nvml: Any, get_resources: Any, sampler: Any
) -> None:
    nvml(gpus=[dict(H100, util=40, mem_used=5 << 30)])
    first = await get_resources()
    # Twenty tabs asking at once read the same sample; they do not sample again.
    taken = sampler.samples_taken
    answers = await asyncio.gather(*(get_resources() for _ in range(20)))
    assert sampler.samples_taken - taken <= 1
    assert len({answer["sampled_at"] for answer in answers}) <= 2
    await asyncio.sleep(0.7)
    history = (await get_resources(history=True))["history"]
    assert len(history["t"]) >= 3 and history["t"][0] <= first["sampled_at"] + 0.001
    assert len(history["memory_used_bytes"]) == len(history["t"])
    [gpu] = history["gpus"]
    assert gpu["utilization_percent"][-1] == 40
    assert gpu["memory_used_bytes"][-1] == 5 << 30
    json.dumps(history)


async def test_sampling_stops_when_nobody_watches(
    nvml: Any, get_resources: Any, sampler: Any
) -> None:
    nvml(gpus=[H100])
    sampler.idle_after = 0.5
    await get_resources()
    assert sampler.running
    await asyncio.sleep(1.2)
    assert not sampler.running
    assert not sampler.gpus.session.initialised  # the driver was released
    taken = sampler.samples_taken
    await asyncio.sleep(0.5)
    assert sampler.samples_taken == taken
    await get_resources()  # asking again starts it again
    assert sampler.running and sampler.samples_taken > taken


async def test_a_kernels_child_processes_count_for_its_notebook(
    jp_fetch: Any, jp_serverapp: Any, nvml: Any, get_resources: Any
) -> None:
    # Data-loader workers and multiprocessing children hold GPU memory for the notebook too.
    async with notebook_session(jp_fetch, "train/model.ipynb") as session:
        kernel_id = session["kernel"]["id"]
        kernel = jp_serverapp.kernel_manager.get_kernel(kernel_id)
        client = kernel.client()
        client.start_channels()
        try:
            await client.wait_for_ready(timeout=60)
            code = "import subprocess; worker = subprocess.Popen(['sleep', '60']); worker.pid"
            reply = await client.execute_interactive(
                code, user_expressions={"pid": "worker.pid"}, timeout=60
            )
        finally:
            client.stop_channels()
        worker_pid = int(reply["content"]["user_expressions"]["pid"]["data"]["text/plain"])
        kernel_pid = kernel.provisioner.process.pid
        nvml(gpus=[H100], procs=[(0, kernel_pid, 2 << 30), (0, worker_pid, 5 << 30)])
        [holder] = (await get_resources())["gpu"]["holders"]

    assert holder["notebook_path"] == "train/model.ipynb"
    assert sorted(holder["pids"]) == sorted([kernel_pid, worker_pid])
    assert holder["used_bytes"] == 7 << 30


async def test_a_kernel_on_a_mig_instance_is_reported_with_that_instance(
    jp_fetch: Any, jp_serverapp: Any, nvml: Any, get_resources: Any
) -> None:
    # NVML lists a MIG GPU's processes per instance (the parent's list needs privileges).
    a100 = {"name": "NVIDIA A100-SXM4-40GB", "mig": 1}
    migs = [{"gpu": 0, "uuid": "MIG-a"}, {"gpu": 0, "uuid": "MIG-b"}]
    async with notebook_session(jp_fetch, "mig/train.ipynb") as session:
        kernel_id = session["kernel"]["id"]
        kernel_pid = jp_serverapp.kernel_manager.get_kernel(kernel_id).provisioner.process.pid
        nvml(
            gpus=[a100], migs=migs, procs=[(0, kernel_pid, 3 << 30, 1), (0, 4_000_001, 1 << 30, 0)]
        )
        resources = await _when(get_resources, lambda r: len(r["gpu"]["holders"]) == 2)
    jsonschema.validate(resources, schema_of(load_spec(), "Resources"))
    ours, other = sorted(resources["gpu"]["holders"], key=lambda h: h["kernel_id"] is None)
    assert (ours["notebook_path"], ours["mig_index"], ours["used_bytes"]) == (
        "mig/train.ipynb",
        1,
        3 << 30,
    )
    assert (other["kernel_id"], other["mig_index"], other["pids"]) == (None, 0, [4_000_001])
