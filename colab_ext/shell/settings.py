"""Admin settings of the shell feature (``c.ColabExt.shell_*``)."""

from __future__ import annotations

from traitlets import Float, Integer, Unicode
from traitlets.config import Configurable


class ShellSettings(Configurable):
    """How ``!`` commands run on the server."""

    shell_program = Unicode(
        "/bin/bash",
        config=True,
        help="The shell that runs each `!` line and `%%shell` cell, called as "
        "`<program> -c <text>`. Falls back to /bin/sh when it does not exist.",
    )

    shell_output_limit = Integer(
        4 * 1024 * 1024,
        config=True,
        help="Bytes of output one command may send to the notebook. Past it the browser gets a "
        "note saying how much was left out; the command itself keeps running and its output is "
        "read and discarded, so it never blocks. 0 means no limit.",
    )

    shell_kill_grace = Float(
        2.0,
        config=True,
        help="Seconds a command gets to exit after SIGHUP/SIGTERM (on disconnect, kernel restart "
        "or shutdown, notebook close) before its whole process tree is killed with SIGKILL.",
    )

    shell_read_chunk = Integer(
        256 * 1024,
        config=True,
        help="At most this many bytes of output are gathered into one WebSocket message. Output "
        "that arrives while a message is being sent is coalesced into the next one.",
    )
