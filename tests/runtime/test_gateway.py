"""The runtime-type picker on a cluster: a real Jupyter Enterprise Gateway on loopback.

Enterprise Gateway 3.3 needs an older jupyter_server, so it runs from its own virtual environment,
made by ``.ci/setup.d/runtime.sh`` (``COLAB_EXT_JEG_VENV``). The kernels it starts print their own
environment: that is the proof that a type's ``KERNEL_*`` variables reached them.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import time
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from jupyter_server.gateway.gateway_client import GatewayClient

from tests.runtime.runtime_client import current, switch, types
from tests.runtime.test_runtime_open import write_notebook

JEG_VENV = Path(
    os.environ.get("COLAB_EXT_JEG_VENV")
    or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "colab-ext/jeg-venv"
)
JEG = JEG_VENV / "bin" / "jupyter-enterprisegateway"

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


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def gateway(tmp_path: Path) -> Iterator[str]:
    """A running Enterprise Gateway with local kernels; its URL."""
    assert JEG.exists(), f"{JEG} is missing: run .ci/setup.d/runtime.sh"
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("JUPYTER")}
    env["HOME"] = str(tmp_path)
    log = (tmp_path / "gateway.log").open("w")
    process = subprocess.Popen(
        # JupyterLab lists kernels, which Enterprise Gateway allows only when told to.
        [
            str(JEG),
            "--ip=127.0.0.1",
            f"--port={port}",
            "--port_retries=0",
            "--EnterpriseGatewayApp.list_kernels=True",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=tmp_path,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/api/kernelspecs", timeout=2):
                    break
            except OSError:
                assert process.poll() is None, (tmp_path / "gateway.log").read_text()
                assert time.monotonic() < deadline, "Enterprise Gateway did not start"
                time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()
        GatewayClient.clear_instance()  # later servers in this process run without a gateway


@pytest.fixture
def jp_server_config(gateway: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    # Enterprise Gateway refuses to start kernels for root without a user name; KERNEL_* variables
    # of the server's environment go with every start.
    monkeypatch.setenv("KERNEL_USERNAME", "colab-ext-test")
    # GatewayClient is a process-wide singleton: drop the one an earlier test's server made,
    # or this server would reuse it, without a gateway URL.
    GatewayClient.clear_instance()
    return {
        "ServerApp": {"jpserver_extensions": {"colab_ext": True}},
        "GatewayClient": {"url": gateway, "request_timeout": 60.0},
        "ColabExt": {"runtime_types": [BIG]},
    }


async def kernel_env(jp_ws_fetch: Any, kernel_id: str, names: list[str]) -> dict[str, str | None]:
    """Run code in the kernel (through the server's websocket) printing some variables."""
    ws = await jp_ws_fetch("api", "kernels", kernel_id, "channels")
    msg_id = uuid.uuid4().hex
    code = f"import os, json; print(json.dumps({{n: os.environ.get(n) for n in {names!r}}}))"
    ws.write_message(
        json.dumps(
            {
                "header": {
                    "msg_id": msg_id,
                    "msg_type": "execute_request",
                    "username": "t",
                    "session": uuid.uuid4().hex,
                    "version": "5.3",
                    "date": "",
                },
                "parent_header": {},
                "metadata": {},
                "channel": "shell",
                "content": {
                    "code": code,
                    "silent": False,
                    "store_history": False,
                    "user_expressions": {},
                    "allow_stdin": False,
                },
            }
        )
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            message = json.loads(await ws.read_message())
            if (
                message.get("parent_header", {}).get("msg_id") == msg_id
                and message["msg_type"] == "stream"
            ):
                return dict(json.loads(message["content"]["text"]))
        raise AssertionError("the gateway kernel printed nothing")
    finally:
        ws.close()


NAMES = ["KERNEL_GPUS", "KERNEL_RUNTIME_TYPE", "KERNEL_MEMORY", "KERNEL_CPUS", "KERNEL_USERNAME"]


async def test_gateway_kernels_get_the_type_resources(
    jp_fetch: Any, jp_ws_fetch: Any, jp_root_dir: Path, nvml: Any
) -> None:
    listing = await types(jp_fetch)
    assert listing["gateway"] is True
    assert {t["id"]: t["available"] for t in listing["types"]}["gpu-big"] is True

    # A notebook asking for a GPU starts on the gateway with the GPU type's variables.
    path = write_notebook(jp_root_dir, "cluster.ipynb", {"accelerator": "GPU"})
    response = await jp_fetch(
        "api",
        "sessions",
        method="POST",
        body=json.dumps({"path": path, "type": "notebook", "kernel": {"name": "python3"}}),
    )
    session = json.loads(response.body)
    first = session["kernel"]["id"]
    try:
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
    finally:
        await jp_fetch("api", "sessions", session["id"], method="DELETE")
