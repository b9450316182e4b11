"""The resource monitor's costs, each as a ratio against a baseline measured in the same run.

1. Event loop under a slow driver: the stand-in NVML takes ``--delay-ms`` (2000) per call. A
   client polls the resources route once a second, as a tab does, while another pings the server
   every 50 ms. colab-ext's sampler (NVML on its own thread, with a deadline) against the common
   design that calls NVML inside the request handler, on the event loop. Prints the worst ping
   latency of each and their ratio. Goal: colab-ext's worst event-loop stall under 50 ms.
2. Server CPU with 20 subscribers against 1, in a real Jupyter server with colab-ext (a child
   process; its CPU time, every thread included, read from /proc). 20 WebSocket subscribers to
   ``resources/socket`` (the push feed: one sample a tick, serialised once, written to each)
   against 1. Goal: at most 1.2x. Beside it, from the same run: 20 HTTP clients polling
   ``/colab/resources`` once a second against 1 (same shared sampler; each request costs a
   whole authenticated tornado request), and the common design that samples again for every
   request (a plain tornado server). The per-unit costs behind the ratios are printed too.
3. One sample's cost against the bare NVML calls it makes (stand-in at 1 ms a call, roughly a
   real driver). Goal: at most 1.5x.

    python bench/resources_event_loop.py [--delay-ms 2000] [--seconds 8] [--cpu-seconds SECONDS]
        [--rounds 3] [--only 1|2|3]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from tornado import httpclient, web
from tornado.httpserver import HTTPServer

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests import nvml_standin

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _resources_server_cpu as server_cpu_real

GPUS = [{"name": "Stand-in H100", "mem_used": 5 << 30, "util": 30}] * 2
#: NVML calls in one reading of one GPU (about 14): the baseline's request takes that many delays.
ONE_GPU = GPUS[:1]


def _setup_driver(config: Path, delay_ms: int) -> None:
    library = nvml_standin.build(Path(tempfile.gettempdir()) / "colab-ext-bench-nvml")
    nvml_standin.preload(library)
    nvml_standin.configure(config, gpus=GPUS, delay_ms=delay_ms)


def _app(mode: str) -> tuple[web.Application, Any]:
    """A server with ``/ping`` and ``/resources`` served the colab-ext way or the baseline way."""
    from jupyter_client.multikernelmanager import MultiKernelManager

    from colab_ext.resources.gpus import NvmlSession
    from colab_ext.resources.sampler import ResourceSampler
    from colab_ext.runtime.kernels import KernelDirectory

    sampler = ResourceSampler(KernelDirectory(MultiKernelManager(), None), os.getcwd())
    baseline_session = NvmlSession()

    class Ping(web.RequestHandler):
        def get(self) -> None:
            self.finish("ok")

    class Resources(web.RequestHandler):
        async def get(self) -> None:
            if mode == "colab-ext":
                self.finish(await sampler.snapshot())
            else:  # sample again, on the event loop, for every request
                import json
                from dataclasses import asdict

                self.finish(json.dumps(asdict(baseline_session.read()), default=str))

    return web.Application([("/ping", Ping), ("/resources", Resources)]), sampler


async def _serve(mode: str, port: int) -> None:
    app, _ = _app(mode)
    HTTPServer(app).listen(port, "127.0.0.1")
    await asyncio.Event().wait()


async def _poll(url: str, every: float, until: float, latencies: list[float] | None) -> None:
    client = httpclient.AsyncHTTPClient(force_instance=True)
    while time.monotonic() < until:
        started = time.monotonic()
        await client.fetch(url, request_timeout=300, connect_timeout=300)
        if latencies is not None:
            latencies.append(time.monotonic() - started)
        await asyncio.sleep(max(0.0, every - (time.monotonic() - started)))
    client.close()


async def _stall_probe(until: float) -> float:
    worst = 0.0
    while time.monotonic() < until:
        before = time.monotonic()
        await asyncio.sleep(0.01)
        worst = max(worst, time.monotonic() - before - 0.01)
    return worst


async def event_loop(mode: str, seconds: float, port: int) -> tuple[float, float]:
    """Worst ping latency and worst loop stall while a tab polls resources (in this process)."""
    app, sampler = _app(mode)
    server = HTTPServer(app)
    server.listen(port, "127.0.0.1")
    until = time.monotonic() + seconds
    pings: list[float] = []
    base = f"http://127.0.0.1:{port}"
    tab = [] if mode == "no monitor" else [_poll(f"{base}/resources", 1.0, until, None)]
    stall, *_ = await asyncio.gather(
        _stall_probe(until), _poll(f"{base}/ping", 0.05, until, pings), *tab
    )
    server.stop()
    await sampler.stop()
    return max(pings), stall


def server_cpu(mode: str, tabs: int, seconds: float, config: Path) -> float:
    """CPU seconds per second of a plain tornado server child while ``tabs`` clients poll it."""
    port = _free_port()
    env = dict(os.environ, NVML_STANDIN_CONFIG=str(config))
    child = subprocess.Popen(
        [sys.executable, __file__, "--serve", mode, "--port", str(port)], env=env
    )
    try:
        _wait_for(f"http://127.0.0.1:{port}/ping")

        def cpu_seconds() -> float:
            # Every thread, to the nanosecond (psutil's cpu_times counts whole 10 ms ticks only).
            return server_cpu_real.cpu_seconds(child.pid)

        async def clients() -> float:
            url = f"http://127.0.0.1:{port}/resources"
            warm = time.monotonic() + 2
            await asyncio.gather(*(_poll(url, 1.0, warm, None) for _ in range(tabs)))
            before = cpu_seconds()
            until = time.monotonic() + seconds
            await asyncio.gather(*(_poll(url, 1.0, until, None) for _ in range(tabs)))
            return (cpu_seconds() - before) / seconds

        return asyncio.run(clients())
    finally:
        child.terminate()
        child.wait()


async def sample_cost(samples: int) -> tuple[float, float]:
    """Seconds per colab-ext sample, and per run of the bare NVML calls a sample makes."""
    import pynvml

    from colab_ext.resources.gpus import NvmlSession

    _, sampler = _app("colab-ext")
    await sampler.sample()  # initialise NVML once, as both do
    started = time.perf_counter()
    for _ in range(samples):
        await sampler.sample()
    ours = (time.perf_counter() - started) / samples
    await sampler.stop()

    session = NvmlSession()
    session.open()
    started = time.perf_counter()
    for _ in range(samples):
        pynvml.nvmlSystemGetDriverVersion()
        for index in range(pynvml.nvmlDeviceGetCount()):
            handle = pynvml.nvmlDeviceGetHandleByIndex(index)
            pynvml.nvmlDeviceGetName(handle)
            pynvml.nvmlDeviceGetUUID(handle)
            pynvml.nvmlDeviceGetMemoryInfo(handle)
            pynvml.nvmlDeviceGetMigMode(handle)
            pynvml.nvmlDeviceGetUtilizationRates(handle)
            pynvml.nvmlDeviceGetTemperature(handle, pynvml.NVML_TEMPERATURE_GPU)
            pynvml.nvmlDeviceGetPowerUsage(handle)
            pynvml.nvmlDeviceGetEnforcedPowerLimit(handle)
            pynvml.nvmlDeviceGetHandleByIndex(index)
            pynvml.nvmlDeviceGetComputeRunningProcesses(handle)
    bare = (time.perf_counter() - started) / samples
    session.close()
    return ours, bare


def _wait_for(url: str, seconds: float = 60) -> None:
    import urllib.request

    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(url, timeout=5).read()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--delay-ms", type=int, default=2000, help="stand-in NVML call time")
    parser.add_argument("--seconds", type=float, default=8.0, help="length of each measurement")
    parser.add_argument(
        "--cpu-seconds",
        type=float,
        help="length of each server CPU window (default: --seconds, at least 5)",
    )
    parser.add_argument("--rounds", type=int, default=3, help="server CPU rounds (medians)")
    parser.add_argument("--only", choices=["1", "2", "3"], help="run one part only")
    parser.add_argument("--serve", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    config = Path(tempfile.mkdtemp(prefix="colab-ext-bench-")) / "nvml.conf"
    if args.serve:
        nvml_standin.preload(
            nvml_standin.build(Path(tempfile.gettempdir()) / "colab-ext-bench-nvml")
        )
        asyncio.run(_serve(args.serve, args.port))
        return

    args.cpu_seconds = args.cpu_seconds or max(5.0, args.seconds)
    _setup_driver(config, args.delay_ms)
    parts = {"1": part_event_loop, "2": part_server_cpu, "3": part_sample_cost}
    for number, part in parts.items():
        if args.only in (None, number):
            part(args, config)


def part_event_loop(args: argparse.Namespace, config: Path) -> None:
    nvml_standin.configure(config, gpus=ONE_GPU, delay_ms=args.delay_ms)
    print(f"1. event loop, stand-in NVML at {args.delay_ms} ms a call, one tab polling 1/s")
    print("   (no monitor: pings alone, the machine's own noise floor)")
    results = {}
    for mode in ("no monitor", "colab-ext", "baseline"):
        results[mode] = asyncio.run(event_loop(mode, args.seconds, _free_port()))
        ping, stall = results[mode]
        print(f"   {mode:10} worst ping {ping * 1000:8.1f} ms, worst stall {stall * 1000:8.1f} ms")
    ratio = results["baseline"][0] / results["colab-ext"][0]
    ours_stall, floor = results["colab-ext"][1] * 1000, results["no monitor"][1] * 1000
    print(f"   worst ping, baseline / colab-ext: {ratio:.0f}x")
    print(f"   colab-ext worst stall {ours_stall:.0f} ms (goal < 50; noise floor {floor:.0f} ms)")


def part_server_cpu(args: argparse.Namespace, config: Path) -> None:
    nvml_standin.configure(config, gpus=GPUS)
    print(
        f"2. server CPU per second, 20 subscribers vs 1, sampling 1/s, {args.cpu_seconds:.0f} s "
        "windows (a real Jupyter server with colab-ext, two stand-in GPUs)"
    )
    results = server_cpu_real.run(
        _free_port(), server_cpu_real.environment(), args.cpu_seconds, args.rounds
    )
    per_request = (
        server_cpu("baseline", 1, args.cpu_seconds, config) * 1000,
        server_cpu("baseline", 20, args.cpu_seconds, config) * 1000,
    )
    for line in server_cpu_real.report(results, per_request):
        print(line)


def part_sample_cost(args: argparse.Namespace, config: Path) -> None:
    nvml_standin.configure(config, gpus=GPUS, delay_ms=1)
    ours, bare = asyncio.run(sample_cost(50))
    print("3. one sample vs the bare NVML calls it makes (stand-in at 1 ms a call)")
    print(f"   colab-ext {ours * 1000:.1f} ms, bare {bare * 1000:.1f} ms: {ours / bare:.2f}x")
    print("   (goal: at most 1.5x)")


if __name__ == "__main__":
    main()
