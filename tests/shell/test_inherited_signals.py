"""The stop button works even when the server was started with SIGINT ignored (``jupyter lab &``
in a script or a container's entrypoint): commands start with the terminal signals at default."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Iterator
from typing import Any

import pytest

from colab_ext.shell.job_signals import ignored_job_signals
from tests.shell.conftest import notebook_shell


@pytest.fixture
def server_ignores_sigint() -> Iterator[None]:
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def test_the_ignored_signals_are_read_from_the_kernel(server_ignores_sigint: None) -> None:
    assert signal.SIGINT in ignored_job_signals()


async def test_a_server_that_ignores_sigint_still_interrupts_commands(
    server_ignores_sigint: None, jp_fetch: Any, jp_ws_fetch: Any
) -> None:
    async with notebook_shell(jp_fetch, jp_ws_fetch, "nb.ipynb") as shell:
        command_id = shell.start("trap 'echo caught; exit 5' INT; sleep 100 & wait")
        await shell.until(command_id, "started")
        await asyncio.sleep(0.3)  # for bash to set its trap
        shell.send(type="interrupt", id=command_id)
        result = await shell.until(command_id, "exit", timeout=10)
    assert "caught" in result.text()
    assert result.exit["code"] == 5


async def test_a_stop_right_after_the_start_is_not_lost_when_the_server_ignores_sigint(
    server_ignores_sigint: None, jp_fetch: Any, jp_ws_fetch: Any
) -> None:
    # The command must not spend even its first instructions with SIGINT ignored.
    async with notebook_shell(jp_fetch, jp_ws_fetch, "nb.ipynb") as shell:
        for _ in range(10):
            command_id = shell.start("sleep 100")
            shell.send(type="interrupt", id=command_id)
            result = await shell.until(command_id, "exit", timeout=10)
            assert result.exit["signal"] == 2
