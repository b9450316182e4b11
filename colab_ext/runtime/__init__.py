"""Runtime: the facts about this server and its kernels, and (later) the runtime type of each."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..core.routing import Route, route
from .facts import RuntimeFacts
from .handlers import AboutRuntimeHandler
from .kernels import KernelDirectory, KernelFacts

if TYPE_CHECKING:
    from ..app import ColabExt

__all__ = ["KernelDirectory", "KernelFacts", "RuntimeFacts", "setup"]


def setup(app: ColabExt) -> list[Route]:
    """Build the runtime feature's services and return its REST routes."""
    server = app.serverapp
    assert server is not None
    facts = RuntimeFacts(app.kernels, server.kernel_spec_manager, app.nvml_timeout)
    return [route("runtime/about", AboutRuntimeHandler, facts=facts)]
