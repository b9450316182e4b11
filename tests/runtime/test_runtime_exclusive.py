"""Exclusive GPUs (``c.ColabExt.gpu_exclusive``): one runtime per GPU."""

from __future__ import annotations

import os
from typing import Any

import pytest

from tests.runtime.runtime_client import H100, kernel_pid, proc_environ, refused, switch, types
from tests.sessions import notebook_session


@pytest.fixture
def colab_config() -> dict[str, Any]:
    return {"gpu_exclusive": True}


async def test_exclusive_gpus(jp_serverapp: Any, jp_fetch: Any, nvml: Any) -> None:
    nvml(gpus=[H100])
    async with (
        notebook_session(jp_fetch, "one.ipynb") as one,
        notebook_session(jp_fetch, "two.ipynb") as two,
    ):
        await switch(jp_fetch, one["kernel"]["id"], "gpu")
        pid = kernel_pid(jp_serverapp, two["kernel"]["id"])
        code, text = await refused(jp_fetch, two["kernel"]["id"], {"type": "gpu"})
        assert code == 409 and "Every GPU is in use by another runtime" in text
        assert kernel_pid(jp_serverapp, two["kernel"]["id"]) == pid
        listing = await types(jp_fetch, kernel_id=two["kernel"]["id"])
        gpu_type = next(t for t in listing["types"] if t["id"] == "gpu")
        assert gpu_type["available"] is False
        assert listing["gpus"][0]["available"] is False
        # Seen from the notebook that holds it, the GPU is its own and may be picked again.
        mine = await types(jp_fetch, kernel_id=one["kernel"]["id"])
        assert mine["gpus"][0]["available"] is True
        # Once the first notebook gives it back, the second may have it.
        await switch(jp_fetch, one["kernel"]["id"], "cpu")
        answer = await switch(jp_fetch, two["kernel"]["id"], "gpu")
        assert proc_environ(jp_serverapp, two["kernel"]["id"])["CUDA_VISIBLE_DEVICES"] == (
            "GPU-h100"
        )
        assert answer["summary"] == "GPU · H100 #0"
    assert os.environ.get("JPY_COLAB_EXT_RUNTIME_TYPE") is None
