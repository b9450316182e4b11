"""One shell command under pseudo-terminals: a controlling terminal for stdin/stdout, and a second
terminal for stderr so that the notebook can mark it while programs still see a terminal there.

Plain asyncio and syscalls, no tornado: the service and tests drive it directly.
"""

from __future__ import annotations

import asyncio
import codecs
import contextlib
import fcntl
import os
import pty
import shutil
import signal
import struct
import subprocess
import termios
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import psutil

from ..kernel_site.colab_ext_shell.terminal_wait import group_reads_terminal
from .job_signals import JOB_SIGNALS, ignored_job_signals
from .marker import (
    MARKER_VARIABLE,
    kill_marked,
    marked_processes,
    new_marker,
    send,
    wait_ended,
)

#: util-linux's setsid, when present (it is on Debian, Ubuntu, Fedora, Alpine's util-linux).
SETSID = shutil.which("setsid")
#: coreutils' env, which can put signals back to their default before the command starts.
ENV = shutil.which("env")
#: ``sink(stream, text)`` gets decoded output; awaiting it is the back-pressure.
OutputSink = Callable[[str, str], Awaitable[None]]


@dataclass
class ExitStatus:
    """How a command ended: ``code`` as a shell reports it, ``signal`` when a signal ended it."""

    code: int
    signal: int | None


def _configure_terminal(fd: int, columns: int, rows: int) -> None:
    """No output post-processing: ``\\n`` stays ``\\n`` (no ``\\r\\n`` to strip), and the PTY moves
    several times the bytes per second (measured: ~70 vs ~17 MB/s)."""
    attributes = termios.tcgetattr(fd)
    attributes[1] &= ~termios.OPOST
    termios.tcsetattr(fd, termios.TCSANOW, attributes)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))


