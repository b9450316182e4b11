"""The terminal signals a command must start with at their default, and how the server makes sure
it does even when it was started with them ignored (``jupyter lab &``, a container's entrypoint).
"""

from __future__ import annotations

import signal
import threading

#: The signals a program in a terminal expects at their default. A server started in the
#: background of a script (``jupyter lab &``, a container's entrypoint) has SIGINT and SIGQUIT
#: ignored, and an ignored signal stays ignored across exec: the stop button would then do
#: nothing, and bash may not even trap it. Blocked ones are inherited the same way.
JOB_SIGNALS = (
    signal.SIGINT,
    signal.SIGQUIT,
    signal.SIGTSTP,
    signal.SIGTTIN,
    signal.SIGTTOU,
    signal.SIGHUP,
    signal.SIGTERM,
)


def _ignore(_signum: int, _frame: object) -> None:
    """Drops the signal, as SIG_IGN does, but is not inherited: exec puts a caught signal back to
    its default, while an ignored one stays ignored in every command."""


def stop_passing_on_ignored_signals() -> None:
    """Turn this process's SIG_IGN of the terminal signals into a handler that drops them.

    The server behaves the same (it still ignores them), but the commands it starts begin with
    them at their default from their first instruction. Putting them back later (``env
    --default-signal`` in :meth:`PtyCommand._spawn`) leaves a moment, before that exec, in which
    a stop pressed right after the start is lost. Only the main thread may set handlers.
    """
    if threading.current_thread() is not threading.main_thread():
        return
    for sig in ignored_job_signals():
        if signal.getsignal(sig) == signal.SIG_IGN:
            signal.signal(sig, _ignore)


def ignored_job_signals() -> list[signal.Signals]:
    """The terminal signals this process ignores, as the kernel sees them (a C library may have
    changed them behind Python's back, so /proc rather than ``signal.getsignal``)."""
    try:
        with open("/proc/self/status") as status:
            mask = next(int(line.split()[1], 16) for line in status if line.startswith("SigIgn:"))
    except (OSError, StopIteration, ValueError):
        return []
    return [sig for sig in JOB_SIGNALS if mask & (1 << (sig - 1))]
