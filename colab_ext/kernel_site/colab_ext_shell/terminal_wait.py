"""Which process of a terminal is blocked reading it: how a command is known to wait for input.

Standard library only: used by the kernel-side ``!`` (``pty_run``) and by the server's shell route.
A process blocked in ``read`` on the terminal (or on ``/dev/tty``, as getpass, ssh and sudo read)
is waiting for the user; seen in ``/proc/<pid>/syscall``, or in ``wchan`` where that needs rights
the reader lacks.
"""

from __future__ import annotations

import os
import platform
from collections.abc import Collection

#: ``read`` in /proc/<pid>/syscall (x86-64, then arm64 and other generic-table architectures).
READ_SYSCALLS = {"x86_64": {"0"}, "aarch64": {"63"}, "arm64": {"63"}}.get(
    platform.machine(), {"0", "63"}
)
#: What a process blocked in a terminal read shows in /proc/<pid>/wchan.
TTY_WAITS = {"n_tty_read", "wait_woken"}


def reads_terminal(pid: int, terminal: str) -> bool:
    """Whether ``pid`` is blocked reading ``terminal`` (a PTY's name) or ``/dev/tty``."""
    try:
        with open(f"/proc/{pid}/syscall") as file:
            fields = file.read().split()
    except OSError:
        fields = []
    if fields:
        if fields[0] not in READ_SYSCALLS or len(fields) < 2:
            return False
        return _is_terminal(pid, int(fields[1], 16), (terminal, "/dev/tty"))
    try:  # /proc/<pid>/syscall needs ptrace rights; wchan is readable more often
        with open(f"/proc/{pid}/wchan") as file:
            wchan = file.read().strip()
    except OSError:
        return False
    return wchan in TTY_WAITS and _is_terminal(pid, 0, (terminal, "/dev/tty"))


def _is_terminal(pid: int, fd: int, terminals: Collection[str]) -> bool:
    try:
        return os.readlink(f"/proc/{pid}/fd/{fd}") in terminals
    except OSError:
        return False


def _stat_fields(pid: str) -> list[str] | None:
    try:
        with open(f"/proc/{pid}/stat", "rb") as file:
            stat = file.read()
    except OSError:
        return None
    return stat[stat.rfind(b")") + 2 :].decode().split()


def _members(index: int, value: int) -> list[int]:
    # Fields after the name: state(0) ppid(1) pgrp(2) session(3).
    found = []
    for name in os.listdir("/proc"):
        if name.isdigit():
            fields = _stat_fields(name)
            if fields and fields[index] == str(value):
                found.append(int(name))
    return found


def group_members(group: int) -> list[int]:
    """The processes of process group ``group``."""
    return _members(2, group)


def session_members(session: int) -> list[int]:
    """The processes of session ``session``."""
    return _members(3, session)


def group_reads_terminal(group: int, terminal: str) -> bool:
    """Whether a process of ``group`` (the terminal's foreground group) waits on ``terminal``;
    the group's leader, where the shell's own ``read`` runs, is looked at first."""
    if reads_terminal(group, terminal):
        return True
    return any(reads_terminal(pid, terminal) for pid in group_members(group) if pid != group)
