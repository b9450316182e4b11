"""Daemons that left a command's process tree (a double fork and ``setsid``) end with it, and
nothing that is not the command's does: real server, real PTYs, real processes."""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psutil
import pytest

from tests.sessions import notebook_session
from tests.shell.conftest import ShellClient, shell_socket

#: A double fork (the subshell, then `&`) and `setsid`: the daemon has its own session and group,
#: and its parent is gone. It writes its pid to `name` in the notebook's folder.
DAEMON = "( setsid sh -c 'echo $$ > {name}; exec sleep 300' {redirect} & )"
DETACHED = "</dev/null >/dev/null 2>&1"


def running(pid: int) -> bool:
    """Alive and not a zombie (an orphan that ended waits for init to reap it)."""
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


async def wait_until(condition: Any, timeout: float = 10) -> bool:
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            return False
        await asyncio.sleep(0.05)
    return True


async def daemon_pid(pid_file: Path) -> int:
    assert await wait_until(lambda: pid_file.exists() and pid_file.read_text().strip())
    return int(pid_file.read_text())


def assert_escaped(daemon: int, leader: int) -> None:
    """The daemon is out of what the old clean-up reached: the group, the session, the tree."""
    assert os.getsid(daemon) == os.getpgid(daemon) == daemon != leader
    tree = {process.pid for process in psutil.Process(leader).children(recursive=True)}
    assert daemon not in tree


@pytest.fixture
def leftovers() -> Iterator[list[int]]:
    """Pids of test processes to kill at the end whatever happened (a failing test must not
    leave `sleep 300`s behind)."""
    pids: list[int] = []
    yield pids
    for pid in pids:
        with contextlib.suppress(psutil.Error):
            process = psutil.Process(pid)
            if "sleep" in process.name():
                process.kill()


async def start_with_daemon(
    shell: ShellClient, root: Path, name: str, redirect: str = ""
) -> tuple[int, int]:
    """Start a command that leaves a daemon and then runs on; its (leader, daemon) pids."""
    command_id = shell.start(DAEMON.format(name=name, redirect=redirect) + "; sleep 300")
    leader = (await shell.until(command_id, "started")).messages[-1]["pid"]
    daemon = await daemon_pid(root / name)
    return leader, daemon


@pytest.mark.parametrize(
    ("stop", "redirect"),
    [("drop", ""), ("drop", DETACHED), ("restart", DETACHED)],
    ids=["dropped-client-daemon-keeps-terminal", "dropped-client", "kernel-restart"],
)
async def test_a_double_forked_daemon_ends_with_its_command(
    jp_fetch: Any,
    jp_ws_fetch: Any,
    jp_root_dir: Path,
    leftovers: list[int],
    stop: str,
    redirect: str,
) -> None:
    async with notebook_session(jp_fetch, "nb.ipynb") as session:
        kernel_id = session["kernel"]["id"]
        async with shell_socket(jp_ws_fetch, kernel_id) as shell:
            leader, daemon = await start_with_daemon(shell, jp_root_dir, "daemon.pid", redirect)
            leftovers.append(daemon)
            assert_escaped(daemon, leader)
            if stop == "restart":
                await jp_fetch("api", "kernels", kernel_id, "restart", method="POST", body=b"")
        assert await wait_until(lambda: not running(daemon), timeout=5)
        assert not running(leader)


async def test_only_the_commands_own_processes_end(
    jp_fetch: Any, jp_ws_fetch: Any, jp_root_dir: Path, leftovers: list[int]
) -> None:
    async with notebook_session(jp_fetch, "nb.ipynb") as session:
        kernel_id = session["kernel"]["id"]
        async with shell_socket(jp_ws_fetch, kernel_id) as other:
            # Another connection's command, with its own daemon, runs on throughout.
            other_leader, other_daemon = await start_with_daemon(other, jp_root_dir, "other.pid")
            leftovers.append(other_daemon)
            async with shell_socket(jp_ws_fetch, kernel_id) as shell:
                marker = (await shell.run("echo $JPY_COLAB_EXT_COMMAND")).text().strip()
                leader, daemon = await start_with_daemon(shell, jp_root_dir, "daemon.pid")
                leftovers.append(daemon)
                # The same user's processes started outside any command: no marker, another
                # value, one that only starts with this marker, and the marker in another variable.
                outside = []
                for extra in (
                    {},
                    {"JPY_COLAB_EXT_COMMAND": "0" * 32},
                    {"JPY_COLAB_EXT_COMMAND": marker + "0"},
                    {"NOTE": f"JPY_COLAB_EXT_COMMAND={marker}"},
                ):
                    env = {k: v for k, v in os.environ.items() if k != "JPY_COLAB_EXT_COMMAND"}
                    process = subprocess.Popen(
                        ["sleep", "300"], env={**env, **extra}, start_new_session=True
                    )
                    outside.append(process)
                    leftovers.append(process.pid)
            assert await wait_until(lambda: not running(daemon), timeout=5)
            assert not running(leader)
            assert all(process.poll() is None for process in outside)
            assert running(other_daemon) and running(other_leader)
        assert await wait_until(lambda: not running(other_daemon), timeout=5)
    for process in outside:
        process.kill()
        process.wait()


async def test_each_command_has_its_own_marker_and_the_kernel_none(
    jp_fetch: Any, jp_ws_fetch: Any, jp_serverapp: Any
) -> None:
    async with notebook_session(jp_fetch, "nb.ipynb") as session:
        kernel_id = session["kernel"]["id"]
        async with shell_socket(jp_ws_fetch, kernel_id) as shell:
            first = (await shell.run("echo $JPY_COLAB_EXT_COMMAND")).text().strip()
            second = (await shell.run("echo $JPY_COLAB_EXT_COMMAND")).text().strip()
        kernel_pid = jp_serverapp.kernel_manager.get_kernel(kernel_id).provisioner.process.pid
        environ = psutil.Process(kernel_pid).environ()
    assert re.fullmatch("[0-9a-f]{32}", first) and re.fullmatch("[0-9a-f]{32}", second)
    assert first != second
    assert "JPY_COLAB_EXT_COMMAND" not in environ
    assert "JPY_COLAB_EXT_COMMAND" not in os.environ


async def test_a_daemon_of_a_command_that_ended_by_itself_runs_on(
    jp_fetch: Any, jp_ws_fetch: Any, jp_root_dir: Path, leftovers: list[int]
) -> None:
    # `!nohup server &` and `!setsid server` are how notebooks start a server for later cells:
    # only a command that is stopped takes its daemons with it.
    async with notebook_session(jp_fetch, "nb.ipynb") as session:
        async with shell_socket(jp_ws_fetch, session["kernel"]["id"]) as shell:
            # (The pause: the shell's exit hangs up its group, which `setsid` is in until it runs.)
            daemon_then_exit = DAEMON.format(name="daemon.pid", redirect=DETACHED) + "; sleep 0.3"
            result = await shell.run(daemon_then_exit)
            assert result.exit["code"] == 0
            daemon = await daemon_pid(jp_root_dir / "daemon.pid")
            leftovers.append(daemon)
        await asyncio.sleep(0.5)
        assert running(daemon)
