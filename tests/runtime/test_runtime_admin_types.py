"""Admin runtime types (``c.ColabExt.runtime_types``), checked at start-up."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from traitlets import TraitError
from traitlets.config import Config

from colab_ext.app import ColabExt
from tests.runtime.runtime_client import A100, H100, proc_environ, refused, switch, types
from tests.runtime.test_runtime_open import write_notebook
from tests.sessions import notebook_session

BIG = {
    "id": "gpu-2x",
    "label": "2 GPUs, 64 GB",
    "accelerator": "gpu",
    "gpus": 2,
    "env": {"TF_FORCE_GPU_ALLOW_GROWTH": "true"},
    "resources": {"memory": "64G", "KERNEL_CPUS": 8},
    "description": "For distributed training.",
}


@pytest.fixture
def colab_config() -> dict[str, Any]:
    return {
        "runtime_types": [
            BIG,
            {"id": "cpu", "label": "CPU (small)", "env": {"OMP_NUM_THREADS": "2"}},
        ],
        "default_runtime_type": "cpu",
    }


async def test_admin_types_are_offered_and_applied(
    jp_serverapp: Any, jp_fetch: Any, jp_root_dir: Path, nvml: Any
) -> None:
    nvml(gpus=[H100, A100])
    listing = await types(jp_fetch)
    assert [(t["id"], t["label"], t["available"]) for t in listing["types"]] == [
        ("cpu", "CPU (small)", True),
        ("gpu", "GPU", True),
        ("tpu", "TPU", listing["types"][2]["available"]),
        ("gpu-2x", "2 GPUs, 64 GB", True),
    ]
    # default_runtime_type: a notebook that asks for nothing starts on (the admin's) CPU.
    path = write_notebook(jp_root_dir, "plain.ipynb", {})
    async with notebook_session(jp_fetch, path) as session:
        kernel_id = session["kernel"]["id"]
        env = proc_environ(jp_serverapp, kernel_id)
        assert (env["CUDA_VISIBLE_DEVICES"], env["OMP_NUM_THREADS"]) == ("", "2")

        answer = await switch(jp_fetch, kernel_id, "gpu-2x")
        assert answer["summary"] == "2 GPUs, 64 GB · A100/H100 #0,1"
        env = proc_environ(jp_serverapp, kernel_id)
        assert env["CUDA_VISIBLE_DEVICES"] == "GPU-h100,GPU-a100"
        assert env["TF_FORCE_GPU_ALLOW_GROWTH"] == "true"
        assert "OMP_NUM_THREADS" not in env  # the previous type's variable is gone

        await switch(jp_fetch, kernel_id, "cpu")
        env = proc_environ(jp_serverapp, kernel_id)
        assert "TF_FORCE_GPU_ALLOW_GROWTH" not in env
        assert env["OMP_NUM_THREADS"] == "2"

    nvml(gpus=[H100])
    listing = await types(jp_fetch)
    big = next(t for t in listing["types"] if t["id"] == "gpu-2x")
    assert big["available"] is False
    assert big["reason"] == "Needs 2 GPUs; this server has 1."


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"label": "x"}, "runtime_types[0]['id'] must be lower-case"),
        ({"id": "Big GPU", "label": "x"}, "['id'] must be lower-case"),
        ({"id": "x"}, "['label'] must be a non-empty string"),
        ({"id": "x", "label": "x", "accelerator": "fpga"}, "['accelerator'] must be one of"),
        ({"id": "x", "label": "x", "accelerator": "gpu", "gpus": 0}, "'gpus' must be at least 1"),
        ({"id": "x", "label": "x", "gpus": 2}, "['gpus'] needs 'accelerator': 'gpu'"),
        ({"id": "x", "label": "x", "env": {"A B": "1"}}, "not a valid variable name: 'A B'"),
        ({"id": "x", "label": "x", "env": {"A": ["1"]}}, "['env']['A'] must be a string or"),
        ({"id": "x", "label": "x", "gpu": 1}, "unknown keys ['gpu']"),
    ],
)
def test_a_wrong_admin_type_stops_the_server_with_a_clear_message(
    entry: dict[str, Any], message: str
) -> None:
    with pytest.raises(TraitError, match=message.replace("[", r"\[").replace("]", r"\]")):
        ColabExt(config=Config({"ColabExt": {"runtime_types": [entry]}}))


def test_duplicate_ids_and_an_unknown_default_are_refused() -> None:
    twice = [{"id": "a", "label": "A"}, {"id": "a", "label": "B"}]
    with pytest.raises(TraitError, match="defines the id 'a' twice"):
        ColabExt(config=Config({"ColabExt": {"runtime_types": twice}}))
    app = ColabExt(config=Config({"ColabExt": {"default_runtime_type": "fast"}}))
    with pytest.raises(TraitError, match="default_runtime_type is 'fast', which is not a runtime"):
        app.check_default_runtime_type()


@pytest.mark.parametrize(
    "gpus",
    [[0, "0"], ["GPU-h100", 0], ["GPU-a100", "GPU-a100"]],
    ids=["index", "uuid+index", "uuid"],
)
async def test_the_same_gpu_cannot_be_picked_twice(
    gpus: list[Any], jp_serverapp: Any, jp_fetch: Any, jp_root_dir: Path, nvml: Any
) -> None:
    nvml(gpus=[H100, A100])
    path = write_notebook(jp_root_dir, "twice.ipynb", {})
    async with notebook_session(jp_fetch, path) as session:
        kernel_id = session["kernel"]["id"]
        before = proc_environ(jp_serverapp, kernel_id)
        code, message = await refused(jp_fetch, kernel_id, {"type": "gpu-2x", "gpus": gpus})
        assert code == 400 and "is picked more than once" in message, message
        assert proc_environ(jp_serverapp, kernel_id) == before  # not CUDA_VISIBLE_DEVICES=A,A
        answer = await switch(jp_fetch, kernel_id, "gpu-2x", gpus=[1, 0])
        assert proc_environ(jp_serverapp, kernel_id)["CUDA_VISIBLE_DEVICES"] == "GPU-a100,GPU-h100"
        assert answer["type"] == "gpu-2x"
