"""The page's answers to the kernel, on the kernel's stdin channel, while a cell runs.

A feature that asks the page something (``output.eval_js``, ``files.upload``) names its request
with an id on IOPub; the page answers with an ``input_reply`` whose value is Colab's
``colab_reply`` (``{type, colab_msg_id, data | error}``), after one with ``ack: true`` the moment
it takes the request, so that a request nobody takes fails clearly instead of waiting for ever.
The page that holds a request says so again every few seconds (the same ``ack``); when it falls
silent (reloaded, closed) the request is announced again, marked ``reannounced``, for the next
page that shows the notebook to take it: a reload does not strand a waiting picker.
The stdin channel is the one a kernel reads while a cell runs (its shell channel waits for the
cell to end), and only a connection that may run code in the kernel can write to it.

Standard library (and the running ipykernel) only.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable
from typing import Any

#: What the page's answer on stdin says it is (Colab's own name for it).
REPLY_TYPE = "colab_reply"
#: How often the wait for the page's answer looks for an interrupt (seconds).
_POLL = 0.05
#: A page with colab-ext says at once that it got a request (``ack``), before the person answers
#: or a script runs; no word within this many seconds means no such page is there.
ACK_WITHIN_S = 15.0
#: The kernel's environment may change it (a slow machine, the tests).
ACK_VARIABLE = "JPY_COLAB_EXT_PAGE_ACK_S"
#: The page that holds a request acks again every 2 s (src/kernelRequests.ts); this long without
#: one, it is gone (a reload, a closed tab) and the request is announced again ...
ORPHANED_AFTER_S = 7.0
#: (in the kernel's environment: the tests)
ORPHANED_VARIABLE = "JPY_COLAB_EXT_PAGE_GONE_S"
#: ... every this many seconds, until a page takes it.
REANNOUNCE_EVERY_S = 3.0


class NoPageAnswered(RuntimeError):
    """Nobody took the request: no page with colab-ext shows this notebook's run of the cell."""


def running_kernel(what: str) -> Any:
    """The running ipykernel kernel, or a RuntimeError that says ``what`` needs one."""
    try:
        from ipykernel.kernelbase import Kernel

        if Kernel.initialized():
            return Kernel.instance()
    except ImportError:
        pass
    raise RuntimeError(
        f"{what} needs a notebook: run it in a cell of a notebook open in JupyterLab."
    )


def read_reply(
    kernel: Any,
    request_id: str,
    timeout_sec: float | None,
    what: str = "this call",
    reannounce: Callable[[], object] | None = None,
) -> dict[str, Any] | None:
    """The page's ``colab_reply`` to ``request_id`` (it holds ``data`` or ``error``), or None when
    ``timeout_sec`` passed first. Other answers that come meanwhile (a late one to an earlier
    request) are dropped, as Colab drops them; an interrupt gets through while waiting. Raises
    :class:`NoPageAnswered` when not even the page's ``ack`` came within :data:`ACK_WITHIN_S`
    (or ``JPY_COLAB_EXT_PAGE_ACK_S``). Once a page took the request and then fell silent,
    ``reannounce()`` is called every :data:`REANNOUNCE_EVERY_S` until a page takes it again."""
    sys.stdout.flush()
    sys.stderr.flush()
    started = time.monotonic()
    deadline = started + timeout_sec if timeout_sec else None
    acknowledged = False
    last_heard = last_announced = started
    ack_within = _seconds(ACK_VARIABLE, ACK_WITHIN_S)
    orphaned_after = _seconds(ORPHANED_VARIABLE, ORPHANED_AFTER_S)
    socket = kernel.stdin_socket
    while deadline is None or time.monotonic() < deadline:
        now = time.monotonic()
        if (
            acknowledged
            and reannounce is not None
            and now - last_heard > orphaned_after
            and now - last_announced > REANNOUNCE_EVERY_S
        ):
            last_announced = now
            reannounce()
        if not acknowledged and now - started > ack_within:
            raise NoPageAnswered(
                f"No page answered {what} within {ack_within:g} s. It needs this notebook "
                "open in JupyterLab with colab-ext, in the page that ran the cell (a page "
                "without colab-ext, or one closed meanwhile, cannot answer)."
            )
        wait = _POLL if deadline is None else max(0.0, min(_POLL, deadline - time.monotonic()))
        # A short poll, then again: an interrupt (KeyboardInterrupt) gets through between them.
        if not socket.poll(int(wait * 1000)):
            continue
        try:
            _, message = kernel.session.recv(socket, mode=1)  # zmq.NOBLOCK
        except Exception:
            message = None  # a malformed message is no answer
        reply = _reply_of(message)
        if reply is None or reply.get("colab_msg_id") != request_id:
            continue
        if reply.get("ack"):
            # The page has it; the answer may take as long as the person.
            acknowledged, last_heard = True, time.monotonic()
            continue
        return reply
    return None


def _seconds(variable: str, default: float) -> float:
    try:
        return float(os.environ.get(variable, "") or default)
    except ValueError:
        return default


def _reply_of(message: Any) -> dict[str, Any] | None:
    """The ``colab_reply`` an ``input_reply`` carries as its value (a JSON text, or an object as
    Colab's page sends it), or None when it carries none."""
    if not isinstance(message, dict):
        return None
    value = (message.get("content") or {}).get("value")
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return None
    if isinstance(value, dict) and value.get("type") == REPLY_TYPE:
        return value
    return None
