"""Kernels on other hosts: Enterprise Gateway's DistributedProcessProxy launches them over SSH.

This machine's own sshd, started by the test on 127.0.0.2 and 127.0.0.3 with its own keys and
config, plays two other hosts. The whole 127/8 is loopback, but Enterprise Gateway counts only
127.0.0.1 and the interfaces' addresses as itself, so for these it takes its remote path: it
connects with paramiko, runs the kernelspec's command there under ``nohup`` with the kernel's
environment exported in front, and waits for the launcher (``remote_kernel_launcher.py``) to send
back the kernel's ports. The proof that a kernel came that way: its environment has
``SSH_CONNECTION`` naming this sshd and the host's address (the gateway runs with no ``SSH_*``
variables of its own), the gateway logs launching that very pid on that host, and the sshd logs
the sessions.
"""

from __future__ import annotations

import asyncio
import contextlib
import getpass
import json
import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.runtime.gateway_process import (
    JEG,
    JEG_VENV,
    free_port,
    gateway_server_config,
    kernel_json,
    running_gateway,
)
from tests.runtime.runtime_client import current, switch, types
from tests.runtime.test_runtime_open import write_notebook
from tests.sessions import notebook_session

SSHD = shutil.which("sshd") or "/usr/sbin/sshd"
SSH_KEYGEN = shutil.which("ssh-keygen") or "/usr/bin/ssh-keygen"
# The gateway's hosts: the first kernel goes to the first (round robin), a type can pick one.
HOSTS = ("127.0.0.2", "127.0.0.3")
SPEC = "python_ssh"
LAUNCHER = Path(__file__).with_name("remote_kernel_launcher.py")

pytestmark = [
    pytest.mark.skipif(
        not JEG.exists() and not os.environ.get("CI"),
        reason="Enterprise Gateway is not installed: run .ci/setup.d/runtime.sh",
    ),
    pytest.mark.skipif(
        not (os.access(SSHD, os.X_OK) and os.access(SSH_KEYGEN, os.X_OK))
        and not os.environ.get("CI"),
        reason="OpenSSH's server is not installed (Debian: apt-get install openssh-server)",
    ),
]

REMOTE_BIG = {
    "id": "remote-big",
    "label": "Big remote GPU",
    "accelerator": "gpu",
    "gpus": 2,
    "kernelspec": SPEC,
    # remote_host becomes KERNEL_REMOTE_HOST: the host DistributedProcessProxy starts it on.
    "resources": {"memory": "64G", "cpus": 8, "remote_host": HOSTS[1]},
}
NAMES = [
    "KERNEL_GPUS",
    "KERNEL_RUNTIME_TYPE",
    "KERNEL_MEMORY",
    "KERNEL_CPUS",
    "KERNEL_USERNAME",
    "KERNEL_WORKING_DIR",
]


@dataclass
class SshHost:
    """A running sshd: its port (on every one of HOSTS), the client key it accepts, its log."""

    port: int
    host_public_key: str
    client_key: Path
    log: Path


def _keygen(path: Path) -> str:
    subprocess.run([SSH_KEYGEN, "-q", "-t", "ed25519", "-N", "", "-f", str(path)], check=True)
    return path.with_suffix(".pub").read_text().strip()


def _started_here(port: int) -> list[int]:
    """Processes started through this sshd: those whose SSH_CONNECTION names it."""
    pids = []
    for proc in Path("/proc").iterdir():
        try:
            environ = (proc / "environ").read_bytes().split(b"\0")
        except (OSError, ValueError):
            continue
        if any(
            item.startswith(b"SSH_CONNECTION=") and item.split()[-2:] == [host, str(port).encode()]
            for item in environ
            for host in (h.encode() for h in HOSTS)
        ):
            pids.append(int(proc.name))
    return pids


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"  # a zombie has ended


