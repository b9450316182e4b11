"""REST handlers of the runtime feature."""

from __future__ import annotations

from jupyter_server.auth.decorator import authorized
from tornado import web

from ..core.handlers import ColabHandler
from .facts import RuntimeFacts


class AboutRuntimeHandler(ColabHandler):
    """``GET /colab/runtime/about``: what this runtime is (versions, machine, GPUs, kernels)."""

    auth_resource = "colab.runtime"

    def initialize(self, name: str, facts: RuntimeFacts) -> None:
        super().initialize(name)
        self.facts = facts

    @web.authenticated
    @authorized
    async def get(self) -> None:
        self.write_json(await self.facts.about())
