"""Part 2 of ``resources_event_loop.py``: a real Jupyter server's CPU with 1 and 20 subscribers.

The server runs colab-ext in a child process at the default 1 s interval with the stand-in
NVML (two GPUs). Its CPU time is read from the kernel's per-process CPU clock (every thread,
those that already ended included, to the nanosecond; ``/proc/<pid>/stat`` counts 10 ms ticks).
"""

from __future__ import annotations

import asyncio
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import psutil
from tornado.httpclient import HTTPRequest
from tornado.websocket import websocket_connect

TOKEN = "bench-resources-token"
HEADERS = {"Authorization": f"token {TOKEN}"}


@dataclass
class Phase:
    """One measured window: server CPU per second, and what the clients received."""

    cpu_ms_per_s: float
    received_per_s: float


def start_server(port: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    """``jupyter server`` with colab-ext, token-authenticated, on ``port``."""
    root = Path(tempfile.mkdtemp(prefix="colab-ext-bench-root-"))
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyter",
            "server",
            f"--port={port}",
            "--ip=127.0.0.1",
            "--no-browser",
            "--allow-root",
            f"--ServerApp.root_dir={root}",
            f"--IdentityProvider.token={TOKEN}",
            "--ServerApp.jpserver_extensions={'colab_ext': True}",
            "--ColabExt.resources_interval=1.0",
        ],
        env=dict(env, JUPYTER_RUNTIME_DIR=str(root / ".runtime")),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 90
    while True:
        request = urllib.request.Request(f"http://127.0.0.1:{port}/api/status", headers=HEADERS)
        try:
            urllib.request.urlopen(request, timeout=5).read()
            return server
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                raise SystemExit("the Jupyter server did not start") from None
            time.sleep(0.3)


def cpu_seconds(pid: int) -> float:
    """CPU time of process ``pid`` so far, all its threads, in ns precision.

    The clock id is what glibc's ``clock_getcpuclockid(pid)`` returns (Linux's
    ``MAKE_PROCESS_CPUCLOCK(pid, CPUCLOCK_SCHED)``), which Python does not wrap.
    """
    return time.clock_gettime((~pid << 3) | 2)


def _cpu_seconds(process: psutil.Process) -> float:
    return cpu_seconds(process.pid)


async def _subscriber(url: str, start: float, until: float, counts: list[int], slot: int) -> None:
    """One WebSocket subscriber, connected before ``start``; counts frames from then on."""
    connection = await websocket_connect(HTTPRequest(url, headers=HEADERS))
    try:
        while (remaining := until - time.monotonic()) > 0:
            try:
                frame = await asyncio.wait_for(connection.read_message(), remaining)
            except asyncio.TimeoutError:
                break
            if frame is None:
                raise SystemExit("the resources socket closed during the benchmark")
            if time.monotonic() >= start:
                counts[slot] += 1
    finally:
        connection.close()


async def _poller(url: str, start: float, until: float, counts: list[int], slot: int) -> None:
    """One tab polling once a second over one kept-alive connection, as a browser does."""
    parts = urlsplit(url)
    reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
    request = (
        f"GET {parts.path} HTTP/1.1\r\nHost: {parts.netloc}\r\n"
        f"Authorization: token {TOKEN}\r\nConnection: keep-alive\r\n\r\n"
    ).encode()
    try:
        while time.monotonic() < until:
            asked = time.monotonic()
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            if not head.startswith(b"HTTP/1.1 200"):
                raise SystemExit(f"the resources route answered {head[:40]!r}")
            length = re.search(rb"(?i)content-length: *(\d+)", head)
            assert length is not None
            await reader.readexactly(int(length.group(1)))
            if asked >= start:
                counts[slot] += 1
            await asyncio.sleep(max(0.0, 1.0 - (time.monotonic() - asked)))
    finally:
        writer.close()


Client = Callable[[str, float, float, list[int], int], Awaitable[None]]


async def measure(
    process: psutil.Process, client: Client | None, url: str, clients: int, seconds: float
) -> Phase:
    """Server CPU while ``clients`` run ``client`` for ``seconds``.

    The clients connect and run 2 s first; connecting is not part of what is measured.
    """
    start = time.monotonic() + 2
    until = start + seconds
    counts = [0] * clients
    tasks = [
        asyncio.create_task(client(url, start, until, counts, slot))
        for slot in range(clients if client else 0)
    ]
    await asyncio.sleep(max(0.0, start - time.monotonic()))
    before = _cpu_seconds(process)
    await asyncio.sleep(max(0.0, until - time.monotonic()))
    used = _cpu_seconds(process) - before
    await asyncio.gather(*tasks)
    return Phase(used / seconds * 1000, sum(counts) / seconds)