@pytest.fixture
def ssh_host(tmp_path: Path) -> Iterator[SshHost]:
    """This machine's sshd on HOSTS, with host key, client key and config of its own."""
    assert os.access(SSHD, os.X_OK), f"{SSHD} is missing: apt-get install openssh-server"
    folder = tmp_path / "sshd"
    folder.mkdir()
    host_public_key = _keygen(folder / "host_ed25519")
    (folder / "authorized_keys").write_text(_keygen(folder / "client_ed25519") + "\n")
    port = free_port(HOSTS[0])  # nothing else listens on 127.0.0.3
    config = [f"ListenAddress {host}:{port}" for host in HOSTS] + [
        f"HostKey {folder / 'host_ed25519'}",
        f"AuthorizedKeysFile {folder / 'authorized_keys'}",
        f"AllowUsers {getpass.getuser()}",
        "PermitRootLogin prohibit-password",
        "PasswordAuthentication no",
        "KbdInteractiveAuthentication no",
        "UsePAM no",
        "StrictModes no",  # the keys live under the world-writable /tmp, which it refuses
        "PidFile none",
        "LogLevel VERBOSE",  # logs the accepted key and each session
    ]
    (folder / "sshd_config").write_text("\n".join(config) + "\n")
    if os.geteuid() == 0 and not Path("/run/sshd").is_dir():
        # sshd started as root needs its (empty) privilege-separation folder, which the
        # system's ssh service would create; that service is not started.
        Path("/run/sshd").mkdir(mode=0o755)
    log = folder / "sshd.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [SSHD, "-D", "-e", "-f", str(folder / "sshd_config")],
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with socket.create_connection((HOSTS[-1], port), timeout=2) as probe:
                    if probe.recv(64).startswith(b"SSH-"):
                        break
            except OSError:
                pass
            assert process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, f"sshd did not start: {log.read_text()}"
            time.sleep(0.1)
        yield SshHost(port, host_public_key, folder / "client_ed25519", log)
    finally:
        process.terminate()
        process.wait(timeout=20)
        # The test checks its kernels end; this only makes sure nothing outlives it.
        for pid in _started_here(port):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


@pytest.fixture
def gateway_home(tmp_path: Path) -> Path:
    return tmp_path / "gateway"


@pytest.fixture
def gateway(gateway_home: Path, ssh_host: SshHost) -> Iterator[str]:
    """An Enterprise Gateway whose ``python_ssh`` kernels start on HOSTS over SSH; its URL."""
    ssh = gateway_home / ".ssh"
    ssh.mkdir(parents=True, mode=0o700)
    # paramiko, as the gateway uses it, takes the user's own key files and known hosts, and
    # refuses a host it does not know.
    shutil.copy(ssh_host.client_key, ssh / "id_ed25519")
    (ssh / "known_hosts").write_text(
        "".join(f"[{host}]:{ssh_host.port} {ssh_host.host_public_key}\n" for host in HOSTS)
    )
    spec = gateway_home / "share" / "kernels" / SPEC
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps(kernelspec(str(JEG_VENV / "bin" / "python"))))
    (gateway_home / "kernel-logs").mkdir()
    env: dict[str, str | None] = {
        "JUPYTER_PATH": str(gateway_home / "share"),
        "EG_REMOTE_HOSTS": ",".join(HOSTS),
        "EG_REMOTE_USER": getpass.getuser(),
        "EG_SSH_PORT": str(ssh_host.port),
        # Where the launcher sends the kernel's ports back: loopback, on a port of our own.
        "EG_RESPONSE_IP": "127.0.0.1",
        "EG_RESPONSE_PORT": str(free_port()),
        "EG_KERNEL_LOG_DIR": str(gateway_home / "kernel-logs"),
        # No SSH session or agent of the caller's leaks into the gateway or its kernels.
        **{name: None for name in os.environ if name.startswith("SSH_")},
    }
    with running_gateway(gateway_home, env=env) as url:
        yield url


def kernelspec(python: str) -> dict[str, Any]:
    """The gateway's kernelspec: Enterprise Gateway's ``python_distributed`` with our launcher."""
    return {
        "display_name": "Python on SSH hosts",
        "language": "python",
        "metadata": {
            "process_proxy": {
                "class_name": "enterprise_gateway.services.processproxies.distributed."
                "DistributedProcessProxy"
            }
        },
        "argv": [
            python,
            str(LAUNCHER),
            "--RemoteProcessProxy.kernel-id",
            "{kernel_id}",
            "--RemoteProcessProxy.response-address",
            "{response_address}",
            "--RemoteProcessProxy.public-key",
            "{public_key}",
            "--RemoteProcessProxy.port-range",
            "{port_range}",
        ],
    }


