"""``!`` in IPython kernels through colab-ext's kernel-side extension (``colab_ext_shell``), in
real ipykernel kernels started by the real server: IPython's meanings side by side with IPython's
own ``!`` in the same kernel (``%colab_ext_shell off``), and what IPython's lacks (stdin, the stop
button, head and tail of long output)."""

from __future__ import annotations

import asyncio
import json
import os
import re
import time
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.sessions import notebook_session

Stdin = Callable[[dict[str, Any]], str]


class Kernel:
    """A client of one of the server's kernels: run code, see its output, answer its input."""

    def __init__(self, jp_serverapp: Any, kernel_id: str) -> None:
        self.manager = jp_serverapp.kernel_manager
        self.kernel_id = kernel_id
        self.client = self.manager.get_kernel(kernel_id).client()
        self.prompts: list[dict[str, Any]] = []
        #: What each display (by id) shows last: the live view of a long output.
        self.displays: dict[str, str] = {}

    async def run(
        self, code: str, stdin: Stdin | None = None, timeout: float = 60
    ) -> tuple[str, str | None]:
        """stdout and stderr together, and the error's name (None when it succeeded)."""
        out: list[str] = []
        errors: list[str] = []

        def hook(message: dict[str, Any]) -> None:
            content = message["content"]
            if message["msg_type"] == "stream":
                out.append(content["text"])
            elif message["msg_type"] == "error":
                errors.append(content["ename"])
            elif message["msg_type"] in ("display_data", "update_display_data"):
                display_id = content.get("transient", {}).get("display_id", "")
                self.displays[display_id] = content["data"]["text/plain"]

        def answer(message: dict[str, Any]) -> None:
            assert stdin is not None
            self.prompts.append(message["content"])
            self.client.input(stdin(message["content"]))

        await self.client.execute_interactive(
            code,
            output_hook=hook,
            stdin_hook=answer if stdin else None,
            allow_stdin=stdin is not None,
            timeout=timeout,
        )
        return "".join(out), (errors[0] if errors else None)

    async def ok(self, code: str, stdin: Stdin | None = None) -> str:
        out, error = await self.run(code, stdin)
        assert error is None, f"{code!r}: {error}\n{out}"
        return out


@asynccontextmanager
async def ipython_kernel(jp_fetch: Any, jp_serverapp: Any, root: Path) -> AsyncIterator[Kernel]:
    (root / "work").mkdir(exist_ok=True)
    (root / "work" / "b.txt").write_text("b")
    (root / "work" / "a file.txt").write_text("a")
    async with notebook_session(jp_fetch, "work/bang.ipynb") as session:
        kernel = Kernel(jp_serverapp, session["kernel"]["id"])
        kernel.client.start_channels()
        try:
            await kernel.client.wait_for_ready(timeout=60)
            yield kernel
        finally:
            kernel.client.stop_channels()


def _session_members(session: int) -> list[int]:
    found = []
    for name in os.listdir("/proc"):
        try:
            with open(f"/proc/{name}/stat", "rb") as file:
                stat = file.read()
        except OSError:
            continue
        if stat[stat.rfind(b")") + 2 :].split()[3] == str(session).encode():
            found.append(int(name))
    return found


async def _pid_from(path: Path, timeout: float = 20) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and path.read_text().strip():
            return int(path.read_text())
        await asyncio.sleep(0.05)
    raise AssertionError(f"{path} was never written")


async def _gone(session: int, timeout: float = 10) -> list[int]:
    deadline = time.monotonic() + timeout
    while (left := _session_members(session)) and time.monotonic() < deadline:
        await asyncio.sleep(0.1)
    return left


