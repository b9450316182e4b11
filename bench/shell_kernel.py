"""`!` in an IPython kernel: colab-ext's kernel-side extension against IPython's own, same run.

A Jupyter server with colab-ext starts one ipykernel (which loads ``colab_ext_shell``); each
measurement runs in that kernel with colab-ext's `!`, then with IPython's own (``%colab_ext_shell
off``), through the server's kernel WebSocket as JupyterLab talks to it (so the server's IOPub
data rate limit applies).

1. `!seq 1 200000` (1.3 MB): time from execute_request to idle with every line received, and the
   kernel-side time the cell took. Goal (issue #14): at least 30x faster than IPython's own.
2. `!true`: execute_request -> idle, median. Goal: under 20 ms (IPython's own: ~120 ms).

In Chromium (``--browser``), as a user sees it in JupyterLab: time from the run command to the
cell's execution count, for `!seq 1 200000` through the extension, `%%shell seq 1 200000`
through colab-ext's server route, and IPython's own `!` (cut at ``--deadline``, a lower bound),
and `!true` against an empty cell (the kernel's own round trip) and `%%shell true`.

    python bench/shell_kernel.py --runs 3 --latency-runs 30
    python bench/shell_kernel.py --browser --runs 3 --latency-runs 15 --deadline 60
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from tornado.httpclient import HTTPRequest
from tornado.websocket import WebSocketClientConnection, websocket_connect

sys.path.insert(0, str(Path(__file__).resolve().parent))
from shell_route import TOKEN, free_port, start_server

SEQ_LINES = 200_000
SEQ_CELL = (
    "_start = __import__('time').perf_counter()\n"
    f"!seq 1 {SEQ_LINES}\n"
    "print(f\"\\nKERNEL_S={__import__('time').perf_counter() - _start:.4f}\")"
)


class KernelSocket:
    """JupyterLab's side of a kernel WebSocket: execute a cell, collect its stream output."""

    def __init__(self, ws: WebSocketClientConnection) -> None:
        self.ws = ws
        self.session = uuid.uuid4().hex

    async def execute(self, code: str) -> tuple[float, str]:
        msg_id = uuid.uuid4().hex
        header = {
            "msg_id": msg_id,
            "msg_type": "execute_request",
            "session": self.session,
            "username": "bench",
            "version": "5.3",
            "date": "",
        }
        content = {"code": code, "silent": False, "store_history": False, "allow_stdin": False}
        message = {"header": header, "parent_header": {}, "metadata": {}, "content": content}
        started = time.perf_counter()
        await self.ws.write_message(json.dumps({**message, "channel": "shell", "buffers": []}))
        text: list[str] = []
        while True:
            raw = await self.ws.read_message()
            if raw is None:
                raise RuntimeError("the kernel WebSocket closed")
            reply = json.loads(raw)
            if reply.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind = reply["msg_type"]
            if kind == "stream":
                text.append(reply["content"]["text"])
            elif kind == "error":
                raise RuntimeError(f"{reply['content']['ename']}: {reply['content']['evalue']}")
            elif kind == "status" and reply["content"]["execution_state"] == "idle":
                return time.perf_counter() - started, "".join(text)


async def open_kernel(port: int) -> tuple[KernelSocket, str]:
    from tornado.httpclient import AsyncHTTPClient

    base = f"http://127.0.0.1:{port}"
    headers = {"Authorization": f"token {TOKEN}"}
    response = await AsyncHTTPClient().fetch(
        f"{base}/api/kernels", method="POST", body="{}", headers=headers
    )
    kernel_id = json.loads(response.body)["id"]
    request = HTTPRequest(
        f"ws://127.0.0.1:{port}/api/kernels/{kernel_id}/channels", headers=headers
    )
    return KernelSocket(await websocket_connect(request, max_message_size=1 << 30)), kernel_id


def check_seq(text: str) -> float:
    """Every line of `seq` arrived, in order; the kernel-side seconds the cell printed."""
    body, _, kernel = text.replace("\r\n", "\n").rpartition("KERNEL_S=")
    lines = body.split()
    if lines != [str(n) for n in range(1, SEQ_LINES + 1)]:
        raise AssertionError(f"seq output incomplete: {len(lines)} lines")
    return float(re.match(r"[\d.]+", kernel).group())  # type: ignore[union-attr]


async def measure(port: int, runs: int, latency_runs: int) -> dict[str, Any]:
    kernel, _ = await open_kernel(port)
    await kernel.execute("1")
    results: dict[str, Any] = {}
    for mode in ("on", "off"):
        await kernel.execute(f"%colab_ext_shell {mode}")
        name = "colab_ext" if mode == "on" else "ipython"
        walls, kernels = [], []
        for _ in range(runs):
            wall, text = await kernel.execute(SEQ_CELL)
            kernels.append(check_seq(text))
            walls.append(wall)
        await kernel.execute("!true")  # warm
        latencies = []
        for _ in range(latency_runs):
            wall, _text = await kernel.execute("!true")
            latencies.append(wall)
        empty = []
        for _ in range(latency_runs):
            wall, _text = await kernel.execute("pass")
            empty.append(wall)
        results[name] = {
            "empty_median_ms": statistics.median(empty) * 1000,
            "seq_wall_s": statistics.median(walls),
            "seq_kernel_s": statistics.median(kernels),
            "true_median_ms": statistics.median(latencies) * 1000,
        }
        print(name, json.dumps(results[name]), flush=True)
    await kernel.execute("%colab_ext_shell on")
    return results


