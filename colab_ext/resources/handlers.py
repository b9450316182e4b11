"""REST handlers of the resource monitor."""

from __future__ import annotations

from jupyter_server.auth.decorator import authorized
from tornado import web

from ..core.handlers import ColabHandler
from .sampler import ResourceSampler


class ResourcesHandler(ColabHandler):
    """``GET /colab/resources``: RAM, CPU, disk, GPUs and who holds GPU memory, right now.

    ``?history=1`` adds the recent samples for charts. Asking (re)starts the shared sampler,
    which stops by itself when nobody has asked for a while.
    """

    auth_resource = "colab.resources"

    def initialize(self, name: str, sampler: ResourceSampler) -> None:
        super().initialize(name)
        self.sampler = sampler

    @web.authenticated
    @authorized
    async def get(self) -> None:
        history = self.get_argument("history", "0").lower() in ("1", "true", "yes")
        payload = await self.sampler.snapshot_json(history=history)
        self.set_header("Content-Type", "application/json")
        self.set_header("Cache-Control", "no-store")
        self.finish(payload)