async def phases(
    port: int, process: psutil.Process, seconds: float, rounds: int
) -> dict[str, list[Phase]]:
    """The idle server, then ``rounds`` rounds of 1 and 20 WebSocket subscribers and 1 and 20
    HTTP pollers, interleaved so that a slow moment of the machine hits every kind alike."""
    ws = f"ws://127.0.0.1:{port}/colab/resources/socket"
    http = f"http://127.0.0.1:{port}/colab/resources"
    await asyncio.sleep(5)  # let the freshly started server settle
    results: dict[str, list[Phase]] = {"idle": [await measure(process, None, "", 0, seconds)]}
    for _ in range(rounds):
        for name, client, url in (("ws", _subscriber, ws), ("http", _poller, http)):
            for clients in (1, 20):
                phase = await measure(process, client, url, clients, seconds)
                results.setdefault(f"{name} {clients}", []).append(phase)
    return results


def run(port: int, env: dict[str, str], seconds: float, rounds: int) -> dict[str, list[Phase]]:
    """Start the server, measure every phase, stop it."""
    server = start_server(port, env)
    try:
        return asyncio.run(phases(port, psutil.Process(server.pid), seconds, rounds))
    finally:
        server.terminate()
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()


def _median(phases: list[Phase]) -> Phase:
    cpu = statistics.median(phase.cpu_ms_per_s for phase in phases)
    return Phase(cpu, statistics.median(phase.received_per_s for phase in phases))


def _each(phases: list[Phase]) -> str:
    return ", ".join(f"{phase.cpu_ms_per_s:.2f}" for phase in phases)


def report(results: dict[str, list[Phase]], per_request: tuple[float, float]) -> list[str]:
    """The lines part 2 prints: the goal's ratio first, then the two ratios that explain it."""
    median = {name: _median(phases) for name, phases in results.items()}
    idle, ws1, ws20 = median["idle"], median["ws 1"], median["ws 20"]
    http1, http20 = median["http 1"], median["http 20"]
    ratio = ws20.cpu_ms_per_s / max(ws1.cpu_ms_per_s, 1e-6)
    design = per_request[1] / max(per_request[0], 1e-6)
    lines = [
        f"   (medians of {len(results['ws 1'])} interleaved rounds; every round in brackets)",
        f"   idle server, no sampler          {idle.cpu_ms_per_s:6.2f} ms/s",
        f"   WebSocket push   1 subscriber    {ws1.cpu_ms_per_s:6.2f} ms/s "
        f"[{_each(results['ws 1'])}] ({ws1.received_per_s:.1f} frames/s received)",
        f"   WebSocket push  20 subscribers   {ws20.cpu_ms_per_s:6.2f} ms/s "
        f"[{_each(results['ws 20'])}] ({ws20.received_per_s:.1f} frames/s received)",
        f"   WebSocket push, 20 vs 1: {ratio:.2f}x (goal: at most 1.2x)",
        f"   HTTP polling     1 client        {http1.cpu_ms_per_s:6.2f} ms/s "
        f"[{_each(results['http 1'])}]",
        f"   HTTP polling    20 clients       {http20.cpu_ms_per_s:6.2f} ms/s "
        f"[{_each(results['http 20'])}] ({http20.received_per_s:.1f} answers/s)",
        f"   HTTP polling (kept-alive connections), 20 vs 1: "
        f"{http20.cpu_ms_per_s / max(http1.cpu_ms_per_s, 1e-6):.2f}x",
        f"   sampling again per request (plain tornado, the common design): 1 client "
        f"{per_request[0]:.2f} ms/s, 20 clients {per_request[1]:.2f} ms/s: {design:.2f}x",
    ]
    sampler = ws1.cpu_ms_per_s - idle.cpu_ms_per_s
    frames = ws20.received_per_s - ws1.received_per_s
    frame = (ws20.cpu_ms_per_s - ws1.cpu_ms_per_s) / max(frames, 1)
    requests = http20.received_per_s - http1.received_per_s
    request = (http20.cpu_ms_per_s - http1.cpu_ms_per_s) / max(requests, 1)
    per_frame = f"{frame * 1000:.0f} us" if frame > 0 else "below the rounds' noise"
    lines.append(
        f"   why: the shared sampler and one subscriber cost {sampler:.2f} ms/s over the idle "
        f"server; each further pushed frame {per_frame}, each further HTTP request "
        f"{request * 1000:.0f} us"
    )
    return lines


def environment() -> dict[str, str]:
    """This process's environment (stand-in NVML on LD_LIBRARY_PATH and its config)."""
    return dict(os.environ)