def browser(runs: int, latency_runs: int, deadline: float) -> dict[str, Any]:
    """The same cells in a notebook in headless Chromium (see the module's docstring)."""
    from playwright.sync_api import sync_playwright
    from shell_browser import Notebook
    from startup import free_port as free_lab_port
    from startup import start_lab

    port = free_lab_port()
    with tempfile.TemporaryDirectory() as root:
        server = start_lab(Path(root), port, {**os.environ})
        try:
            with sync_playwright() as playwright:
                notebook = Notebook(playwright, f"http://127.0.0.1:{port}/lab")
                results = browser_runs(notebook, runs, latency_runs, deadline)
                notebook.close()
        finally:
            server.terminate()
            server.wait(timeout=30)
    return results


def browser_runs(notebook: Any, runs: int, latency_runs: int, deadline: float) -> dict[str, Any]:
    seq = f"seq 1 {SEQ_LINES}"
    true_cells = {"empty cell": "pass", "colab-ext !": "!true", "route %%shell": "%%shell\ntrue"}
    latency: dict[str, list[float]] = {name: [] for name in [*true_cells, "IPython's own !"]}
    notebook.run("%colab_ext_shell on")
    for _ in range(latency_runs):
        for name, source in true_cells.items():
            result = _switched(notebook, name, lambda s=source: notebook.run(s))
            latency[name].append(result["done"])
    flood: dict[str, list[float | None]] = {"colab-ext !": [], "route %%shell": []}
    for run in range(runs):
        order = [("colab-ext !", f"!{seq}"), ("route %%shell", f"%%shell\n{seq}")]
        for name, source in order if run % 2 == 0 else order[::-1]:
            result = _switched(notebook, name, lambda s=source: notebook.run_until(s, deadline))
            flood[name].append(None if result is None else result["done"])
    notebook.run("%colab_ext_shell off")
    for _ in range(latency_runs):
        latency["IPython's own !"].append(notebook.run("!true")["done"])
    result = notebook.run_until(f"!{seq}", deadline)  # the page is thrown away if it is cut
    flood["IPython's own !"] = [None if result is None else result["done"]]
    return {"latency_ms": latency, "seq_ms": flood}


def _switched(notebook: Any, name: str, run: Any) -> Any:
    """``run()``, for the route with the kernel's extension off (while it is on, the kernel runs
    ``%%shell`` cells itself); the switching cells are not timed."""
    if not name.startswith("route"):
        return run()
    notebook.run("%colab_ext_shell off")
    try:
        return run()
    finally:
        notebook.run("%colab_ext_shell on")


def report_browser(results: dict[str, Any], deadline: float) -> None:
    print("In Chromium, run command to the cell's execution count (median ms):")
    for name, times in results["latency_ms"].items():
        cell = "pass" if name == "empty cell" else "true"
        print(f"  `{cell}` {name:16}: {statistics.median(times):7.1f}")
    medians = {}
    for name, times in results["seq_ms"].items():
        done = [t if t is not None else deadline * 1000 for t in times]
        medians[name] = statistics.median(done)
        bound = ">=" if None in times else "  "
        print(f"  `seq 1 {SEQ_LINES}` {name:16}: {bound}{medians[name]:7.0f}  {times}")
    ours = medians["colab-ext !"]
    print(f"  colab-ext ! / route: {ours / medians['route %%shell']:.2f}x (goal <= 1.2)")
    theirs = medians["IPython's own !"]
    print(f"  IPython's own / colab-ext !: >= {theirs / ours:.0f}x (goal >= 30)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--latency-runs", type=int, default=30)
    parser.add_argument("--browser", action="store_true", help="in Chromium (see above)")
    parser.add_argument("--deadline", type=float, default=60, help="seconds before a run is cut")
    args = parser.parse_args()
    if args.browser:
        results = browser(args.runs, args.latency_runs, args.deadline)
        out = Path(__file__).with_name("results")
        out.mkdir(exist_ok=True)
        (out / "shell_kernel_browser.json").write_text(json.dumps(results))
        report_browser(results, args.deadline)
        return
    port = free_port()
    with tempfile.TemporaryDirectory() as root:
        server = start_server(Path(root), port)
        try:
            results = asyncio.run(measure(port, args.runs, args.latency_runs))
        finally:
            server.terminate()
            server.wait(timeout=30)
    out = Path(__file__).with_name("results")
    out.mkdir(exist_ok=True)
    (out / "shell_kernel.json").write_text(json.dumps(results))
    ours, theirs = results["colab_ext"], results["ipython"]
    print(
        f"!seq 1 {SEQ_LINES}: colab-ext {ours['seq_wall_s']:.2f} s "
        f"(kernel {ours['seq_kernel_s']:.2f} s), IPython's own {theirs['seq_wall_s']:.2f} s "
        f"(kernel {theirs['seq_kernel_s']:.2f} s): {theirs['seq_wall_s'] / ours['seq_wall_s']:.1f}x"
    )
    ours_ms, theirs_ms = ours["true_median_ms"], theirs["true_median_ms"]
    print(
        f"!true median: colab-ext {ours_ms:.1f} ms, IPython's own {theirs_ms:.1f} ms "
        f"(an empty cell: {ours['empty_median_ms']:.1f} ms): {theirs_ms / ours_ms:.1f}x"
    )


if __name__ == "__main__":
    main()
