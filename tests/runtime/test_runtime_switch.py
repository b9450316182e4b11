"""Change runtime type on real kernels: the kernel process's environment is the proof."""

from __future__ import annotations

import json
from typing import Any

import jsonschema

from colab_ext.runtime.types import tpu_devices
from tests.runtime.runtime_client import (
    A100,
    H100,
    current,
    kernel_pid,
    proc_environ,
    refused,
    switch,
    types,
)
from tests.sessions import notebook_session


async def test_gpu_then_cpu_keeps_the_kernel_and_the_rest_of_its_environment(
    jp_serverapp: Any, jp_fetch: Any, nvml: Any
) -> None:
    nvml(gpus=[H100, A100])
    async with notebook_session(jp_fetch, "work/train.ipynb") as session:
        kernel_id = session["kernel"]["id"]
        before = proc_environ(jp_serverapp, kernel_id)
        first_pid = kernel_pid(jp_serverapp, kernel_id)

        answer = await switch(jp_fetch, kernel_id, "gpu")
        assert answer["kernel_id"] == kernel_id
        assert answer["type"] == "gpu"
        assert answer["summary"] == "GPU · H100 #0"  # both idle: most free memory wins
        env = proc_environ(jp_serverapp, kernel_id)
        assert kernel_pid(jp_serverapp, kernel_id) != first_pid  # restarted...
        assert env["CUDA_VISIBLE_DEVICES"] == "GPU-h100"  # ...with the GPU...
        assert env["PJRT_DEVICE"] == "CUDA"
        assert env["JPY_COLAB_EXT_RUNTIME_TYPE"] == "gpu"
        for key in ("PATH", "HOME", "JPY_SESSION_NAME", "NVML_STANDIN_CONFIG"):
            assert env[key] == before[key]  # ...and nothing else lost
        assert (await current(jp_fetch, kernel_id))["summary"] == "GPU · H100 #0"

        # The session still points at the same kernel: the notebook stays connected.
        sessions = json.loads((await jp_fetch("api", "sessions")).body)
        assert [s["kernel"]["id"] for s in sessions if s["id"] == session["id"]] == [kernel_id]

        # A plain restart (Kernel > Restart) keeps the runtime.
        await jp_fetch("api", "kernels", kernel_id, "restart", method="POST", body="")
        assert proc_environ(jp_serverapp, kernel_id)["CUDA_VISIBLE_DEVICES"] == "GPU-h100"

        answer = await switch(jp_fetch, kernel_id, "cpu")
        assert answer["summary"] == "CPU"
        env = proc_environ(jp_serverapp, kernel_id)
        assert env["CUDA_VISIBLE_DEVICES"] == ""  # CUDA sees no GPU
        assert env["JAX_PLATFORMS"] == "cpu"
        assert "CUDA_DEVICE_ORDER" not in env  # the GPU type's own variable is gone again
        assert env["PATH"] == before["PATH"]


async def test_any_free_gpu_spreads_notebooks_by_load(
    jp_serverapp: Any, jp_fetch: Any, nvml: Any
) -> None:
    # The A100 has more memory free, so it goes first; then the idle H100; then the A100 again
    # (one runtime each, and the A100 still has more free memory).
    nvml(gpus=[{**H100, "mem_used": 70 << 30}, A100])
    placed = []
    async with (
        notebook_session(jp_fetch, "a.ipynb") as a,
        notebook_session(jp_fetch, "b.ipynb") as b,
        notebook_session(jp_fetch, "c.ipynb") as c,
    ):
        for session in (a, b, c):
            answer = await switch(jp_fetch, session["kernel"]["id"], "gpu")
            placed.append(answer["gpus"][0]["uuid"])
        assert placed == ["GPU-a100", "GPU-h100", "GPU-a100"]
        listing = await types(jp_fetch)
        assert [(g["uuid"], g["runtimes"]) for g in listing["gpus"]] == [
            ("GPU-h100", 1),
            ("GPU-a100", 2),
        ]
        # Switching a GPU runtime again does not count it against itself.
        again = await switch(jp_fetch, c["kernel"]["id"], "gpu")
        assert again["gpus"][0]["uuid"] in ("GPU-a100", "GPU-h100")


async def test_a_gpu_picked_by_uuid_or_index(jp_serverapp: Any, jp_fetch: Any, nvml: Any) -> None:
    nvml(gpus=[H100, A100])
    async with notebook_session(jp_fetch, "pick.ipynb") as session:
        kernel_id = session["kernel"]["id"]
        answer = await switch(jp_fetch, kernel_id, "gpu", gpus=["GPU-a100"])
        assert answer["summary"] == "GPU · A100 #1"
        assert proc_environ(jp_serverapp, kernel_id)["CUDA_VISIBLE_DEVICES"] == "GPU-a100"
        answer = await switch(jp_fetch, kernel_id, "gpu", gpus=[0])
        assert proc_environ(jp_serverapp, kernel_id)["CUDA_VISIBLE_DEVICES"] == "GPU-h100"


