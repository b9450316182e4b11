"""Resources: RAM, CPU, disk and GPUs of this runtime, and which notebook holds GPU memory."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..core.routing import Route, route
from .handlers import ResourcesHandler, ResourcesSocketHandler
from .sampler import ResourceSampler
from .settings import ResourcesSettings

if TYPE_CHECKING:
    from ..app import ColabExt

__all__ = ["ResourceSampler", "ResourcesSettings", "setup"]


def setup(app: ColabExt) -> list[Route]:
    """Build the one shared sampler and return the feature's routes (REST and WebSocket)."""
    server = app.serverapp
    assert server is not None
    sampler = ResourceSampler(
        app.kernels,
        server.root_dir,
        interval=app.resources_interval,
        history_seconds=app.resources_history_seconds,
        idle_after=app.resources_idle_after,
        nvml_timeout=app.nvml_timeout,
    )
    app.on_stop(sampler.stop)
    return [
        route("resources", ResourcesHandler, sampler=sampler),
        route("resources/socket", ResourcesSocketHandler, sampler=sampler),
    ]
