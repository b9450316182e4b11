"""Helpers for the gateway tests: a real Jupyter Enterprise Gateway, and code run in its kernels.

Enterprise Gateway 3.3 needs an older jupyter_server, so it runs from its own virtual environment,
made by ``.ci/setup.d/runtime.sh`` (``COLAB_EXT_JEG_VENV``).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import time
import urllib.request
import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from jupyter_server.gateway.gateway_client import GatewayClient

JEG_VENV = Path(
    os.environ.get("COLAB_EXT_JEG_VENV")
    or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "colab-ext/jeg-venv"
)
JEG = JEG_VENV / "bin" / "jupyter-enterprisegateway"


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


@contextmanager
def running_gateway(
    home: Path, args: Sequence[str] = (), env: Mapping[str, str | None] | None = None
) -> Iterator[str]:
    """An Enterprise Gateway on loopback, its home and log (``gateway.log``) in ``home``; its URL.

    It runs with this process's environment less its ``JUPYTER*`` variables, updated with ``env``
    (``None`` unsets a name); ``args`` go on its command line.
    """
    assert JEG.exists(), f"{JEG} is missing: run .ci/setup.d/runtime.sh"
    port = free_port()
    gateway_env = {k: v for k, v in os.environ.items() if not k.startswith("JUPYTER")}
    gateway_env["HOME"] = str(home)
    for name, value in (env or {}).items():
        if value is None:
            gateway_env.pop(name, None)
        else:
            gateway_env[name] = value
    log = (home / "gateway.log").open("w")
    process = subprocess.Popen(
        # JupyterLab lists kernels, which Enterprise Gateway allows only when told to.
        [
            str(JEG),
            "--ip=127.0.0.1",
            f"--port={port}",
            "--port_retries=0",
            "--EnterpriseGatewayApp.list_kernels=True",
            *args,
        ],
        env=gateway_env,
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=home,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/api/kernelspecs", timeout=2):
                    break
            except OSError:
                assert process.poll() is None, (home / "gateway.log").read_text()
                assert time.monotonic() < deadline, "Enterprise Gateway did not start"
                time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()
        GatewayClient.clear_instance()  # later servers in this process run without a gateway


async def kernel_json(jp_ws_fetch: Any, kernel_id: str, expression: str) -> Any:
    """Evaluate a JSON-able Python expression in the kernel (through the server's websocket)."""
    ws = await jp_ws_fetch("api", "kernels", kernel_id, "channels")
    msg_id = uuid.uuid4().hex
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
                    "code": f"import os, json; print(json.dumps({expression}))",
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
                return json.loads(message["content"]["text"])
        raise AssertionError("the gateway kernel printed nothing")
    finally:
        ws.close()


async def kernel_env(jp_ws_fetch: Any, kernel_id: str, names: list[str]) -> dict[str, str | None]:
    """Some of the kernel's environment variables, as the kernel sees them."""
    expression = f"{{n: os.environ.get(n) for n in {names!r}}}"
    return dict(await kernel_json(jp_ws_fetch, kernel_id, expression))


def gateway_server_config(
    url: str, monkeypatch: pytest.MonkeyPatch, runtime_types: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """A colab-ext server's config with every kernel on the gateway at ``url``."""
    # Enterprise Gateway refuses to start kernels for root without a user name; KERNEL_* variables
    # of the server's environment go with every start.
    monkeypatch.setenv("KERNEL_USERNAME", "colab-ext-test")
    # GatewayClient is a process-wide singleton: drop the one an earlier test's server made, or
    # this server would reuse it, without a gateway URL.
    GatewayClient.clear_instance()
    config: dict[str, Any] = {
        "ServerApp": {"jpserver_extensions": {"colab_ext": True}},
        "GatewayClient": {"url": url, "request_timeout": 60.0},
    }
    if runtime_types is not None:
        config["ColabExt"] = {"runtime_types": runtime_types}
    return config
