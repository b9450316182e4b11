"""The commands WebSocket against a real server, real kernels and real PTYs."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import subprocess
from pathlib import Path
from typing import Any

import psutil
import pytest

from tests.sessions import notebook_session, wait_until_ready
from tests.shell.conftest import notebook_shell, shell_socket


async def test_output_streams_and_exit_code(jp_fetch: Any, jp_ws_fetch: Any) -> None:
    async with notebook_shell(jp_fetch, jp_ws_fetch, "nb.ipynb") as shell:
        result = await shell.run("echo hello; echo oops >&2; printf 'é\\n'; exit 3")
    assert result.text("stdout") == "hello\né\n"
    assert result.text("stderr") == "oops\n"
    assert result.exit["code"] == 3
    assert result.exit["signal"] is None
    assert result.of_type("started")[0]["pid"] > 0


async def test_commands_see_a_terminal_and_run_in_their_own_session(
    jp_fetch: Any, jp_ws_fetch: Any
) -> None:
    async with notebook_shell(jp_fetch, jp_ws_fetch, "nb.ipynb") as shell:
        result = await shell.run(
            "test -t 0 && test -t 1 && test -t 2 && echo tty; "
            "ps -o sid=,pgid=,tpgid= -p $$; echo $$"
        )
    lines = result.text().split()
    assert lines[0] == "tty"
    sid, pgid, foreground, pid = (int(value) for value in lines[1:])
    assert sid == pgid == foreground == pid  # session leader, own group, and in the foreground


async def test_stdin_reaches_the_program_and_echo_off_is_reported(
    jp_fetch: Any, jp_ws_fetch: Any
) -> None:
    async with notebook_shell(jp_fetch, jp_ws_fetch, "nb.ipynb") as shell:
        command_id = shell.start(
            "read -p 'name? ' name; echo \"hi $name\"; "
            "read -s -p 'secret? ' secret; echo; echo \"${#secret} chars\""
        )
        first = await shell.until(command_id, "started")
        shell.send(type="stdin", id=command_id, data="Ada\n")
        hidden = await shell.until(command_id, "echo")
        assert hidden.messages[-1]["echo"] is False
        shell.send(type="stdin", id=command_id, data="hunter2\n")
        rest = await shell.until(command_id, "exit")
    text = first.text() + hidden.text() + rest.text()
    prompts = first.text("stderr") + hidden.text("stderr") + rest.text("stderr")
    assert text.startswith("Ada\nhi Ada\n")  # typed input echoed, like a terminal
    assert "hunter2" not in text + prompts  # ... but not while echo is off
    assert text.endswith("7 chars\n")
    assert prompts == "name? secret? "  # bash writes its prompts on stderr
    assert rest.exit["code"] == 0


async def test_waiting_for_input_is_reported_and_ends_with_the_answer(
    jp_fetch: Any, jp_ws_fetch: Any
) -> None:
    async with notebook_shell(jp_fetch, jp_ws_fetch, "nb.ipynb") as shell:
        # The shell's own `read`, then a child program that opens /dev/tty (as getpass does),
        # with a busy, quiet stretch between them that is not a wait for input.
        command_id = shell.start(
            "read -p 'name? ' name; sleep 0.5; "
            "python3 -c \"import getpass; print(len(getpass.getpass('pin: ')))\""
        )
        asked = await shell.until(command_id, "reading")
        assert asked.messages[-1]["reading"] is True
        assert asked.text("stderr") == "name? "
        shell.send(type="stdin", id=command_id, data="Ada\n")
        answered = await shell.until(command_id, "reading")
        assert answered.messages[-1]["reading"] is False
        pin = await shell.until(command_id, "reading")
        assert pin.messages[-1]["reading"] is True
        assert "pin: " in pin.text() + pin.text("stderr")
        shell.send(type="stdin", id=command_id, data="1234\n")
        rest = await shell.until(command_id, "exit")
    assert rest.text().strip().endswith("4")
    assert [m["reading"] for m in rest.of_type("reading")] in ([], [False])


async def test_a_quiet_busy_command_is_not_waiting_for_input(
    jp_fetch: Any, jp_ws_fetch: Any
) -> None:
    async with notebook_shell(jp_fetch, jp_ws_fetch, "nb.ipynb") as shell:
        result = await shell.run("sleep 0.6; cat /dev/null; echo done")
    assert result.of_type("reading") == []
    assert result.text() == "done\n"


async def test_interrupt_sends_sigint_to_the_group(jp_fetch: Any, jp_ws_fetch: Any) -> None:
    async with notebook_shell(jp_fetch, jp_ws_fetch, "nb.ipynb") as shell:
        command_id = shell.start("trap 'echo caught; exit 5' INT; sleep 100 & wait")
        await shell.until(command_id, "started")
        await asyncio.sleep(0.3)
        shell.send(type="interrupt", id=command_id)
        result = await shell.until(command_id, "exit", timeout=5)
    assert "caught" in result.text()
    assert result.exit["code"] == 5
    assert result.exit["interrupted"] is True


async def test_an_interrupt_right_after_the_start_is_not_lost(
    jp_fetch: Any, jp_ws_fetch: Any
) -> None:
    # The interrupt follows the run at once: it can reach the command before it has become its
    # own process group (between the exec of `setsid` and its setsid() call).
    async with notebook_shell(jp_fetch, jp_ws_fetch, "nb.ipynb") as shell:
        for _ in range(10):
            command_id = shell.start("sleep 100")
            shell.send(type="interrupt", id=command_id)
            result = await shell.until(command_id, "exit", timeout=5)
            assert result.exit["signal"] == 2
            assert result.exit["interrupted"] is True


async def test_the_kernels_stop_button_interrupts_its_commands(
    jp_fetch: Any, jp_ws_fetch: Any, jp_serverapp: Any
) -> None:
    async with notebook_session(jp_fetch, "nb.ipynb") as session:
        kernel_id = session["kernel"]["id"]
        await wait_until_ready(jp_serverapp, kernel_id)
        async with shell_socket(jp_ws_fetch, kernel_id) as shell:
            command_id = shell.start("sleep 100")
            await shell.until(command_id, "started")
            await jp_fetch("api", "kernels", kernel_id, "interrupt", method="POST", body=b"")
            result = await shell.until(command_id, "exit", timeout=5)
    assert result.exit["signal"] == 2
    assert result.exit["interrupted"] is True


def session_members(leader: int) -> list[psutil.Process]:
    """Processes still alive in the session that ``leader`` started."""
    alive = []
    for process in psutil.process_iter(["pid", "status"]):
        try:
            if os.getsid(process.pid) == leader and process.status() != psutil.STATUS_ZOMBIE:
                alive.append(process)
        except (ProcessLookupError, psutil.Error):
            continue
    return alive


async def wait_until_gone(leader: int, timeout: float = 10) -> list[psutil.Process]:
    deadline = asyncio.get_running_loop().time() + timeout
    while session_members(leader) and asyncio.get_running_loop().time() < deadline:
        await asyncio.sleep(0.1)
    return session_members(leader)


async def test_a_disconnect_leaves_no_process_behind(jp_fetch: Any, jp_ws_fetch: Any) -> None:
    async with notebook_session(jp_fetch, "nb.ipynb") as session:
        async with shell_socket(jp_ws_fetch, session["kernel"]["id"]) as shell:
            # A background job, a child that ignores SIGHUP and SIGTERM, and one that left the
            # command's process group: all of them must go.
            command_id = shell.start(
                "sleep 101 & (trap '' HUP TERM; sleep 102) & setsid -f sleep 103; "
                "sleep 0.2; echo ready; wait"
            )
            started = await shell.until(command_id, "started")
            await shell.until(command_id, "output")
            leader = started.messages[-1]["pid"]
            assert len(session_members(leader)) >= 3
        assert await wait_until_gone(leader) == []


async def test_kernel_restart_and_closing_the_notebook_end_their_commands(
    jp_fetch: Any, jp_ws_fetch: Any
) -> None:
    response = await jp_fetch(
        "api",
        "sessions",
        method="POST",
        body=json.dumps({"path": "nb.ipynb", "type": "notebook", "kernel": {"name": "python3"}}),
    )
    session = json.loads(response.body)
    kernel_id = session["kernel"]["id"]
    async with shell_socket(jp_ws_fetch, kernel_id) as shell:
        first = shell.start("sleep 100")
        await shell.until(first, "started")
        await jp_fetch("api", "kernels", kernel_id, "restart", method="POST", body=b"")
        ended = await shell.until(first, "exit", timeout=10)
        assert ended.exit["signal"] == signal.SIGHUP, ended.messages
        second = shell.start("sleep 100")
        leader = (await shell.until(second, "started")).messages[-1]["pid"]
        # Closing a notebook (with its kernel) deletes its session, which shuts the kernel down.
        await jp_fetch("api", "sessions", session["id"], method="DELETE")
        await shell.until(second, "exit", timeout=10)
        assert session_members(leader) == []


async def test_commands_get_the_kernels_live_environment(
    jp_fetch: Any, jp_ws_fetch: Any, jp_serverapp: Any
) -> None:
    async with notebook_session(jp_fetch, "nb.ipynb") as session:
        kernel_id = session["kernel"]["id"]
        kernel = jp_serverapp.kernel_manager.get_kernel(kernel_id)
        kernel.update_env(env={"CUDA_VISIBLE_DEVICES": "1", "COLAB_EXT_PROBE": "kernel-only"})
        await jp_fetch("api", "kernels", kernel_id, "restart", method="POST", body=b"")
        async with shell_socket(jp_ws_fetch, kernel_id) as shell:
            result = await shell.run('echo "$CUDA_VISIBLE_DEVICES $COLAB_EXT_PROBE $PAGER"')
    assert result.text() == "1 kernel-only cat\n"
    assert "COLAB_EXT_PROBE" not in os.environ


async def test_commands_run_in_the_notebooks_folder(
    jp_fetch: Any, jp_ws_fetch: Any, jp_root_dir: Path
) -> None:
    (jp_root_dir / "project" / "data").mkdir(parents=True)
    async with notebook_shell(jp_fetch, jp_ws_fetch, "project/nb.ipynb") as shell:
        default = await shell.run("pwd")
        explicit = await shell.run("pwd", cwd="project/data")
    root = os.path.realpath(jp_root_dir)
    assert default.text() == f"{root}/project\n"
    assert explicit.text() == f"{root}/project/data\n"


@pytest.mark.parametrize(
    ("cwd", "says"),
    [
        ("..", "'..'"),
        ("project/../..", "'..'"),
        ("/tmp", "relative"),
        ("outside", "outside the server root"),
        ("missing", "does not exist"),
    ],
)
async def test_folders_outside_the_root_are_refused(
    jp_fetch: Any, jp_ws_fetch: Any, jp_root_dir: Path, tmp_path_factory: Any, cwd: str, says: str
) -> None:
    (jp_root_dir / "outside").symlink_to(tmp_path_factory.mktemp("elsewhere"))
    async with notebook_shell(jp_fetch, jp_ws_fetch, "nb.ipynb") as shell:
        result = await shell.run("touch escaped; pwd", cwd=cwd)
    assert result.of_type("exit") == []
    assert says in result.of_type("error")[0]["message"]
    assert not (jp_root_dir.parent / "escaped").exists()


@pytest.mark.parametrize("colab_config", [{"shell_output_limit": 10_000}])
async def test_output_is_capped_with_a_note_and_the_command_runs_on(
    jp_fetch: Any, jp_ws_fetch: Any, jp_root_dir: Path
) -> None:
    async with notebook_shell(jp_fetch, jp_ws_fetch, "nb.ipynb") as shell:
        result = await shell.run("seq 1 200000; echo finished > marker.txt")
    sent = result.text()
    assert len(sent.encode()) == 10_000
    assert sent.startswith("1\n2\n3\n")
    assert result.of_type("limit")[0]["limit"] == 10_000
    total = len("".join(f"{n}\n" for n in range(1, 200001)).encode())
    assert result.exit["dropped"] == total - 10_000
    assert result.exit["code"] == 0
    assert (jp_root_dir / "marker.txt").read_text() == "finished\n"


async def test_status_says_the_feature_is_on(jp_fetch: Any) -> None:
    status = json.loads((await jp_fetch("colab", "shell", "status")).body)
    assert status["enabled"] is True and status["reason"] is None


async def test_unknown_kernels_are_refused(jp_ws_fetch: Any) -> None:
    from tornado.httpclient import HTTPClientError

    with pytest.raises(HTTPClientError) as refused:
        await jp_ws_fetch("colab", "shell", "kernels", "no-such-kernel", "socket")
    assert refused.value.code == 404


def install_r_kernelspec(data_dir: Path) -> None:
    """Register IRkernel in the test server's (isolated) data dir, as .ci/setup.d/shell.sh does."""
    source = subprocess.run(
        ["Rscript", "-e", 'cat(system.file("kernelspec", package = "IRkernel"))'],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    target = data_dir / "kernels" / "ir"
    shutil.copytree(source, target, dirs_exist_ok=True)
    spec = json.loads((target / "kernel.json").read_text())
    spec["argv"][0] = shutil.which("R")
    (target / "kernel.json").write_text(json.dumps(spec))


async def test_commands_of_an_r_notebook_get_the_r_kernels_environment(
    jp_fetch: Any, jp_ws_fetch: Any, jp_data_dir: Path, jp_serverapp: Any
) -> None:
    install_r_kernelspec(jp_data_dir)
    # The R kernel (Debian's r-cran-irkernel, set up by .ci/setup.d/shell.sh) sets R_HOME in its
    # own process: a command sees it only if it got the kernel's live environment.
    assert "R_HOME" not in os.environ
    async with (
        notebook_session(jp_fetch, "analysis.ipynb", kernel_name="ir") as session,
        shell_socket(jp_ws_fetch, session["kernel"]["id"]) as shell,
    ):
        # /usr/bin/R is a script that sets R_HOME and then execs R: until that exec the
        # kernel's process does not have it yet.
        await wait_until_ready(jp_serverapp, session["kernel"]["id"])
        result = await shell.run('echo "$R_HOME"')
    assert result.text().strip() == "/usr/lib/R"
