"""One browser connection's commands: the WebSocket protocol, spoken without tornado.

Messages from the browser (JSON objects):
``{"type": "run", "id", "command", "cwd"?}``, ``{"type": "stdin", "id", "data"}``,
``{"type": "interrupt", "id"}``, ``{"type": "terminate", "id"}``.
Messages to the browser: ``started``, ``output`` (``stream`` is ``stdout`` or ``stderr``),
``echo`` (the terminal's echo flag changed), ``reading`` (the command began or stopped waiting
for input on its terminal), ``limit`` (the output cap was reached), ``exit``
(``code``, ``signal``, ``interrupted``, ``dropped`` bytes) and ``error`` (a refused request).
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..core.errors import BadRequest, ColabError, Conflict
from ..core.safe_paths import refuse_nul
from .pty_command import PtyCommand

if TYPE_CHECKING:
    from .service import ShellService

Send = Callable[[dict[str, Any]], Awaitable[None]]

#: How often running commands' terminals are checked: the echo flag (a password prompt turns it
#: off) and, while a command is quiet, whether it waits for input.
TERMINAL_POLL_S = 0.1


@dataclass
class _Running:
    """Book-keeping for one running command."""

    command: PtyCommand
    limit: int
    sent: int = 0
    dropped: int = 0
    echo: bool = True
    reading: bool = False
    #: Output arrived since the last check: a command that writes is not waiting.
    wrote: bool = False
    #: The last check saw it quietly waiting for input (reported on the second such check).
    was_waiting: bool = False
    task: asyncio.Task[None] | None = field(default=None, repr=False)


class ShellChannel:
    """The commands one WebSocket started for one kernel; all of them end with it."""

    def __init__(self, service: ShellService, kernel_id: str, send: Send) -> None:
        self.service, self.kernel_id, self._send = service, kernel_id, send
        self.running: dict[str, _Running] = {}
        self.closed = False
        self._terminal_watch: asyncio.Task[None] | None = None

    async def send(self, message: dict[str, Any]) -> None:
        """Send, unless the browser is gone (then the commands are being ended anyway)."""
        if self.closed:
            return
        try:
            await self._send(message)
        except Exception:  # the socket closed under us; close() ends the commands
            self.closed = True

    async def handle(self, message: dict[str, Any]) -> None:
        """Act on one message from the browser; refusals go back as ``error`` messages."""
        kind, command_id = message.get("type"), str(message.get("id", ""))
        try:
            if kind == "run":
                await self._run(command_id, message)
            elif kind == "stdin":
                self._get(command_id).command.write(str(message.get("data", "")))
            elif kind == "interrupt":
                self._get(command_id).command.interrupt()
            elif kind == "terminate":
                running = self._get(command_id)
                await running.command.terminate(self.service.settings.shell_kill_grace)
            else:
                raise BadRequest(f"Unknown message type {kind!r}.")
        except ColabError as error:
            await self.send({"type": "error", "id": command_id, "message": error.message})

    def _get(self, command_id: str) -> _Running:
        running = self.running.get(command_id)
        if running is None:
            raise BadRequest(f"No command {command_id!r} is running on this connection.")
        return running

    async def _run(self, command_id: str, message: dict[str, Any]) -> None:
        text = message.get("command")
        if not command_id or not isinstance(text, str):
            raise BadRequest("A run message needs an 'id' and a 'command' string.")
        if command_id in self.running:
            raise Conflict(f"A command with id {command_id!r} is already running.")
        # exec() takes no NUL and at most 128 KiB in one argument: refuse this command alone,
        # rather than let the error close the socket and end every command on it.
        refuse_nul(text, "The command")
        cwd = message.get("cwd")
        try:
            command = await self.service.spawn(
                self.kernel_id, text, cwd if isinstance(cwd, str) else None, self._sink(command_id)
            )
        except OSError as error:
            reason = "it is too long" if error.errno == errno.E2BIG else error.strerror
            raise BadRequest(f"The command could not start: {reason}.") from None
        running = _Running(command=command, limit=self.service.settings.shell_output_limit)
        self.running[command_id] = running
        await self.send({"type": "started", "id": command_id, "pid": command.pid})
        running.task = asyncio.get_running_loop().create_task(self._finish(command_id, running))
        if self._terminal_watch is None or self._terminal_watch.done():
            self._terminal_watch = asyncio.get_running_loop().create_task(self._watch_terminals())

    def _sink(self, command_id: str) -> Callable[[str, str], Awaitable[None]]:
        async def sink(stream: str, text: str) -> None:
            running = self.running.get(command_id)
            if running is None:
                return
            await self._forward(command_id, running, stream, text)

        return sink

    async def _forward(self, command_id: str, running: _Running, stream: str, text: str) -> None:
        """Send output up to the command's cap; past it, count what is left out."""
        size = len(text.encode())
        if running.limit and running.sent + size > running.limit:
            if running.sent < running.limit:
                room = running.limit - running.sent
                head = text.encode()[:room].decode(errors="ignore")
                running.sent = running.limit
                running.dropped += size - len(head.encode())
                if head:
                    await self.send(
                        {"type": "output", "id": command_id, "stream": stream, "text": head}
                    )
                await self.send({"type": "limit", "id": command_id, "limit": running.limit})
            else:
                running.dropped += size
            return
        running.sent += size
        running.wrote = True
        await self.send({"type": "output", "id": command_id, "stream": stream, "text": text})

    async def _finish(self, command_id: str, running: _Running) -> None:
        try:
            status = await running.command.wait()
        finally:
            self.running.pop(command_id, None)
        await self.send(
            {
                "type": "exit",
                "id": command_id,
                "code": status.code,
                "signal": status.signal,
                "interrupted": running.command.interrupted,
                "dropped": running.dropped,
            }
        )

    async def _watch_terminals(self) -> None:
        """Tell the browser when a program turns echo off (to hide typing) or on again, and when
        it starts or stops waiting for input (its prompt then belongs to the input box)."""
        while self.running and not self.closed:
            for command_id, running in list(self.running.items()):
                echo = running.command.echo()
                if echo != running.echo:
                    running.echo = echo
                    await self.send({"type": "echo", "id": command_id, "echo": echo})
                # Off the event loop: it may read /proc for every process of the group.
                waiting = not running.wrote and await asyncio.get_running_loop().run_in_executor(
                    None, running.command.waiting_for_input
                )
                running.wrote = False
                # Said on the second quiet check in a row: the prompt a program wrote just before
                # it blocked may still sit in the terminal, not yet pumped, and must reach the page
                # first (it becomes the input box's label there). Not waiting is said at once.
                reading = waiting and running.was_waiting
                running.was_waiting = waiting
                if reading != running.reading:
                    running.reading = reading
                    await self.send({"type": "reading", "id": command_id, "reading": reading})
            await asyncio.sleep(TERMINAL_POLL_S)

    def interrupt_all(self) -> None:
        """SIGINT to every command (the kernel was interrupted: the stop button)."""
        for running in self.running.values():
            running.command.interrupt()

    async def terminate_all(self) -> None:
        """End every command and wait until each has reported its exit."""
        grace = self.service.settings.shell_kill_grace
        commands = list(self.running.values())
        await asyncio.gather(*(r.command.terminate(grace) for r in commands))
        tasks = [r.task for r in commands if r.task is not None]
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)

    async def close(self) -> None:
        """The browser went away: nothing it started may keep running."""
        self.closed = True
        await self.terminate_all()
        if self._terminal_watch is not None:
            self._terminal_watch.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._terminal_watch