@pytest.fixture
def jp_server_config(gateway: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    return gateway_server_config(gateway, monkeypatch, [REMOTE_BIG])


async def remote_kernel(
    jp_ws_fetch: Any, kernel_id: str, host: str, ssh_host: SshHost, gateway_home: Path
) -> dict[str, Any]:
    """What the kernel says of itself, once shown to have come to ``host`` by the gateway's SSH."""
    seen = await kernel_json(
        jp_ws_fetch,
        kernel_id,
        '{"pid": os.getpid(), "ssh": os.environ.get("SSH_CONNECTION"), '
        f'"env": {{n: os.environ.get(n) for n in {NAMES!r}}}}}',
    )
    log = (gateway_home / "gateway.log").read_text()
    # Started by this sshd, on that host's address...
    assert (seen["ssh"] or "").split()[2:] == [host, str(ssh_host.port)], (
        f"kernel {seen} was not started through the test's sshd on {host}:{ssh_host.port}\n{log}"
    )
    # ... by the gateway, which says it launched this very process there.
    assert f"Kernel launched on '{host}', pid: {seen['pid']}, ID: {kernel_id}" in log, log
    return dict(seen)


async def _ended(pid: int, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while _alive(pid):
        assert time.monotonic() < deadline, f"kernel process {pid} is still running"
        await asyncio.sleep(0.1)


async def test_gateway_launches_kernels_over_ssh_with_the_type(
    jp_fetch: Any,
    jp_ws_fetch: Any,
    jp_root_dir: Path,
    nvml: Any,
    ssh_host: SshHost,
    gateway_home: Path,
) -> None:
    # A notebook asking for a GPU: its kernel starts on the first host with the GPU type's
    # variables.
    path = write_notebook(jp_root_dir, "remote.ipynb", {"accelerator": "GPU"})
    pids = []
    async with notebook_session(jp_fetch, path, kernel_name=SPEC) as session:
        first = session["kernel"]["id"]
        seen = await remote_kernel(jp_ws_fetch, first, HOSTS[0], ssh_host, gateway_home)
        pids.append(seen["pid"])
        assert seen["env"]["KERNEL_GPUS"] == "1"
        assert seen["env"]["KERNEL_RUNTIME_TYPE"] == "gpu"
        assert seen["env"]["KERNEL_USERNAME"] == "colab-ext-test"
        # The notebook's folder, for a pod template's workingDir (EG_MIRROR_WORKING_DIRS).
        assert seen["env"]["KERNEL_WORKING_DIR"] == str(jp_root_dir)
        assert (await current(jp_fetch, first))["type"] == "gpu"
        # A type whose kernelspec only the gateway has is offered (not "not installed here").
        listing = {t["id"]: t for t in (await types(jp_fetch))["types"]}
        assert listing["remote-big"]["available"] is True, listing["remote-big"]

        # Changing type: a new kernel, on the host the type names, with the type's variables.
        answer = await switch(jp_fetch, first, "remote-big")
        second = answer["kernel_id"]
        assert second != first and answer["type"] == "remote-big" and answer["gateway"] is True
        seen = await remote_kernel(jp_ws_fetch, second, HOSTS[1], ssh_host, gateway_home)
        pids.append(seen["pid"])
        assert seen["pid"] != pids[0]
        env = seen["env"]
        assert (env["KERNEL_GPUS"], env["KERNEL_MEMORY"], env["KERNEL_CPUS"]) == ("2", "64G", "8")
        assert env["KERNEL_RUNTIME_TYPE"] == "remote-big"
        assert env["KERNEL_WORKING_DIR"] == str(jp_root_dir)
        sessions = json.loads((await jp_fetch("api", "sessions")).body)
        assert [s["kernel"]["id"] for s in sessions if s["id"] == session["id"]] == [second]
        # The gateway stopped the old kernel on its host.
        await _ended(pids[0])
    for pid in pids:
        await _ended(pid)

    # Reopened, a notebook saved as that type starts on its kernelspec (on its host), though the
    # page asks for python3.
    typed = write_notebook(
        jp_root_dir, "typed.ipynb", {"colab_ext": {"runtime_type": "remote-big"}}
    )
    async with notebook_session(jp_fetch, typed) as session:
        assert session["kernel"]["name"] == SPEC
        seen = await remote_kernel(
            jp_ws_fetch, session["kernel"]["id"], HOSTS[1], ssh_host, gateway_home
        )
        assert seen["env"]["KERNEL_RUNTIME_TYPE"] == "remote-big"
    await _ended(seen["pid"])
    sshd_log = ssh_host.log.read_text()
    assert f"Accepted publickey for {getpass.getuser()} from 127.0.0.1" in sshd_log
    assert sshd_log.count("Starting session: command") >= 2
