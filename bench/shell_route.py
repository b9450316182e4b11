"""Shell route: throughput and latency against the baselines the issue names, in the same run.

1. Throughput: `seq 1 2000000` (16.9 MB) through colab-ext's shell WebSocket, every byte delivered
   (cap set above it), vs the same command through terminado's terminal WebSocket (JupyterLab's
   terminals) on the same server. Goal: ratio >= 1.0.
2. Latency of `true`: run sent -> exit received on the shell WebSocket, vs IPython's `!true` in
   ipykernel (execute_request -> execute_reply) on the same server. Goal: median under 20 ms.

    python bench/shell_route.py --runs 3 --latency-runs 30
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path
from typing import Any

from tornado.httpclient import HTTPRequest
from tornado.websocket import WebSocketClientConnection, websocket_connect

SEQ = "seq 1 2000000"
SEQ_BYTES = sum(len(f"{n}\n") for n in range(1, 2_000_001))
TOKEN = uuid.uuid4().hex
#: IPython's own `!true` (colab-ext's kernel-side `!` is on by default in the server's kernels).
IPYTHON_TRUE = "%colab_ext_shell off\n!true"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(root: Path, port: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyter",
            "server",
            "--no-browser",
            f"--port={port}",
            "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={TOKEN}",
            "--ServerApp.allow_root=True",
            f"--ServerApp.root_dir={root}",
            "--ServerApp.jpserver_extensions=colab_ext=True",
            # Every byte delivered: no cap in this measurement.
            "--ColabExt.shell_output_limit=0",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/status?token={TOKEN}", timeout=1)
            return server
        except OSError:
            time.sleep(0.3)
    server.kill()
    raise SystemExit("jupyter server did not start within 60 s")


def rest(port: int, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        method=method,
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Authorization": f"token {TOKEN}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        raw = response.read()
    return json.loads(raw) if raw else None


async def connect(port: int, path: str) -> WebSocketClientConnection:
    request = HTTPRequest(
        f"ws://127.0.0.1:{port}{path}", headers={"Authorization": f"token {TOKEN}"}
    )
    return await websocket_connect(request, max_message_size=64 * 1024 * 1024)


async def colab_run(ws: WebSocketClientConnection, command: str) -> tuple[float, int]:
    """Seconds from run to exit, and output bytes received."""
    command_id = uuid.uuid4().hex[:8]
    received = 0
    start = time.perf_counter()
    # As the notebook sends it: the folder of the notebook, here the root.
    message = {"type": "run", "id": command_id, "command": command, "cwd": ""}
    await ws.write_message(json.dumps(message))
    while True:
        raw = await ws.read_message()
        assert raw is not None, "socket closed"
        message = json.loads(raw)
        if message["type"] == "output":
            received += len(message["text"].encode())
        elif message["type"] == "exit":
            return time.perf_counter() - start, received
        elif message["type"] == "error":
            raise SystemExit(message["message"])


async def terminado_run(port: int, command: str) -> float:
    """Seconds from sending the command line to seeing its end marker, terminado's way."""
    name = rest(port, "POST", "/api/terminals")["name"]
    ws = await connect(port, f"/terminals/websocket/{name}")
    marker = uuid.uuid4().hex
    try:
        # Wait for the shell to be ready, then quiet its echo so only the command's output counts.
        await ws.write_message(json.dumps(["stdin", "stty -echo\r"]))
        await asyncio.sleep(1.0)
        while True:  # drain the prompt
            try:
                await asyncio.wait_for(ws.read_message(), 0.3)
            except asyncio.TimeoutError:
                break
        start = time.perf_counter()
        await ws.write_message(json.dumps(["stdin", f"{command}; echo {marker}\r"]))
        tail = ""
        while True:
            raw = await ws.read_message()
            assert raw is not None, "terminal closed"
            kind, *payload = json.loads(raw)
            if kind == "stdout":
                tail = (tail + payload[0])[-200:]
                if marker in tail:
                    return time.perf_counter() - start
    finally:
        ws.close()
        rest(port, "DELETE", f"/api/terminals/{name}")


