"""The runtime-type picker on a cluster: a real Jupyter Enterprise Gateway on loopback.

Enterprise Gateway 3.3 needs an older jupyter_server, so it runs from its own virtual environment,
made by ``.ci/setup.d/runtime.sh`` (``COLAB_EXT_JEG_VENV``; started by ``gateway_process.py``). The
kernels it starts print their own environment: that is the proof that a type's ``KERNEL_*``
variables reached them.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.runtime.gateway_process import JEG, gateway_server_config, kernel_env, running_gateway
from tests.runtime.runtime_client import current, switch, types
from tests.runtime.test_runtime_open import write_notebook
from tests.sessions import notebook_session

pytestmark = pytest.mark.skipif(
    not JEG.exists() and not os.environ.get("CI"),
    reason="Enterprise Gateway is not installed: run .ci/setup.d/runtime.sh",
)

BIG = {
    "id": "gpu-big",
    "label": "Big GPU",
    "accelerator": "gpu",
    "gpus": 2,
    "resources": {"memory": "64G", "cpus": 8},
}


@pytest.fixture
def gateway(tmp_path: Path) -> Iterator[str]:
    """A running Enterprise Gateway with local kernels; its URL."""
    with running_gateway(tmp_path) as url:
        yield url


@pytest.fixture
def jp_server_config(gateway: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    return gateway_server_config(gateway, monkeypatch, [BIG])


NAMES = ["KERNEL_GPUS", "KERNEL_RUNTIME_TYPE", "KERNEL_MEMORY", "KERNEL_CPUS", "KERNEL_USERNAME"]


async def test_gateway_kernels_get_the_type_resources(
    jp_fetch: Any, jp_ws_fetch: Any, jp_root_dir: Path, nvml: Any
) -> None:
    listing = await types(jp_fetch)
    assert listing["gateway"] is True
    assert {t["id"]: t["available"] for t in listing["types"]}["gpu-big"] is True

    # A notebook asking for a GPU starts on the gateway with the GPU type's variables.
    path = write_notebook(jp_root_dir, "cluster.ipynb", {"accelerator": "GPU"})
    async with notebook_session(jp_fetch, path) as session:
        first = session["kernel"]["id"]
        env = await kernel_env(jp_ws_fetch, first, NAMES)
        assert env["KERNEL_GPUS"] == "1"
        assert env["KERNEL_RUNTIME_TYPE"] == "gpu"
        assert env["KERNEL_USERNAME"] == "colab-ext-test"
        assert (await current(jp_fetch, first))["type"] == "gpu"

        # Changing type: a new gateway kernel with the new variables, the session moved onto it.
        answer = await switch(jp_fetch, first, "gpu-big")
        second = answer["kernel_id"]
        assert second != first
        assert answer["type"] == "gpu-big" and answer["gateway"] is True
        env = await kernel_env(jp_ws_fetch, second, NAMES)
        assert (env["KERNEL_GPUS"], env["KERNEL_MEMORY"], env["KERNEL_CPUS"]) == ("2", "64G", "8")
        assert env["KERNEL_RUNTIME_TYPE"] == "gpu-big"
        sessions = json.loads((await jp_fetch("api", "sessions")).body)
        assert [s["kernel"]["id"] for s in sessions if s["id"] == session["id"]] == [second]
        kernels = [k["id"] for k in json.loads((await jp_fetch("api", "kernels")).body)]
        assert first not in kernels and second in kernels

        # A GPU picked by hand makes no sense on a cluster: refused, nothing changed.
        from tests.runtime.runtime_client import refused

        code, text = await refused(jp_fetch, second, {"type": "gpu", "gpus": [0]})
        assert code == 400 and "the gateway places GPUs" in text

        # What the server cannot see of a gateway's kernels is said, for the page to show.
        about = json.loads((await jp_fetch("colab", "runtime", "about")).body)
        assert about["kernels_remote"] is True
        # The kernel's display name, from the gateway's kernelspec (not its bare name).
        [kernel] = [k for k in about["kernels"] if k["id"] == second]
        assert kernel["display_name"].startswith("Python 3"), kernel
        sample = json.loads((await jp_fetch("colab", "resources")).body)
        assert sample["kernels_remote"] is True
        lifetime = json.loads(
            (await jp_fetch("colab", "runtime", "kernels", second, "lifetime")).body
        )
        assert lifetime["kernels_remote"] is True
        assert lifetime["idle_timeout_s"] is None and lifetime["idle_shutdown_in_s"] is None