# Each cell runs with colab-ext's `!`, then with IPython's own in the same kernel and state.
SIDE_BY_SIDE = [
    "x = 5\nname = 'a b'\n!echo {x} $x {name.upper()} '$$x'",
    "!exit 3\nprint(_exit_code)",
    "!sh -c 'kill -TERM $$'\nprint(_exit_code)",
    "files = !ls\nprint(repr(files), type(files).__name__)",
    "lines = !printf 'one\\ntwo\\n' ; echo err >&2\nprint(lines, lines.s, lines.n)",
    "raw = %sx echo {x}\nprint(repr(raw))",
    "for i in range(3):\n    !echo loop $i {i * 2}\n",
    "def f(n):\n    !echo in f {n}\n    return n\nf(7); f(8)",
    "%cd /tmp\n!pwd",
    "%%bash\npwd\necho bash says $((1 + 2))",
    "%cd -\n!pwd",
    "%%bash --out captured\necho from bash",
    "print(repr(captured))",
]


async def test_ipython_meanings_match_ipythons_own(
    jp_fetch: Any, jp_serverapp: Any, jp_root_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Both run `$SHELL -c`; pinned, so that the comparison does not depend on the machine's.
    monkeypatch.setenv("SHELL", "/bin/bash")
    async with ipython_kernel(jp_fetch, jp_serverapp, jp_root_dir) as kernel:
        assert "colab-ext's" in await kernel.ok("%colab_ext_shell")
        ours = [await kernel.ok(cell) for cell in SIDE_BY_SIDE]
        assert "IPython's own" in await kernel.ok("%colab_ext_shell off")
        theirs = [(await kernel.ok(cell)).replace("\r\n", "\n") for cell in SIDE_BY_SIDE]
        await kernel.ok("%colab_ext_shell on")
    assert ours == theirs
    # And they are what they should be.
    assert ours[0] == "5 5 A B $$x\n"  # IPython leaves `$$` alone in single quotes
    assert ours[1] == "3\n"
    assert ours[2] == "-15\n"
    assert ours[3] == "['a file.txt', 'b.txt'] SList\n"
    assert ours[6] == "loop 0 0\nloop 1 2\nloop 2 4\n"
    assert ours[7] == "in f 7\nin f 8\n"
    assert ours[8].endswith("/tmp\n") and ours[9] == "/tmp\nbash says 3\n"
    assert ours[12] == "'from bash\\n'\n"  # %%bash --out: IPython's own magic


async def test_without_shell_set_commands_run_in_bash_as_in_colab(
    jp_fetch: Any, jp_serverapp: Any, jp_root_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A server started by a service manager or in a container often has no $SHELL; IPython's
    # own `!` then runs sh (dash on Debian), where Colab notebooks' bash fails.
    monkeypatch.delenv("SHELL", raising=False)
    async with ipython_kernel(jp_fetch, jp_serverapp, jp_root_dir) as kernel:
        out = await kernel.ok("!echo {a,b} ${BASH_VERSION:+bash}")
        assert out == "a b bash\n"
        assert "IPython's own" in await kernel.ok("%colab_ext_shell off")
        theirs = await kernel.ok("!echo {a,b} ${BASH_VERSION:+bash}")
        await kernel.ok("%colab_ext_shell on")
    if os.path.realpath("/bin/sh").endswith("dash"):
        assert theirs.strip() == "{a,b}"


async def test_stdin_is_asked_through_the_kernel(
    jp_fetch: Any, jp_serverapp: Any, jp_root_dir: Path
) -> None:
    async with ipython_kernel(jp_fetch, jp_serverapp, jp_root_dir) as kernel:
        out = await kernel.ok('!read -p "name? " who; echo "hi $$who"', stdin=lambda _: "Ada")
        assert kernel.prompts[-1] == {"prompt": "name? ", "password": False}
        assert out == "hi Ada\n"  # the prompt is the input box's, the echo not repeated
        out = await kernel.ok(
            '!read -s -p "password: " pw; echo; echo "got ${#pw} chars"', stdin=lambda _: "s3cret"
        )
        assert kernel.prompts[-1] == {"prompt": "password: ", "password": True}
        assert "s3cret" not in out and out.endswith("got 6 chars\n")
        # Programs that read /dev/tty (getpass, ssh, sudo) are asked too.
        code = "!python3 -c \"import getpass; print(len(getpass.getpass('pin: ')))\""
        out = await kernel.ok(code, stdin=lambda _: "1234")
        assert kernel.prompts[-1] == {"prompt": "pin: ", "password": True}
        assert out.strip() == "4"
        # Captured (`x = !cmd`) commands can ask too.
        # Captured (`x = !cmd`) commands run as in IPython: no terminal, no input.
        out = await kernel.ok("answer = !read n || echo end of input; tty\nprint(answer)")
        assert out == "['end of input', 'not a tty']\n"
        # A frontend that sends no input: the command gets end-of-input, and says so.
        out, error = await kernel.run('!read -p "name? " who; echo "status $?"')
        assert error is None and "does not send input" in out and "status 1" in out


async def test_the_stop_button_ends_the_command_and_all_it_started(
    jp_fetch: Any, jp_serverapp: Any, jp_root_dir: Path
) -> None:
    pidfile = jp_root_dir / "shell.pid"
    async with ipython_kernel(jp_fetch, jp_serverapp, jp_root_dir) as kernel:
        code = f"!echo $$ > {pidfile}; (sleep 60 &); sleep 60 & sleep 60; echo never"
        run = asyncio.ensure_future(kernel.run(code))
        session = await _pid_from(pidfile)
        assert len(_session_members(session)) >= 3
        started = time.monotonic()
        await kernel.manager.interrupt_kernel(kernel.kernel_id)
        out, error = await asyncio.wait_for(run, 20)
        assert error == "KeyboardInterrupt" and "never" not in out
        assert time.monotonic() - started < 5
        assert await _gone(session) == []
        assert (await kernel.ok("print(_exit_code)")) == "-2\n"
        # The kernel goes on.
        assert await kernel.ok("!echo still here") == "still here\n"

        # A kernel restarted in the middle of a command takes the command with it.
        pidfile.unlink()
        run = asyncio.ensure_future(kernel.run(f"!echo $$ > {pidfile}; sleep 60"))
        session = await _pid_from(pidfile)
        await kernel.manager.restart_kernel(kernel.kernel_id)
        run.cancel()
        assert await _gone(session) == []
        # The restarted kernel has colab-ext's `!` again (same launch arguments).
        await kernel.client.wait_for_ready(timeout=60)
        assert "colab-ext's" in await kernel.ok("%colab_ext_shell")
        process = kernel.manager.get_kernel(kernel.kernel_id).provisioner.process
        with open(f"/proc/{process.pid}/cmdline", "rb") as file:
            assert b"--ext=colab_ext_shell" in file.read().split(b"\0")


@pytest.fixture
def small_head(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JPY_COLAB_EXT_SHELL_HEAD_BYTES", "100000")
    monkeypatch.setenv("JPY_COLAB_EXT_SHELL_TAIL_LINES", "1000")


async def test_long_output_keeps_head_and_tail(
    jp_fetch: Any, jp_serverapp: Any, jp_root_dir: Path, small_head: None
) -> None:
    async with ipython_kernel(jp_fetch, jp_serverapp, jp_root_dir) as kernel:
        out = await kernel.ok("!seq 1 200000")
    lines = out.splitlines()
    assert lines[:3] == ["1", "2", "3"]
    notes = [line for line in lines if line.startswith("[colab-ext:")]
    assert len(notes) == 1 and "the middle is left out" in notes[0], notes
    head = lines[: lines.index(notes[0])]
    assert head == [str(n) for n in range(1, len(head) + 1)]
    # The live view of the newest lines became the final note; the tail follows it.
    tail = lines[lines.index(notes[0]) + 1 :]
    assert tail == [str(n) for n in range(199001, 200001)]
    (final,) = kernel.displays.values()
    dropped = 200000 - len(head) - len(tail)
    assert final.startswith("[colab-ext:") and f"{dropped:,} lines" in final, final


async def test_the_off_switch_in_the_environment(
    jp_fetch: Any, jp_serverapp: Any, jp_root_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JPY_COLAB_EXT_SHELL", "off")
    async with ipython_kernel(jp_fetch, jp_serverapp, jp_root_dir) as kernel:
        assert "IPython's own" in await kernel.ok("%colab_ext_shell")
        assert "ok" in await kernel.ok("!echo ok")


RATE_LIMIT = 200_000  # bytes/s: 600 KB of `seq` would pass it several times over in one burst


@pytest.fixture
def jp_server_config(jp_server_config: dict[str, Any]) -> dict[str, Any]:
    return {
        **jp_server_config,
        "ZMQChannelsWebsocketConnection": {"iopub_data_rate_limit": RATE_LIMIT},
    }


async def test_output_is_paced_under_the_iopub_rate_limit_not_dropped(
    jp_fetch: Any, jp_ws_fetch: Any, jp_root_dir: Path
) -> None:
    (jp_root_dir / "work").mkdir()
    async with notebook_session(jp_fetch, "work/rate.ipynb") as session:
        ws = await jp_ws_fetch("api", "kernels", session["kernel"]["id"], "channels")
        try:
            msg_id = uuid.uuid4().hex
            header = {
                "msg_id": msg_id,
                "msg_type": "execute_request",
                "session": uuid.uuid4().hex,
                "username": "test",
                "version": "5.3",
                "date": "",
            }
            content = {"code": "!seq 1 100000", "silent": False, "allow_stdin": False}
            message = {"header": header, "parent_header": {}, "metadata": {}, "content": content}
            await ws.write_message(json.dumps({**message, "channel": "shell", "buffers": []}))
            text, started = [], time.monotonic()
            while True:
                reply = json.loads(await asyncio.wait_for(ws.read_message(), 60))
                if reply.get("parent_header", {}).get("msg_id") != msg_id:
                    continue
                if reply["msg_type"] == "stream":
                    text.append(reply["content"]["text"])
                if reply["msg_type"] == "status" and reply["content"]["execution_state"] == "idle":
                    break
        finally:
            ws.close()
    output = "".join(text)
    assert "IOPub data rate exceeded" not in output
    assert output.split() == [str(n) for n in range(1, 100001)]
    # 589 KB at most 0.7 x 200 KB/s after a 420 KB burst: paced, not dropped.
    assert time.monotonic() - started > 0.8


def test_a_kernel_elsewhere_loads_it_from_the_installed_package() -> None:
    """A gateway's kernel image with colab-ext installed, configured as the README says: a kernel
    this server did not start (no kernel_site on its path) runs `!` through the extension, and
    answers the frontend's question about it (the expression in src/shell/kernelShell.ts)."""
    from jupyter_client.manager import start_new_kernel

    source = Path("src/shell/kernelShell.ts").read_text()
    declaration = source.split("const EXPRESSION =")[1].split(";")[0]
    expression = "".join(re.findall(r'"([^"]*)"', declaration))
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    manager, client = start_new_kernel(
        kernel_name="python3",
        extra_arguments=["--ext=colab_ext.kernel_site.colab_ext_shell"],
        env=env,
        cwd=str(Path.cwd()),
    )
    try:
        out: list[str] = []

        def keep(message: dict[str, Any]) -> None:
            if message["msg_type"] == "stream":
                out.append(message["content"]["text"])

        reply = client.execute_interactive(
            "import sys\n%colab_ext_shell\n!echo here",
            user_expressions={"on": expression},
            output_hook=keep,
            timeout=60,
        )
        assert reply["content"]["status"] == "ok"
        assert "".join(out) == "! runs colab-ext's (streamed, interactive) shell commands\nhere\n"
        assert reply["content"]["user_expressions"]["on"]["data"]["text/plain"] == "True"
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
