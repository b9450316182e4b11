"""One shell command under a pseudo-terminal, run from the kernel's main thread.

Standard library only (this folder is on every Python kernel's path; it never imports colab_ext).
The command gets its own session, with the PTY as its controlling terminal, so the stop button's
SIGINT reaches its whole process group and nothing of it is in the kernel's group. It runs in the
kernel's current folder (after ``%cd``) with the kernel's environment (after ``%env``).
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import ctypes.util
import fcntl
import os
import select
import signal
import struct
import subprocess
import termios
import time
from collections.abc import Callable, Sequence
from typing import Protocol

from .terminal_wait import group_members, group_reads_terminal, session_members

#: How long output may pause before the command is checked for waiting on its terminal.
IDLE_S = 0.05
#: While it stays quiet, checks space out up to this (a check reads /proc; a quiet
#: ``!sleep`` would otherwise cost several percent of a core).
IDLE_MAX_S = 0.4
#: After the command's own process ends, how long to wait for the last output of what it left.
DRAIN_S = 0.05
#: After the stop button's SIGINT, how long the command has to end before SIGKILL.
INTERRUPT_GRACE_S = 1.0

_running: set[Command] = set()


class OutputSink(Protocol):
    """Where a command's output goes: text as it comes, and the line it is still writing."""

    def feed_bytes(self, data: bytes) -> None: ...

    def take_prompt(self) -> str:
        """The unfinished last line, handed over (not shown) as the prompt of an input box."""
        ...

    def idle(self) -> None:
        """Output paused and nobody is asked for input: show what is held back."""
        ...


#: Asks the user for a line: (prompt, hidden) -> answer; raises EOFError when it cannot.
Ask = Callable[[str, bool], str]


def _prctl() -> Callable[[int, int], int] | None:
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        return libc.prctl
    except (OSError, AttributeError):
        return None


_PRCTL = _prctl()
_PR_SET_PDEATHSIG = 1


def _die_with_kernel() -> None:
    # The shell dies with the kernel; its children get SIGHUP when it, the session leader, ends.
    if _PRCTL is not None:
        _PRCTL(_PR_SET_PDEATHSIG, signal.SIGKILL)


def _child_setup() -> None:
    # After setsid (start_new_session): the PTY becomes the controlling terminal.
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)
    _die_with_kernel()


def exit_code(returncode: int) -> int:
    """IPython's convention: the exit status, or minus the signal that ended the command."""
    if returncode < 0:
        return returncode
    return -(returncode - 128) if returncode > 128 else returncode


