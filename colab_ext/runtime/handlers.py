"""REST handlers of the runtime feature."""

from __future__ import annotations

from jupyter_server.auth.decorator import authorized
from tornado import web

from ..core.handlers import ColabHandler
from ..core.permissions import EXECUTE_KERNELS, READ_KERNELS, WRITE_KERNELS, needs
from .availability import RuntimeAvailability
from .facts import RuntimeFacts
from .lifetime import RuntimeLifetime
from .switcher import RuntimeSwitcher, parse_switch_request


class AboutRuntimeHandler(ColabHandler):
    """``GET /colab/runtime/about``: what this runtime is (versions, machine, GPUs, kernels)."""

    auth_resource = "colab.runtime"
    jupyter_permissions = needs(get=(READ_KERNELS,))  # it lists the running kernels

    def initialize(self, name: str, facts: RuntimeFacts) -> None:
        super().initialize(name)
        self.facts = facts

    @web.authenticated
    @authorized
    async def get(self) -> None:
        self.write_json(await self.facts.about())


class RuntimeTypesHandler(ColabHandler):
    """``GET /colab/runtime/types``: the runtime types, whether each can be given now and why
    not, and the GPUs with their load. ``?kernel_id=`` leaves that kernel out of the load."""

    auth_resource = "colab.runtime"
    jupyter_permissions = needs(get=())  # the catalogue and GPU counts, no kernel of anyone's

    def initialize(self, name: str, availability: RuntimeAvailability) -> None:
        super().initialize(name)
        self.availability = availability

    @web.authenticated
    @authorized
    async def get(self) -> None:
        kernel_id = self.get_query_argument("kernel_id", None)
        self.write_json(await self.availability.view(kernel_id))


class KernelRuntimeTypeHandler(ColabHandler):
    """``GET /colab/runtime/kernels/{kernel_id}/type``: the type a kernel runs as.
    ``PUT`` with ``{"type": id, "gpus": [uuid or index, ...]}`` restarts it as that type
    (``"restart": false``: only prepares it, for the next restart)."""

    auth_resource = "colab.runtime"
    # A switch restarts the kernel (as jupyter's restart: kernels write) with a new environment
    # that the kernel's code then runs in (kernels execute).
    jupyter_permissions = needs(get=(READ_KERNELS,), put=(WRITE_KERNELS, EXECUTE_KERNELS))

    def initialize(self, name: str, switcher: RuntimeSwitcher) -> None:
        super().initialize(name)
        self.switcher = switcher

    @web.authenticated
    @authorized
    async def get(self, kernel_id: str) -> None:
        self.write_json(await self.switcher.current(kernel_id))

    @web.authenticated
    @authorized
    async def put(self, kernel_id: str) -> None:
        request = parse_switch_request(self.json_body(), self.switcher.catalogue)
        self.write_json(await self.switcher.switch(kernel_id, request))


class KernelLifetimeHandler(ColabHandler):
    """``GET /colab/runtime/kernels/{kernel_id}/lifetime``: how long the kernel has been up and
    when the idle culler or its runtime's maximum lifetime would shut it down. For a kernel
    they shut down, a 404 whose ``gone_reason`` and ``gone_message`` say which and why."""

    auth_resource = "colab.runtime"
    jupyter_permissions = needs(get=(READ_KERNELS,))
    # A page polls this: were it activity, a JupyterHub idle culler would never stop the server.
    _track_activity = False

    def initialize(self, name: str, lifetime: RuntimeLifetime) -> None:
        super().initialize(name)
        self.lifetime = lifetime

    @web.authenticated
    @authorized
    async def get(self, kernel_id: str) -> None:
        self.write_json(await self.lifetime.view(kernel_id))


class KeepKernelHandler(ColabHandler):
    """``POST /colab/runtime/kernels/{kernel_id}/lifetime/keep``: keep the kernel running (activity
    for the idle culler; one more period of its maximum lifetime where the admin allows it)."""

    auth_resource = "colab.runtime"
    # It changes when the kernel is shut down, as jupyter's own kernel actions do.
    jupyter_permissions = needs(post=(WRITE_KERNELS,))

    def initialize(self, name: str, lifetime: RuntimeLifetime) -> None:
        super().initialize(name)
        self.lifetime = lifetime

    @web.authenticated
    @authorized
    async def post(self, kernel_id: str) -> None:
        self.write_json(await self.lifetime.keep(kernel_id))
