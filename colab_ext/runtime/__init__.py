"""Runtime: the facts about this server and its kernels, and (later) the runtime type of each."""

from __future__ import annotations

from ..core.routing import Route, route
from .facts import RuntimeFacts
from .handlers import AboutRuntimeHandler

__all__ = ["RuntimeFacts", "routes"]


def routes(facts: RuntimeFacts) -> list[Route]:
    """The runtime feature's REST routes."""
    return [route("runtime/about", AboutRuntimeHandler, facts=facts)]
