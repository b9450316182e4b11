"""The server extension: gathers each feature's services and routes, and nothing else."""

from __future__ import annotations

from typing import Any

from jupyter_server.extension.application import ExtensionApp
from traitlets import Float

from . import runtime
from ._version import __version__


class ColabExt(ExtensionApp):
    """colab-ext's server side. Admins configure it as ``c.ColabExt.<trait>``."""

    name = "colab_ext"
    description = "Colab's conveniences for JupyterLab: runtimes, resources, Drive, GitHub, shell."
    version = __version__
    # The frontend is a prebuilt labextension; this app serves no pages of its own.
    load_other_extensions = True

    nvml_timeout = Float(
        3.0,
        config=True,
        help="Seconds to wait for the NVIDIA driver (NVML) before reporting that it did not "
        "answer. NVML runs off the event loop, so a hung driver never stalls JupyterLab.",
    )

    def initialize_settings(self) -> None:
        """Build the services that the features' handlers share."""
        server = self.serverapp
        assert server is not None, "initialize_settings runs after the server is linked"
        self.runtime_facts = runtime.RuntimeFacts(
            kernel_manager=server.kernel_manager,
            session_manager=server.session_manager,
            kernel_spec_manager=server.kernel_spec_manager,
            nvml_timeout=self.nvml_timeout,
        )

    def initialize_handlers(self) -> None:
        """Register every feature's routes, each under ``<base_url>/colab/``."""
        handlers: list[tuple[str, Any, dict[str, Any]]] = []
        handlers += runtime.routes(self.runtime_facts)
        self.handlers.extend(handlers)
