"""Fixtures and helpers for the shell feature: a WebSocket client of the commands route."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Result:
    """Everything one command sent back."""

    messages: list[dict[str, Any]] = field(default_factory=list)

    def text(self, stream: str = "stdout") -> str:
        return "".join(
            m["text"] for m in self.messages if m["type"] == "output" and m["stream"] == stream
        )

    @property
    def exit(self) -> dict[str, Any]:
        return next(m for m in self.messages if m["type"] == "exit")

    def of_type(self, kind: str) -> list[dict[str, Any]]:
        return [m for m in self.messages if m["type"] == kind]


class ShellClient:
    """Speaks the route's protocol over a real WebSocket."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws

    def send(self, **message: Any) -> None:
        self.ws.write_message(json.dumps(message))

    async def receive(self, timeout: float = 20) -> dict[str, Any]:
        raw = await asyncio.wait_for(self.ws.read_message(), timeout)
        assert raw is not None, "the server closed the socket"
        return json.loads(raw)

    def start(self, command: str, cwd: str | None = None) -> str:
        command_id = uuid.uuid4().hex[:8]
        message: dict[str, Any] = {"type": "run", "id": command_id, "command": command}
        if cwd is not None:
            message["cwd"] = cwd
        self.send(**message)
        return command_id

    async def until(self, command_id: str, kind: str, timeout: float = 20) -> Result:
        """Messages of one command up to (and including) the first of type ``kind``."""
        result = Result()
        while True:
            message = await self.receive(timeout)
            if message.get("id") != command_id:
                continue
            result.messages.append(message)
            if message["type"] in (kind, "error"):
                return result

    async def run(self, command: str, cwd: str | None = None, timeout: float = 20) -> Result:
        return await self.until(self.start(command, cwd), "exit", timeout)


@asynccontextmanager
async def shell_socket(jp_ws_fetch: Any, kernel_id: str) -> AsyncIterator[ShellClient]:
    """A connection to the commands WebSocket of ``kernel_id``; closed on exit."""
    ws = await jp_ws_fetch("colab", "shell", "kernels", kernel_id, "socket")
    try:
        yield ShellClient(ws)
    finally:
        ws.close()


@asynccontextmanager
async def notebook_shell(jp_fetch: Any, jp_ws_fetch: Any, path: str) -> AsyncIterator[ShellClient]:
    """A notebook session with a kernel, and a shell connection for that kernel."""
    from tests.sessions import notebook_session

    async with (
        notebook_session(jp_fetch, path) as session,
        shell_socket(jp_ws_fetch, session["kernel"]["id"]) as shell,
    ):
        yield shell
