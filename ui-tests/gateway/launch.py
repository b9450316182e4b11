"""Start a Jupyter Enterprise Gateway on loopback, then this JupyterLab against it (the gateway
browser test's web server; see playwright.config.js in this folder).

The gateway runs from its own virtual environment (COLAB_EXT_JEG_VENV, made by
.ci/setup.d/runtime.sh) on the UI port + 3000, with a throw-away HOME whose python3 kernelspec
hands no two kernels the same port (distinct_ports.py); it dies with this process group when
Playwright stops the server. Its log goes to COLAB_EXT_GATEWAY_LOG (default: a file in
the system's temporary folder), with debug messages, so a stall can be read afterwards.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
UI_PORT = int(os.environ.get("COLAB_EXT_UI_PORT", "8874"))
GATEWAY_PORT = int(os.environ.get("COLAB_EXT_GATEWAY_PORT", UI_PORT + 3000))
JEG_VENV = Path(
    os.environ.get("COLAB_EXT_JEG_VENV")
    or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "colab-ext/jeg-venv"
)


def distinct_ports_kernelspec(folder: Path) -> None:
    """The gateway venv's python3 kernelspec, copied to ``folder`` with a process proxy that never
    hands two kernels the same port (distinct_ports.py)."""
    shutil.copytree(JEG_VENV / "share/jupyter/kernels/python3", folder)
    spec = json.loads((folder / "kernel.json").read_text())
    spec.setdefault("metadata", {})["process_proxy"] = {
        "class_name": "distinct_ports.DistinctPortsProcessProxy"
    }
    (folder / "kernel.json").write_text(json.dumps(spec, indent=1))


def start_gateway() -> str:
    """Start the gateway and wait until it answers; its URL."""
    jeg = JEG_VENV / "bin" / "jupyter-enterprisegateway"
    if not jeg.exists():
        sys.exit(f"{jeg} is missing: run .ci/setup.d/runtime.sh")
    home = tempfile.mkdtemp(prefix="colab-ui-gateway-")
    env = {k: v for k, v in os.environ.items() if not k.startswith("JUPYTER")}
    env["HOME"] = home
    # JUPYTER_PATH comes first in the kernelspec search (before its venv's, which jupyter_core
    # puts before the user's folder in a venv).
    env["JUPYTER_PATH"] = os.path.join(home, "jupyter")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(HERE), env.get("PYTHONPATH")]))
    distinct_ports_kernelspec(Path(home) / "jupyter/kernels/python3")
    log_path = os.environ.get("COLAB_EXT_GATEWAY_LOG") or os.path.join(home, "gateway.log")
    print(f"Enterprise Gateway log: {log_path}", flush=True)
    log = open(log_path, "w")  # noqa: SIM115 (the gateway writes to it for its whole life)
    process = subprocess.Popen(  # noqa: S603 (our own gateway, from its venv)
        [
            str(jeg),
            "--ip=127.0.0.1",
            f"--port={GATEWAY_PORT}",
            "--port_retries=0",
            "--debug",
            # JupyterLab lists running kernels, which the gateway allows only when told to.
            "--EnterpriseGatewayApp.list_kernels=True",
        ],
        env=env,
        cwd=home,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{GATEWAY_PORT}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{url}/api/kernelspecs", timeout=2):  # noqa: S310
                return url
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                sys.exit(f"Enterprise Gateway did not start:\n{Path(log_path).read_text()}")
            time.sleep(0.3)


def main() -> None:
    os.environ["COLAB_EXT_GATEWAY_URL"] = start_gateway()
    # Enterprise Gateway refuses to start kernels for root without a user name.
    os.environ.setdefault("KERNEL_USERNAME", "colab-ext-ui")
    config = str(HERE / "jupyter_gateway_config.py")
    # The server's debug log goes to a file (Playwright would print all of it).
    lab_log = os.environ.get("COLAB_EXT_GATEWAY_LAB_LOG") or os.path.join(
        tempfile.mkdtemp(prefix="colab-ui-gateway-lab-"), "lab.log"
    )
    print(f"JupyterLab log: {lab_log}", flush=True)
    fd = os.open(lab_log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(fd, 2)
    # The gateway stays a child of the server: Playwright stops both with the process group.
    os.execvp("jupyter", ["jupyter", "lab", "--config", config])  # noqa: S606, S607


if __name__ == "__main__":
    main()
