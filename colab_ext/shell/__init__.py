"""Shell: ``!`` lines and ``%%shell`` cells run on the server under a pseudo-terminal, for any
kernel, streamed to the notebook over a WebSocket."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..core.routing import Route, route
from .handlers import ShellSocketHandler, ShellStatusHandler
from .job_signals import stop_passing_on_ignored_signals
from .service import KERNEL_ACTIONS, ShellService
from .settings import ShellSettings

if TYPE_CHECKING:
    from ..app import ColabExt

__all__ = ["ShellService", "ShellSettings", "setup"]


def setup(app: ColabExt) -> list[Route]:
    """Build the shell service, hook it to kernel events and server stop, return its routes."""
    server = app.serverapp
    assert server is not None
    service = ShellService(
        app, app.kernels, server.root_dir, terminals_enabled=bool(server.terminals_enabled)
    )
    if server.event_logger is not None:
        server.event_logger.add_listener(
            schema_id=KERNEL_ACTIONS,
            listener=service.on_kernel_action,  # type: ignore[arg-type] # called with keywords
        )
    app.on_stop(service.stop)
    # A server started with `jupyter lab &` from a script ignores SIGINT: commands must not.
    stop_passing_on_ignored_signals()
    return [
        route("shell/status", ShellStatusHandler, service=service),
        route("shell/kernels/{kernel_id}/socket", ShellSocketHandler, service=service),
    ]