class Command:
    """``argv`` under a new PTY; :meth:`run` streams its output to a sink and answers its reads.

    With ``terminal=False`` it runs as IPython's ``getoutput`` runs commands: stdout and stderr on
    one pipe, stdin at its end at once (so ``x = !ls`` gets one name a line, as in IPython).
    """

    def __init__(
        self, argv: Sequence[str], *, terminal: bool = True, rows: int = 24, columns: int = 80
    ) -> None:
        if terminal:
            self.master, slave = os.openpty()
            self.slave_name = os.ttyname(slave)
            attrs = termios.tcgetattr(slave)
            attrs[1] &= ~termios.ONLCR  # "\n" stays "\n"; "\r" stays for progress bars
            termios.tcsetattr(slave, termios.TCSANOW, attrs)
            fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
            stdin: int = slave
            stdout: int = slave
        else:
            self.master, stdout = os.pipe()
            self.slave_name = ""
            stdin = subprocess.PIPE
            slave = stdout
        try:
            self.process = subprocess.Popen(  # noqa: S603 (the user's own command)
                list(argv),
                stdin=stdin,
                stdout=stdout,
                stderr=stdout,
                cwd=os.getcwd(),
                env=dict(os.environ),
                start_new_session=True,
                preexec_fn=_child_setup if terminal else _die_with_kernel,
            )
        except BaseException:
            os.close(self.master)
            raise
        finally:
            os.close(slave)
        if self.process.stdin is not None:
            self.process.stdin.close()
        self.pid = self.process.pid
        self._echo_pending = b""
        _running.add(self)

    # -- the terminal ---------------------------------------------------------------------------

    def _terminal_modes(self) -> tuple[bool, bool]:
        """(echo, canonical) of the PTY as the program has set it."""
        try:
            lflag = termios.tcgetattr(self.master)[3]
        except termios.error:
            return True, True
        return bool(lflag & termios.ECHO), bool(lflag & termios.ICANON)

    def waiting_for_input(self) -> bool:
        """Whether a process of the terminal's foreground group is blocked reading the PTY."""
        if not self.slave_name:
            return False
        try:
            group = os.tcgetpgrp(self.master)
        except OSError:
            return False
        return group_reads_terminal(group, self.slave_name)

    def answer(self, line: str) -> None:
        """Type ``line`` and Enter into the terminal; its echo is not shown again."""
        data = line.encode() + b"\n"
        echo, _ = self._terminal_modes()
        self._echo_pending = data if echo else b""
        with contextlib.suppress(OSError):
            os.write(self.master, data)

    def end_input(self) -> None:
        """Ctrl-D: end of input for a program nobody can type to."""
        with contextlib.suppress(OSError):
            os.write(self.master, b"\x04")

    # -- output ---------------------------------------------------------------------------------

    def _read(self, timeout: float) -> bytes | None:
        """Output within ``timeout`` (b"" when none came), None at the end of all output."""
        try:
            ready, _, _ = select.select([self.master], [], [], timeout)
        except InterruptedError:
            return b""
        if not ready:
            return b""
        try:
            data = os.read(self.master, 65536)
        except OSError:  # EIO: every process holding the terminal closed it
            return None
        if not data:
            return None
        if self._echo_pending:
            data = self._strip_echo(data)
        return data

    def _strip_echo(self, data: bytes) -> bytes:
        pending = self._echo_pending
        common = 0
        while common < min(len(pending), len(data)) and pending[common] == data[common]:
            common += 1
        if common == len(pending) or common == len(data):
            self._echo_pending = pending[common:]
            return data[common:]
        self._echo_pending = b""  # the program echoes its own way: show what it writes
        return data

    def run(self, sink: OutputSink, ask: Ask | None) -> int:
        """Until the command ends: its output to ``sink``, its reads answered by ``ask``.

        KeyboardInterrupt (the stop button) ends it: SIGINT to its group, its last output, then
        SIGKILL to whatever of it is left, and the KeyboardInterrupt goes on up.
        """
        __tracebackhide__ = True
        try:
            self._pump(sink, ask)
            return exit_code(self.process.wait())
        except KeyboardInterrupt:
            self._interrupt(sink)
            raise
        finally:
            self.close()

    def _pump(self, sink: OutputSink, ask: Ask | None) -> None:
        __tracebackhide__ = True
        no_input = False
        idle_since: float | None = None
        wait = IDLE_S
        while True:
            data = self._read(wait)
            if data is None:
                return
            if data:
                sink.feed_bytes(data)
                idle_since = None
                wait = IDLE_S
                continue
            wait = min(wait * 2, IDLE_MAX_S)
            if self.process.poll() is not None:
                # Its own process ended; what it left in the background may hold the terminal.
                idle_since = idle_since or time.monotonic()
                if time.monotonic() - idle_since >= DRAIN_S:
                    return
                wait = DRAIN_S
                continue
            if not self.waiting_for_input():
                sink.idle()
                continue
            if ask is None or no_input:
                self.end_input()
                time.sleep(IDLE_S)
                continue
            echo, canonical = self._terminal_modes()
            try:
                reply = ask(sink.take_prompt(), not echo and canonical)
            except EOFError:
                no_input = True
                self.end_input()
                continue
            self.answer(reply)
            wait = IDLE_S

    def _interrupt(self, sink: OutputSink) -> None:
        self.signal(signal.SIGINT)
        deadline = time.monotonic() + INTERRUPT_GRACE_S
        try:
            while time.monotonic() < deadline and self.process.poll() is None:
                data = self._read(0.02)
                if data:
                    sink.feed_bytes(data)
            while True:  # what it printed on its way out
                data = self._read(0.01)
                if not data:
                    break
                sink.feed_bytes(data)
        except KeyboardInterrupt:
            pass  # pressed again: stop now
        self.kill()

    # -- ending it ------------------------------------------------------------------------------

    def signal(self, sig: int) -> None:
        """``sig`` to the command's process group (the shell and what runs in its foreground)."""
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.pid, sig)

    def kill(self) -> None:
        """SIGKILL to everything in the command's session, and reap its shell."""
        for pid in {*session_members(self.pid), *group_members(self.pid)}:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)
        self.signal(signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=5)

    def close(self) -> None:
        """Let go of the terminal (what still holds it gets SIGHUP, as in a closed terminal)."""
        if self.process.poll() is None:
            self.kill()
        with contextlib.suppress(OSError):
            os.close(self.master)
        _running.discard(self)


@atexit.register
def _kill_running() -> None:
    """A kernel that shuts down (or restarts) takes its running commands with it."""
    for command in list(_running):
        command.kill()