def _resolve(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


def _take_controlling_terminal() -> None:
    """In the child, after ``setsid``: make stdin's PTY the controlling terminal, so Ctrl-C,
    job control and programs that open ``/dev/tty`` (password prompts) behave as in a terminal."""
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


class PtyCommand:
    """A running command. ``start`` it, feed ``write``, ``interrupt`` or ``terminate`` it, and
    ``wait`` for its :class:`ExitStatus` once all its output went to the sink."""

    def __init__(
        self,
        argv: list[str],
        *,
        cwd: str,
        env: dict[str, str],
        sink: OutputSink,
        columns: int = 120,
        rows: int = 40,
        read_chunk: int = 256 * 1024,
    ) -> None:
        #: Inherited by everything the command starts (see :mod:`.marker`); only in the command's
        #: copy of the environment, never in the kernel's or the server's.
        self.marker = new_marker()
        self.argv, self.cwd, self.sink = argv, cwd, sink
        self.env = {**env, MARKER_VARIABLE: self.marker}
        self.columns, self.rows, self.read_chunk = columns, rows, read_chunk
        self.process: subprocess.Popen[bytes] | None = None
        self._handle: psutil.Process | None = None
        self.interrupted = False
        self._terminal = -1
        self._terminal_name = ""
        self._pumps: list[asyncio.Task[None]] = []
        self._exited: asyncio.Future[None] | None = None

    @property
    def pid(self) -> int:
        assert self.process is not None, "start() first"
        return self.process.pid

    async def start(self) -> None:
        """Spawn the command in a new session whose controlling terminal is our PTY."""
        terminal, terminal_child = pty.openpty()
        errors, errors_child = pty.openpty()
        try:
            for fd in (terminal_child, errors_child):
                _configure_terminal(fd, self.columns, self.rows)
            self._terminal_name = os.ttyname(terminal_child)
            self.process = self._spawn(terminal_child, errors_child)
        except BaseException:
            for fd in (terminal, errors):
                os.close(fd)
            raise
        finally:
            # Only the child keeps the terminal ends: when it and its children are gone, reads on
            # our ends fail with EIO, which is how we know all output has arrived.
            os.close(terminal_child)
            os.close(errors_child)
        self._terminal = terminal
        # Taken while the pid is surely the command's (our child, not reaped yet): psutil checks
        # it against pid reuse, so a late lookup of descendants never lists another's children.
        with contextlib.suppress(psutil.Error):
            self._handle = psutil.Process(self.process.pid)
        for fd in (terminal, errors):
            os.set_blocking(fd, False)
        loop = asyncio.get_running_loop()
        self._pumps = [
            loop.create_task(self._pump(terminal, "stdout")),
            loop.create_task(self._pump(errors, "stderr")),
        ]
        self._exited = loop.create_future()
        self._watch_exit(loop)

    def _spawn(self, terminal: int, errors: int) -> subprocess.Popen[bytes]:
        """Start the command in a new session with ``terminal`` as its controlling terminal.

        util-linux's ``setsid --ctty`` does both before it execs the command (same pid): Python can
        then spawn with vfork, ~0.3 ms instead of ~35 ms for a fork with ``preexec_fn`` from a
        large server process. Without it, fall back to ``preexec_fn``.
        """
        streams: dict[str, Any] = {
            "stdin": terminal,
            "stdout": terminal,
            "stderr": errors,
            "cwd": self.cwd,
            "env": self.env,
        }
        argv = list(self.argv)
        # Normally none: stop_passing_on_ignored_signals() ran at start. A C library may still
        # have set SIG_IGN since.
        ignored = ignored_job_signals()
        if ignored and ENV:
            names = ",".join(sig.name.removeprefix("SIG") for sig in ignored)
            argv = [ENV, f"--default-signal={names}", *argv]
        # The child inherits this thread's signal mask: none of the terminal signals blocked.
        mask = signal.pthread_sigmask(signal.SIG_UNBLOCK, JOB_SIGNALS)
        try:
            if SETSID:
                return subprocess.Popen([SETSID, "--ctty", *argv], **streams)  # noqa: S603
            return subprocess.Popen(  # noqa: S603 (running the user's command is the point)
                argv,
                start_new_session=True,
                preexec_fn=_take_controlling_terminal,
                **streams,
            )
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)

    def _watch_exit(self, loop: asyncio.AbstractEventLoop) -> None:
        """Learn of the exit from a pidfd on the event loop: no thread, no polling, no delay."""
        assert self.process is not None and self._exited is not None
        exited = self._exited
        try:
            pidfd = os.pidfd_open(self.process.pid)
        except (AttributeError, OSError):
            loop.run_in_executor(None, self.process.wait).add_done_callback(
                lambda _: _resolve(exited)
            )
            return

        def on_exit() -> None:
            loop.remove_reader(pidfd)
            os.close(pidfd)
            if not exited.done():
                exited.set_result(None)

        loop.add_reader(pidfd, on_exit)

    async def _pump(self, fd: int, stream: str) -> None:
        """Move output from one PTY to the sink, as much per message as has arrived."""
        loop = asyncio.get_running_loop()
        decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        try:
            while True:
                chunks, size, ended = [], 0, False
                while size < self.read_chunk:
                    try:
                        data = os.read(fd, self.read_chunk - size)
                    except BlockingIOError:
                        break
                    except OSError:  # EIO: every holder of the terminal's other end is gone
                        ended = True
                        break
                    if not data:
                        ended = True
                        break
                    chunks.append(data)
                    size += len(data)
                if chunks:
                    await self.sink(stream, decoder.decode(b"".join(chunks)))
                if ended:
                    break
                if size == 0:
                    await self._readable(loop, fd)
            tail = decoder.decode(b"", final=True)
            if tail:
                await self.sink(stream, tail)
        finally:
            os.close(fd)

    @staticmethod
    async def _readable(loop: asyncio.AbstractEventLoop, fd: int) -> None:
        ready = loop.create_future()
        loop.add_reader(fd, _resolve, ready)
        try:
            await ready
        finally:
            loop.remove_reader(fd)

    async def wait(self, drain_timeout: float = 1.0) -> ExitStatus:
        """Wait for the exit, then for the output still in the terminals.

        A background job that outlives the command (``nohup x &``) keeps the terminal open: its
        output is read for at most ``drain_timeout`` seconds after the exit, then cut.
        """
        assert self.process is not None and self._exited is not None
        await self._exited
        code = self.process.wait()
        _done, pending = await asyncio.wait(self._pumps, timeout=drain_timeout)
        for pump in pending:
            pump.cancel()
        if pending:
            await asyncio.gather(*pending, return_exceptions=True)
        if code < 0:
            return ExitStatus(code=128 - code, signal=-code)
        return ExitStatus(code=code, signal=None)

    def write(self, data: str) -> None:
        """Type ``data`` into the command's terminal (stdin)."""
        if self._terminal < 0 or self.returncode is not None:
            return
        payload = data.encode()
        with contextlib.suppress(OSError):
            while payload:
                written = os.write(self._terminal, payload)
                payload = payload[written:]

    @property
    def returncode(self) -> int | None:
        return None if self.process is None else self.process.poll()

    def echo(self) -> bool:
        """Whether the terminal echoes typed input (off while a program asks for a password)."""
        try:
            return bool(termios.tcgetattr(self._terminal)[3] & termios.ECHO)
        except (termios.error, OSError):
            return True

    def waiting_for_input(self) -> bool:
        """Whether the command (a process of the terminal's foreground group) is blocked reading
        its terminal: it waits for the user."""
        if not self._terminal_name or self.returncode is not None:
            return False
        try:
            group = os.tcgetpgrp(self._terminal)
        except OSError:
            return False
        return group_reads_terminal(group, self._terminal_name)

    def interrupt(self) -> None:
        """SIGINT to the command's process group, as Ctrl-C in a terminal."""
        self.interrupted = True
        self._signal_group(signal.SIGINT)

    async def terminate(self, grace: float) -> None:
        """End the command and everything it started: SIGHUP and SIGTERM to its group, its
        descendants and the daemons that left its tree, then SIGKILL to whatever is left after
        ``grace`` seconds.

        The descendants are listed before the group is signalled, while the tree is whole. A
        daemon that forked twice and called ``setsid`` is in neither: it is found by the marker in
        its environment (:mod:`.marker`, a scan of /proc off the event loop).
        """
        if self.process is None:
            return
        loop = asyncio.get_running_loop()
        # Both lookups read /proc for every process (psutil's about 5 times the marker scan's
        # CPU: bench/shell_sweep.py), so they run off the event loop.
        descendants = await loop.run_in_executor(None, self._descendants)
        for sig in (signal.SIGHUP, signal.SIGTERM):
            self._signal_group(sig)
            send(descendants, sig)
        # The command itself is our child: its exit is seen by the pidfd (nothing else may reap
        # it, or its exit status would be lost), so the scans leave it out. The others are not
        # ours: they are polled.
        escaped = await loop.run_in_executor(None, self._escaped, descendants)
        for sig in (signal.SIGHUP, signal.SIGTERM):
            send(escaped, sig)
        others = [*descendants, *escaped]
        assert self._exited is not None
        waits: list[asyncio.Future[Any]] = [
            asyncio.ensure_future(asyncio.wait_for(asyncio.shield(self._exited), grace)),
            loop.run_in_executor(None, wait_ended, others, grace),
        ]
        await asyncio.gather(*waits, return_exceptions=True)
        self._signal_group(signal.SIGKILL)
        send([*others, *await loop.run_in_executor(None, self._descendants)], signal.SIGKILL)
        await loop.run_in_executor(None, kill_marked, self.marker, (self.process.pid,))

    def _descendants(self) -> list[psutil.Process]:
        """Everything the command started, including processes that left its process group."""
        if self._handle is None:
            return []
        try:
            return self._handle.children(recursive=True)
        except psutil.Error:
            return []

    def _escaped(self, descendants: list[psutil.Process]) -> list[psutil.Process]:
        """The processes carrying the command's marker that are neither in ``descendants`` nor in
        its process group (those were signalled already: a second SIGTERM can mean "now")."""
        assert self.process is not None
        group = self.process.pid
        known = {process.pid for process in descendants}
        escaped = []
        for process in marked_processes(self.marker, exclude=(group,)):
            if process.pid in known:
                continue
            try:
                if os.getpgid(process.pid) == group:
                    continue
            except OSError:
                continue
            escaped.append(process)
        return escaped

    def _signal_group(self, sig: int) -> None:
        assert self.process is not None
        try:
            # The group id is the command's pid: it leads its own session and group.
            os.killpg(self.process.pid, sig)
        except ProcessLookupError:
            # No such group yet: `setsid --ctty` has been exec'd but has not called setsid()
            # (a stop button pressed within a millisecond of the start, seen in CI under load).
            # It has started nothing yet, so the signal goes to it alone. The pid is still ours
            # while the exit is unseen: we reap it, so it cannot have been reused.
            if self.process.returncode is None and not (self._exited and self._exited.done()):
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.kill(self.process.pid, sig)
        except PermissionError:
            pass
