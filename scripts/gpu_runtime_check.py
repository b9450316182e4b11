"""On a machine with a real NVIDIA GPU: the runtime type decides what CUDA shows the kernel.

Starts a Jupyter server with colab-ext, opens a notebook session, and for the GPU and the CPU types
asks the kernel how many CUDA devices it sees (``torch.cuda.device_count()`` when PyTorch is
installed, else the CUDA driver's own ``cuDeviceGetCount``). Expects 1 on GPU and 0 on CPU.

    python scripts/gpu_runtime_check.py        # exit status 0: as expected; 1: not; 2: no GPU
"""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from typing import Any

from tornado.websocket import websocket_connect

COUNT_DEVICES = """
try:
    import torch
    print("torch", torch.cuda.device_count())
except ImportError:
    import ctypes
    cuda = ctypes.CDLL("libcuda.so.1")
    count = ctypes.c_int(0)
    assert cuda.cuInit(0) in (0, 100), "cuInit failed"  # 100: no device visible
    cuda.cuDeviceGetCount(ctypes.byref(count))
    print("libcuda", count.value)
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    def __init__(self) -> None:
        self.port, self.token = free_port(), secrets.token_hex(16)
        self.root = tempfile.mkdtemp(prefix="colab-ext-gpu-check-")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "jupyter_server",
                f"--port={self.port}",
                "--no-browser",
                f"--ServerApp.token={self.token}",
                f"--ServerApp.root_dir={self.root}",
                "--ServerApp.allow_root=True",
                "--ServerApp.jpserver_extensions={'colab_ext': True}",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def call(self, method: str, path: str, body: Any = None) -> Any:
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}/{path}",
            method=method,
            data=None if body is None else json.dumps(body).encode(),
            headers={"Authorization": f"token {self.token}"},
        )
        with urllib.request.urlopen(request, timeout=120) as response:
            text = response.read()
        return json.loads(text) if text else None

    def wait(self) -> None:
        deadline = time.monotonic() + 60
        while True:
            try:
                self.call("GET", "api/status")
                return
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)

    async def run(self, kernel_id: str, code: str) -> str:
        url = f"ws://127.0.0.1:{self.port}/api/kernels/{kernel_id}/channels?token={self.token}"
        ws = await websocket_connect(url)
        msg_id = uuid.uuid4().hex
        ws.write_message(
            json.dumps(
                {
                    "header": {
                        "msg_id": msg_id,
                        "msg_type": "execute_request",
                        "username": "check",
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
        out = []
        while True:
            message = json.loads(await ws.read_message())
            if message.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            if message["msg_type"] in ("stream", "error"):
                out.append(message["content"].get("text") or str(message["content"]))
            if message["msg_type"] == "status" and message["content"]["execution_state"] == "idle":
                ws.close()
                return "".join(out).strip()


async def main() -> int:
    server = Server()
    try:
        server.wait()
        catalogue = server.call("GET", "colab/runtime/types")
        if not catalogue["gpus"]:
            print(f"No GPU here ({catalogue['gpu_problem']}): nothing to check.")
            return 2
        session = server.call(
            "POST",
            "api/sessions",
            {"path": "check.ipynb", "type": "notebook", "kernel": {"name": "python3"}},
        )
        kernel_id = session["kernel"]["id"]
        failures = 0
        for type_id, expected in (("gpu", 1), ("cpu", 0)):
            runtime = server.call(
                "PUT", f"colab/runtime/kernels/{kernel_id}/type", {"type": type_id}
            )
            answer = await server.run(kernel_id, COUNT_DEVICES)
            seen = int(answer.split()[-1]) if answer.split()[-1].isdigit() else None
            verdict = "ok" if seen == expected else "WRONG"
            failures += verdict != "ok"
            print(
                f"{runtime['summary']:<24} devices seen: {answer!r:<16} "
                f"expected {expected}: {verdict}"
            )
        return 1 if failures else 0
    finally:
        server.process.terminate()
        server.process.wait(timeout=30)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(asyncio.run(main()))
