"""The server extension: builds the shared services, asks each feature for its routes, and
nothing else. A feature is a module with ``setup(app) -> list[Route]``; its admin settings are a
``Configurable`` mixin that :class:`ColabExt` inherits, so all of them read ``c.ColabExt.<name>``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from jupyter_server.extension.application import ExtensionApp
from traitlets import Float

from . import __version__, drive, github, resources, runtime, secrets, share, shell
from .core.routing import Route
from .drive.settings import DriveSettings
from .github.settings import GitHubSettings
from .resources.settings import ResourcesSettings
from .runtime.gateway_websocket import use_for_gateway_kernels
from .runtime.kernels import KernelDirectory
from .runtime.settings import RuntimeSettings
from .secrets.settings import SecretsSettings
from .share.settings import ShareSettings
from .shell.settings import ShellSettings

#: Every feature, in the order its routes are registered.
FEATURES = [runtime, resources, shell, github, drive, share, secrets]
#: The most one feature's clean-up may take when the server stops; then the server goes on
#: without it, so a hung step cannot hold its exit up (jupyter-collaboration bounds its own).
STOP_STEP_S = 10.0


class ColabExt(
    RuntimeSettings,
    ResourcesSettings,
    ShellSettings,
    GitHubSettings,
    DriveSettings,
    ShareSettings,
    SecretsSettings,
    ExtensionApp,
):
    """colab-ext's server side. Admins configure it as ``c.ColabExt.<trait>``."""

    name = "colab_ext"
    description = "Colab's conveniences for JupyterLab: runtimes, resources, Drive, GitHub, shell."
    version = __version__
    load_other_extensions = True

    nvml_timeout = Float(
        3.0,
        config=True,
        help="Seconds to wait for the NVIDIA driver (NVML) before reporting that it did not "
        "answer. NVML runs off the event loop, so a hung driver never stalls JupyterLab.",
    )

    def initialize_settings(self) -> None:
        """Build the shared services, then each feature's own."""
        server = self.serverapp
        assert server is not None, "initialize_settings runs after the server is linked"
        #: The one service that knows each kernel's notebook, processes and environment.
        self.kernels = KernelDirectory(server.kernel_manager, server.session_manager)
        self._on_start: list[Callable[[], None]] = []
        self._on_stop: list[Callable[[], Awaitable[None]]] = []
        self._routes: list[Route] = []
        for feature in FEATURES:
            self._routes += feature.setup(self)
        # The frontend reads this to know the server half is loaded and of its own version,
        # with no request; without it the page explains what is wrong once (src/serverPart/).
        page_config = server.web_app.settings.setdefault("page_config_data", {})
        page_config["colabExtServerVersion"] = __version__
        # Kernels on a gateway: jupyter_server's own relay stalls with Enterprise Gateway 3.3
        # (docs/gateway.md); a server without a gateway is left as it is.
        use_for_gateway_kernels(self.settings, self.log)  # merged into the server's afterwards

    def initialize_handlers(self) -> None:
        """Register every feature's routes, each under ``<base_url>/colab/``."""
        self.handlers.extend(self._routes)

    def on_start(self, callback: Callable[[], None]) -> None:
        """Have ``callback`` run once the server is listening (not for a server that never
        comes up, say because its port is taken)."""
        self._on_start.append(callback)

    async def _start_jupyter_server_extension(self, serverapp: Any) -> None:
        """jupyter_server calls this once its event loop runs and its port is bound."""
        for callback in self._on_start:
            callback()

    def on_stop(self, callback: Callable[[], Awaitable[None]]) -> None:
        """Have ``callback`` run when the server stops (unmount, kill commands, stop samplers),
        for :data:`STOP_STEP_S` at most."""
        self._on_stop.append(callback)

    async def stop_extension(self) -> None:
        """Run the features' clean-ups, last registered first, each for at most
        :data:`STOP_STEP_S`."""
        for callback in reversed(self._on_stop):
            try:
                await asyncio.wait_for(callback(), STOP_STEP_S)
            except asyncio.TimeoutError:
                self.log.warning(
                    "colab-ext: the clean-up step %s did not finish within %g s on shutdown; "
                    "the server stops without waiting for it",
                    getattr(callback, "__qualname__", callback),
                    STOP_STEP_S,
                )
            except Exception:
                self.log.exception("colab-ext: a clean-up step failed on shutdown")
