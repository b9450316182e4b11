"""The shell service: whether commands may run here, how each is started, and ending them when
their kernel is interrupted, restarted or shut down, or the server stops."""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Coroutine
from typing import TYPE_CHECKING, Any

from ..core.errors import ColabError, NotFound, Unavailable
from .paths import notebook_folder, resolve_cwd
from .pty_command import OutputSink, PtyCommand

if TYPE_CHECKING:
    from ..runtime.kernels import KernelDirectory
    from .channel import ShellChannel
    from .settings import ShellSettings

KERNEL_ACTIONS = "https://events.jupyter.org/jupyter_server/kernel_actions/v1"

#: Added to the kernel's environment: a pager or an editor waiting for keys would hang a cell.
COMMAND_ENVIRONMENT = {"PAGER": "cat", "GIT_PAGER": "cat", "GIT_TERMINAL_PROMPT": "1"}


class ShellService:
    """Runs ``!`` commands for kernels of this server, each in its notebook's folder with the
    kernel's live environment, and keeps track of them per kernel."""

    def __init__(
        self,
        settings: ShellSettings,
        kernels: KernelDirectory,
        root_dir: str,
        terminals_enabled: bool,
    ) -> None:
        self.settings, self.kernels, self.root_dir = settings, kernels, root_dir
        self.terminals_enabled = terminals_enabled
        self.log = logging.getLogger("colab_ext.shell")
        self.channels: set[ShellChannel] = set()
        self._tasks: set[asyncio.Task[None]] = set()

    def track(self, work: Coroutine[Any, Any, None]) -> None:
        """Run clean-up work in the background, kept referenced until done (and awaited on stop)."""
        task = asyncio.get_running_loop().create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def availability(self) -> str | None:
        """Why commands cannot run here, or None when they can."""
        if not self.terminals_enabled:
            return (
                "Shell commands are off on this server because its administrator disabled "
                "terminals (ServerApp.terminals_enabled = False)."
            )
        if self.kernels.is_remote:
            return (
                "Kernels of this server run on a remote gateway, so `!` commands would run on the "
                "wrong machine. Use the kernel's own shell access instead (for example R's "
                "system() or Python's subprocess)."
            )
        return None

    def check_available(self) -> None:
        """Raise a clear error when commands cannot run here."""
        reason = self.availability()
        if reason is not None:
            raise ColabError(reason, status=403 if not self.terminals_enabled else 501)

    async def check_kernel(self, kernel_id: str) -> None:
        """The kernel must exist and run on this machine."""
        if kernel_id not in self.kernels.kernel_manager:
            raise NotFound(f"There is no running kernel with id {kernel_id}.")

    async def spawn(
        self, kernel_id: str, text: str, cwd: str | None, sink: OutputSink
    ) -> PtyCommand:
        """Start ``text`` for ``kernel_id``; ``cwd`` is relative to the server root and defaults
        to the folder of the kernel's notebook."""
        self.check_available()
        environment = self.kernels.environment(kernel_id)
        if environment is None:
            raise Unavailable(
                f"The kernel {kernel_id} is not running (or still starting); start it and run "
                "the cell again."
            )
        if cwd is None:
            cwd = notebook_folder((await self.kernels.notebooks()).get(kernel_id, ""))
        folder = resolve_cwd(self.root_dir, cwd)
        env = {**environment, **COMMAND_ENVIRONMENT}
        env.setdefault("TERM", "xterm-256color")
        env["PWD"] = folder
        shell = self.settings.shell_program
        if not os.access(shell, os.X_OK):
            shell = "/bin/sh"
        command = PtyCommand(
            [shell, "-c", text],
            cwd=folder,
            env=env,
            sink=sink,
            read_chunk=self.settings.shell_read_chunk,
        )
        await command.start()
        return command

    def channels_of(self, kernel_id: str) -> list[ShellChannel]:
        return [channel for channel in self.channels if channel.kernel_id == kernel_id]

    async def on_kernel_action(self, *, logger: Any, schema_id: str, data: dict[str, Any]) -> None:
        """The stop button interrupts the kernel: interrupt its commands too. A restart or a
        shutdown (closing a notebook shuts its kernel down) ends them.

        jupyter_events calls listeners with keywords; a failure here must never reach the kernel
        manager (it would fail the kernel action itself), so it is logged and swallowed.
        """
        kernel_id, action = data.get("kernel_id"), data.get("action")
        if not kernel_id or data.get("status") != "success":
            return
        try:
            for channel in self.channels_of(kernel_id):
                if action == "interrupt":
                    channel.interrupt_all()
                elif action in ("restart", "shutdown"):
                    await channel.terminate_all()
        except Exception:
            self.log.exception("colab-ext: could not end the commands of kernel %s", kernel_id)

    async def stop(self) -> None:
        """The server stops: end every command."""
        for channel in list(self.channels):
            await channel.close()
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