async def ipython_true(port: int, kernel_id: str, runs: int) -> list[float]:
    """execute_request -> execute_reply of `!true` in ipykernel, through the kernel's WebSocket."""
    ws = await connect(port, f"/api/kernels/{kernel_id}/channels")
    session = uuid.uuid4().hex
    times = []
    try:
        for _ in range(runs + 1):
            msg_id = uuid.uuid4().hex
            message = {
                "header": {
                    "msg_id": msg_id,
                    "msg_type": "execute_request",
                    "session": session,
                    "username": "bench",
                    "version": "5.3",
                    "date": "",
                },
                "parent_header": {},
                "metadata": {},
                "content": {"code": IPYTHON_TRUE, "silent": False, "store_history": False},
                "channel": "shell",
                "buffers": [],
            }
            start = time.perf_counter()
            await ws.write_message(json.dumps(message))
            while True:
                raw = await ws.read_message()
                assert raw is not None
                reply = json.loads(raw)
                if (
                    reply.get("msg_type") == "execute_reply"
                    and reply["parent_header"].get("msg_id") == msg_id
                ):
                    times.append(time.perf_counter() - start)
                    break
    finally:
        ws.close()
    return times[1:]  # the first one warms IPython's system() up


async def measure(port: int, runs: int, latency_runs: int) -> dict[str, Any]:
    session = rest(
        port,
        "POST",
        "/api/sessions",
        {"path": "bench.ipynb", "type": "notebook", "kernel": {"name": "python3"}},
    )
    kernel_id = session["kernel"]["id"]
    await asyncio.sleep(2)  # the kernel settles
    shell = await connect(port, f"/colab/shell/kernels/{kernel_id}/socket")
    await colab_run(shell, "true")  # warm
    colab_rates, terminado_rates = [], []
    for run in range(runs):
        # Alternate which goes first, so drift hits both alike.
        for which in ("colab", "terminado") if run % 2 == 0 else ("terminado", "colab"):
            if which == "colab":
                seconds, received = await colab_run(shell, SEQ)
                if received != SEQ_BYTES:
                    raise SystemExit(f"colab-ext delivered {received} of {SEQ_BYTES} bytes")
                colab_rates.append(SEQ_BYTES / seconds / 1e6)
            else:
                terminado_rates.append(SEQ_BYTES / await terminado_run(port, SEQ) / 1e6)
    colab_latency = [(await colab_run(shell, "true"))[0] for _ in range(latency_runs)]
    ipython_latency = await ipython_true(port, kernel_id, max(5, latency_runs // 3))
    shell.close()
    rest(port, "DELETE", f"/api/sessions/{session['id']}")
    return {
        "colab_mb_s": colab_rates,
        "terminado_mb_s": terminado_rates,
        "colab_true_ms": [t * 1000 for t in colab_latency],
        "ipython_true_ms": [t * 1000 for t in ipython_latency],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="throughput runs of each")
    parser.add_argument("--latency-runs", type=int, default=30, help="`true` runs")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="colab-bench-shell-"))
    port = free_port()
    server = start_server(work, port)
    try:
        results = asyncio.run(measure(port, args.runs, args.latency_runs))
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)
    colab = statistics.median(results["colab_mb_s"])
    terminado = statistics.median(results["terminado_mb_s"])
    colab_true = statistics.median(results["colab_true_ms"])
    ipython_true_ms = statistics.median(results["ipython_true_ms"])
    print(f"shell route: `{SEQ}` ({SEQ_BYTES / 1e6:.1f} MB), median of {args.runs} runs each")
    runs = {key: [round(r, 1) for r in values] for key, values in results.items()}
    print(f"  colab-ext shell socket : {colab:7.1f} MB/s  {runs['colab_mb_s']}")
    print(f"  terminado terminal     : {terminado:7.1f} MB/s  {runs['terminado_mb_s']}")
    print(f"  ratio colab-ext/terminado: {colab / terminado:.2f} (goal >= 1.0)")
    print(f"latency of `true`, median of {args.latency_runs} runs")
    print(f"  colab-ext `!true`      : {colab_true:7.1f} ms (goal < 20 ms)")
    print(f"  IPython `!true`        : {ipython_true_ms:7.1f} ms")
    print(f"  ratio IPython/colab-ext: {ipython_true_ms / colab_true:.1f}x faster")
    out = Path(__file__).with_name("results")
    out.mkdir(exist_ok=True)
    (out / "shell_route.json").write_text(json.dumps(results))


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main()
