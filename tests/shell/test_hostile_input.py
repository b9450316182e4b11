"""A command the system cannot run (a NUL in it or in its folder, a name or an argument too long)
is refused alone, with a message; the socket and the other commands on it go on."""

from __future__ import annotations

from typing import Any

import pytest

from tests.shell.conftest import notebook_shell


@pytest.mark.parametrize(
    ("command", "cwd", "says"),
    [
        ("echo a\x00b", None, "The command 'echo a\\x00b' contains a NUL character"),
        ("pwd", "sub\x00dir", "contains a NUL character"),
        ("pwd", "n" * 300, "longer than 255 bytes"),
        ("echo " + "x" * 200_000, None, "The command could not start: it is too long."),
    ],
    ids=["nul-command", "nul-cwd", "long-cwd", "long-command"],
)
async def test_one_bad_command_is_refused_and_the_rest_go_on(
    jp_fetch: Any, jp_ws_fetch: Any, command: str, cwd: str | None, says: str
) -> None:
    async with notebook_shell(jp_fetch, jp_ws_fetch, "nb.ipynb") as shell:
        running = shell.start("read line; echo survived $line")
        await shell.until(running, "started")
        refused = await shell.run(command, cwd=cwd)
        assert refused.of_type("exit") == []
        assert says in refused.of_type("error")[0]["message"]
        shell.send(type="stdin", id=running, data="too\n")
        first = await shell.until(running, "exit")
        after = await shell.run("echo still here")
    assert first.text().endswith("survived too\n") and first.exit["code"] == 0
    assert after.text() == "still here\n"
