"""Check the resource monitor on a machine with a real NVIDIA GPU (run it whenever one is lent).

A real Jupyter server with colab-ext starts, a notebook session's kernel allocates GPU memory with
PyTorch, and ``GET /colab/resources`` must report that notebook holding it, within a few percent
of what NVML itself (and ``nvidia-smi``, when present) says for the kernel's process. The pushed
feed (``/colab/resources/socket``) must report the same. GPUs in MIG mode print their instances.

    python scripts/gpu_check_resources.py [--gib 4] [--tolerance 0.03]
    python scripts/gpu_check_resources.py --standin   # the plumbing only, on the stand-in driver

Exits 0 when the numbers agree, 1 otherwise; prints what it compared.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
TOKEN = "gpu-check-token"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def call(port: int, path: str, method: str = "GET", body: Any = None) -> Any:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/{path}",
        method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": f"token {TOKEN}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        text = response.read()
    return json.loads(text) if text else None


def start_server(
    root: Path, runtime: Path, port: int, env: dict[str, str]
) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyter",
            "server",
            f"--port={port}",
            "--no-browser",
            f"--ServerApp.root_dir={root}",
            f"--IdentityProvider.token={TOKEN}",
            "--ServerApp.jpserver_extensions={'colab_ext': True}",
            "--allow-root",
        ],
        env=dict(env, JUPYTER_RUNTIME_DIR=str(runtime)),
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            call(port, "api/status")
            return server
        except OSError:
            time.sleep(0.3)
    server.kill()
    raise SystemExit("the Jupyter server did not start")


def run_in_kernel(runtime: Path, kernel_id: str, code: str) -> None:
    from jupyter_client import BlockingKernelClient

    client = BlockingKernelClient(connection_file=str(runtime / f"kernel-{kernel_id}.json"))
    client.load_connection_file()
    client.start_channels()
    try:
        reply = client.execute_interactive(code, timeout=300)
        if reply["content"]["status"] != "ok":
            raise SystemExit(f"the kernel failed: {reply['content']}")
    finally:
        client.stop_channels()


def pushed_sample(port: int) -> Any:
    """The first sample the resources WebSocket pushes after a new one was taken."""
    import asyncio

    from tornado.httpclient import HTTPRequest
    from tornado.websocket import websocket_connect

    async def read() -> Any:
        url = f"ws://127.0.0.1:{port}/colab/resources/socket"
        headers = {"Authorization": f"token {TOKEN}"}
        connection = await websocket_connect(HTTPRequest(url, headers=headers))
        try:
            await asyncio.wait_for(connection.read_message(), 30)  # the latest, at once
            frame = await asyncio.wait_for(connection.read_message(), 30)  # a fresh one
        finally:
            connection.close()
        if frame is None:
            raise SystemExit("the resources socket closed")
        return json.loads(frame)

    return asyncio.run(read())


def nvml_view(pid: int) -> int:
    """Bytes NVML itself reports for ``pid`` over all GPUs."""
    import pynvml

    pynvml.nvmlInit()
    try:
        total = 0
        for index in range(pynvml.nvmlDeviceGetCount()):
            handle = pynvml.nvmlDeviceGetHandleByIndex(index)
            for info in pynvml.nvmlDeviceGetComputeRunningProcesses(handle):
                if info.pid == pid and info.usedGpuMemory:
                    total += int(info.usedGpuMemory)
        return total
    finally:
        pynvml.nvmlShutdown()


def smi_view(pid: int) -> int | None:
    """Bytes ``nvidia-smi`` reports for ``pid``, or None without nvidia-smi."""
    if not shutil.which("nvidia-smi"):
        return None
    out = subprocess.run(
        ["nvidia-smi", "--query-compute-apps=pid,used_memory", "--format=csv,noheader,nounits"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    mib = sum(
        int(used)
        for p, used in (line.split(", ") for line in out.splitlines() if line)
        if int(p) == pid
    )
    return mib << 20


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gib", type=float, default=4.0, help="GPU memory the kernel allocates")
    parser.add_argument("--tolerance", type=float, default=0.03)
    parser.add_argument("--standin", action="store_true", help="use the stand-in driver")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="colab-ext-gpu-check-"))
    root, runtime = work / "root", work / "runtime"
    root.mkdir()
    runtime.mkdir()
    env = dict(os.environ)
    wanted = int(args.gib * (1 << 30))
    if args.standin:
        sys.path.insert(0, str(REPO))
        from tests import nvml_standin

        nvml_standin.preload(nvml_standin.build(work / "nvml"))
        # GPU 1 is in MIG mode with one instance, so the MIG listing is exercised too.
        standin_gpus = ["Stand-in GPU", {"name": "Stand-in A100", "mig": 1}]
        standin_migs = [{"gpu": 1, "name": "Stand-in A100 MIG 1g.10gb"}]
        nvml_standin.configure(work / "nvml.conf", gpus=standin_gpus, migs=standin_migs)
        env = dict(os.environ)
    port = free_port()
    server = start_server(root, runtime, port, env)
    try:
        session = call(
            port,
            "api/sessions",
            "POST",
            {"path": "gpu-check.ipynb", "type": "notebook", "kernel": {"name": "python3"}},
        )
        kernel_id = session["kernel"]["id"]
        time.sleep(2)
        if args.standin:
            run_in_kernel(runtime, kernel_id, "import os; open('pid', 'w').write(str(os.getpid()))")
            pid = int((root / "pid").read_text())
            nvml_standin.configure(
                work / "nvml.conf",
                gpus=standin_gpus,
                migs=standin_migs,
                procs=[(0, pid, wanted)],
            )
        else:
            code = (
                "import os, torch; open('pid', 'w').write(str(os.getpid())); "
                f"x = torch.empty({wanted}, dtype=torch.uint8, device='cuda'); "
                "torch.cuda.synchronize()"
            )
            run_in_kernel(runtime, kernel_id, code)
            pid = int((root / "pid").read_text())
        time.sleep(3)  # a few sampler ticks
        answer = call(port, "colab/resources")
        holders = answer["gpu"]["holders"]
        mine = [h for h in holders if h["notebook_path"] == "gpu-check.ipynb"]
        reported = sum(h["used_bytes"] or 0 for h in mine)
        pushed = pushed_sample(port)["gpu"]["holders"]
        pushed_mine = [h for h in pushed if h["notebook_path"] == "gpu-check.ipynb"]
        pushed_bytes = sum(h["used_bytes"] or 0 for h in pushed_mine)
        nvml, smi = nvml_view(pid), smi_view(pid)
        print(
            f"kernel pid {pid}: colab-ext {reported} B (pushed {pushed_bytes} B), NVML {nvml} B, "
            f"nvidia-smi {smi} B"
        )
        for device in answer["gpu"]["devices"]:
            for mig in device.get("mig_devices", []):
                print(
                    f"GPU {device['index']} MIG {mig['index']} {mig['name']} {mig['uuid']}: "
                    f"{mig['memory_used_bytes']} / {mig['memory_total_bytes']} B, utilisation "
                    f"{mig['unavailable'].get('utilization_percent', mig['utilization_percent'])}"
                )
        references = [value for value in (nvml, smi) if value]
        ok = (
            bool(mine)
            and all(abs(reported - ref) <= args.tolerance * ref for ref in references)
            and all(abs(pushed_bytes - ref) <= args.tolerance * ref for ref in references)
        )
        print("OK" if ok else f"MISMATCH (holders: {holders})")
        call(port, f"api/sessions/{session['id']}", "DELETE")
        return 0 if ok else 1
    finally:
        server.terminate()
        server.wait(30)


if __name__ == "__main__":
    sys.exit(main())
