"""Opening a notebook starts its kernel on the runtime its metadata asks for, in one start."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.runtime.runtime_client import H100, T4, current, kernel_pid, proc_environ, switch
from tests.sessions import notebook_session


def write_notebook(root: Path, name: str, metadata: dict[str, Any]) -> str:
    notebook = {"cells": [], "metadata": metadata, "nbformat": 4, "nbformat_minor": 5}
    (root / name).write_text(json.dumps(notebook))
    return name


async def test_a_colab_gpu_notebook_starts_on_a_gpu(
    jp_serverapp: Any, jp_fetch: Any, jp_root_dir: Path, nvml: Any
) -> None:
    nvml(gpus=[H100])
    path = write_notebook(jp_root_dir, "colab.ipynb", {"accelerator": "GPU", "colab": {}})
    async with notebook_session(jp_fetch, path) as session:
        kernel_id = session["kernel"]["id"]
        env = proc_environ(jp_serverapp, kernel_id)
        # The very first kernel process has the GPU: it was not started on CPU and restarted.
        assert env["CUDA_VISIBLE_DEVICES"] == "GPU-h100"
        assert env["JPY_COLAB_EXT_RUNTIME_TYPE"] == "gpu"
        assert env["JPY_SESSION_NAME"].endswith("colab.ipynb")
        assert (await current(jp_fetch, kernel_id))["summary"] == "GPU · H100 #0"


async def test_colab_gpu_type_and_kaggle_keys_prefer_that_model(
    jp_serverapp: Any, jp_fetch: Any, jp_root_dir: Path, nvml: Any
) -> None:
    nvml(gpus=[H100, T4])  # the H100 has more free memory, yet a T4 notebook gets the T4
    colab = write_notebook(
        jp_root_dir, "t4.ipynb", {"accelerator": "GPU", "colab": {"gpuType": "T4"}}
    )
    kaggle = write_notebook(
        jp_root_dir, "kaggle.ipynb", {"kaggle": {"accelerator": "nvidiaTeslaT4"}}
    )
    tpu = write_notebook(jp_root_dir, "tpu.ipynb", {"kaggle": {"accelerator": "tpu1vmV38"}})
    async with (
        notebook_session(jp_fetch, colab) as first,
        notebook_session(jp_fetch, kaggle) as second,
    ):
        for session in (first, second):
            env = proc_environ(jp_serverapp, session["kernel"]["id"])
            assert env["CUDA_VISIBLE_DEVICES"] == "GPU-t4"
    # A TPU the server lacks: the kernel still starts, on the server's default runtime.
    async with notebook_session(jp_fetch, tpu) as session:
        env = proc_environ(jp_serverapp, session["kernel"]["id"])
        assert "JPY_COLAB_EXT_RUNTIME_TYPE" not in env


async def test_a_pinned_gpu_is_honoured_and_a_plain_notebook_keeps_the_server_default(
    jp_serverapp: Any, jp_fetch: Any, jp_root_dir: Path, nvml: Any
) -> None:
    nvml(gpus=[H100, T4])
    pinned = write_notebook(
        jp_root_dir,
        "pinned.ipynb",
        {"accelerator": "GPU", "colab_ext": {"runtime_type": "gpu", "gpu": {"index": 1}}},
    )
    plain = write_notebook(jp_root_dir, "plain.ipynb", {})
    async with notebook_session(jp_fetch, pinned) as a, notebook_session(jp_fetch, plain) as b:
        assert proc_environ(jp_serverapp, a["kernel"]["id"])["CUDA_VISIBLE_DEVICES"] == "GPU-t4"
        env = proc_environ(jp_serverapp, b["kernel"]["id"])
        assert "CUDA_VISIBLE_DEVICES" not in env and "JPY_COLAB_EXT_RUNTIME_TYPE" not in env
        plain_runtime = await current(jp_fetch, b["kernel"]["id"])
        assert plain_runtime["label"] == "Server default"
        # What the picker shows for it (#16): not "CPU", but a kernel that sees every GPU.
        assert plain_runtime["type"] is None and plain_runtime["sees_all_gpus"] is True
        assert (await current(jp_fetch, a["kernel"]["id"]))["sees_all_gpus"] is False


async def test_renaming_the_notebook_keeps_its_runtime(
    jp_serverapp: Any, jp_fetch: Any, nvml: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The server itself is limited to some GPUs: a rename must not put that value back.
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "0")
    nvml(gpus=[H100])
    async with notebook_session(jp_fetch, "before.ipynb") as session:
        kernel_id = session["kernel"]["id"]
        await switch(jp_fetch, kernel_id, "gpu")
        await jp_fetch(
            "api",
            "sessions",
            session["id"],
            method="PATCH",
            body=json.dumps({"path": "after.ipynb"}),
        )
        pid = kernel_pid(jp_serverapp, kernel_id)
        await jp_fetch("api", "kernels", kernel_id, "restart", method="POST", body="")
        assert kernel_pid(jp_serverapp, kernel_id) != pid
        env = proc_environ(jp_serverapp, kernel_id)
        assert env["CUDA_VISIBLE_DEVICES"] == "GPU-h100"
        assert env["JPY_SESSION_NAME"].endswith("after.ipynb")  # jupyter_server's own update


async def test_a_session_named_as_jupyterlab_4_names_them(
    jp_serverapp: Any, jp_fetch: Any, jp_root_dir: Path, nvml: Any
) -> None:
    # JupyterLab 4 asks for a session at "<folder>/<uuid>" and sends the file name apart.
    nvml(gpus=[H100])
    (jp_root_dir / "sub").mkdir()
    write_notebook(jp_root_dir / "sub", "colab.ipynb", {"accelerator": "GPU"})
    body = {
        "path": "sub/6f1c2e0a-6d0e-4b9e-9a53-2f5d7c1e8b11",
        "name": "colab.ipynb",
        "type": "notebook",
        "kernel": {"name": "python3"},
    }
    session = json.loads(
        (await jp_fetch("api", "sessions", method="POST", body=json.dumps(body))).body
    )
    try:
        env = proc_environ(jp_serverapp, session["kernel"]["id"])
        assert env["CUDA_VISIBLE_DEVICES"] == "GPU-h100"
        # And the kernel directory names the notebook, not the session's made-up path.
        about = json.loads((await jp_fetch("colab", "runtime", "about")).body)
        [kernel] = [k for k in about["kernels"] if k["id"] == session["kernel"]["id"]]
        assert kernel["notebook_path"] == "sub/colab.ipynb"
    finally:
        await jp_fetch("api", "sessions", session["id"], method="DELETE")