async def test_bad_requests_leave_the_kernel_as_it_was(
    jp_serverapp: Any, jp_fetch: Any, nvml: Any
) -> None:
    nvml(gpus=[])
    async with notebook_session(jp_fetch, "bad.ipynb") as session:
        kernel_id = session["kernel"]["id"]
        pid, env = kernel_pid(jp_serverapp, kernel_id), proc_environ(jp_serverapp, kernel_id)
        cases = [
            ({"type": "quantum"}, 400, "Unknown runtime type 'quantum'; this server offers: cpu"),
            ({}, 400, "Unknown runtime type None"),
            ({"type": "gpu"}, 409, "GPU is not available"),
            ({"type": "cpu", "gpus": "all"}, 400, "'gpus' must be a list"),
            ({"type": "cpu", "gpus": [0]}, 400, "CPU takes no GPU"),
        ]
        if not tpu_devices():
            cases.append(({"type": "tpu"}, 409, "This server has no TPU"))
        for body, status, message in cases:
            code, text = await refused(jp_fetch, kernel_id, body)
            assert (code, message in text) == (status, True), (body, code, text)
        code, text = await refused(jp_fetch, "no-such-kernel", {"type": "cpu"})
        assert code == 404 and "no running kernel with id no-such-kernel" in text
        nvml(gpus=[H100])
        code, text = await refused(jp_fetch, kernel_id, {"type": "gpu", "gpus": ["GPU-nope"]})
        assert code == 400 and "There is no GPU 'GPU-nope'" in text
        assert kernel_pid(jp_serverapp, kernel_id) == pid  # never restarted
        assert proc_environ(jp_serverapp, kernel_id) == env
        assert (await current(jp_fetch, kernel_id))["type"] is None


async def test_types_say_what_cannot_be_given_and_why(jp_fetch: Any, nvml: Any) -> None:
    nvml(init=9)  # driver not loaded
    listing = await types(jp_fetch)
    by_id = {t["id"]: t for t in listing["types"]}
    assert list(by_id) == ["cpu", "gpu", "tpu"]
    assert by_id["cpu"]["available"] is True
    assert by_id["gpu"]["available"] is False
    assert "Driver Not Loaded" in by_id["gpu"]["reason"]
    assert listing["gpus"] == []
    nvml(gpus=[H100])
    listing = await types(jp_fetch)
    assert {t["id"]: t["available"] for t in listing["types"]}["gpu"] is True
    [gpu] = listing["gpus"]
    assert gpu["short_name"] == "H100"
    assert gpu["memory_free_bytes"] == 80 << 30


async def test_prepare_then_restart_as_jupyterlab_does(
    jp_serverapp: Any, jp_fetch: Any, nvml: Any
) -> None:
    nvml(gpus=[H100, A100])
    async with (
        notebook_session(jp_fetch, "prepared.ipynb") as session,
        notebook_session(jp_fetch, "other.ipynb") as other,
    ):
        kernel_id = session["kernel"]["id"]
        pid = kernel_pid(jp_serverapp, kernel_id)
        answer = await switch(jp_fetch, kernel_id, "gpu", restart=False)
        assert answer["summary"] == "GPU · H100 #0"  # what the restart will give
        assert kernel_pid(jp_serverapp, kernel_id) == pid  # not restarted yet
        assert "CUDA_VISIBLE_DEVICES" not in proc_environ(jp_serverapp, kernel_id)
        # A GPU promised to a kernel counts as taken before its restart.
        answer = await switch(jp_fetch, other["kernel"]["id"], "gpu")
        assert answer["summary"] == "GPU · A100 #1"
        await jp_fetch("api", "kernels", kernel_id, "restart", method="POST", body="")
        assert proc_environ(jp_serverapp, kernel_id)["CUDA_VISIBLE_DEVICES"] == "GPU-h100"
        code, text = await refused(jp_fetch, kernel_id, {"type": "cpu", "restart": "no"})
        assert code == 400 and "'restart' must be true or false" in text


async def test_answers_match_the_openapi_schemas(jp_fetch: Any, nvml: Any) -> None:
    from tests.core.test_openapi import load_spec, schema_of

    nvml(gpus=[H100, {**A100, "mem_total": 0, "mem_used": 0}])
    spec = load_spec()
    jsonschema.validate(await types(jp_fetch), schema_of(spec, "RuntimeTypes"))
    async with notebook_session(jp_fetch, "schema.ipynb") as session:
        kernel_id = session["kernel"]["id"]
        jsonschema.validate(await current(jp_fetch, kernel_id), schema_of(spec, "KernelRuntime"))
        answer = await switch(jp_fetch, kernel_id, "gpu", gpus=[0])
        jsonschema.validate(answer, schema_of(spec, "KernelRuntime"))
