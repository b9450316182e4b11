"""Runtime: the facts about this server and its kernels, and the runtime type of each."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..core.routing import Route, route
from .availability import RuntimeAvailability
from .facts import RuntimeFacts
from .handlers import (
    AboutRuntimeHandler,
    KeepKernelHandler,
    KernelLifetimeHandler,
    KernelRuntimeTypeHandler,
    RuntimeTypesHandler,
)
from .kernel_site import ContentLink, KernelSiteHook, content_folder
from .kernels import KernelDirectory, KernelFacts
from .lifetime import LifetimeLimits, RuntimeLifetime
from .session_start import SessionStartHook
from .switcher import RuntimeSwitcher
from .types import TypeCatalogue, parse_admin_types

if TYPE_CHECKING:
    from ..app import ColabExt

__all__ = [
    "KernelDirectory",
    "KernelFacts",
    "RuntimeAvailability",
    "RuntimeFacts",
    "RuntimeLifetime",
    "RuntimeSwitcher",
    "setup",
]


def setup(app: ColabExt) -> list[Route]:
    """Build the runtime feature's services and return its REST routes."""
    server = app.serverapp
    assert server is not None
    facts = RuntimeFacts(app.kernels, server.kernel_spec_manager, app.nvml_timeout)
    app.check_default_runtime_type()
    availability = RuntimeAvailability(
        app.kernels,
        TypeCatalogue(parse_admin_types(app.runtime_types)),
        kernel_spec_manager=server.kernel_spec_manager,
        exclusive=app.gpu_exclusive,
        nvml_timeout=app.nvml_timeout,
    )
    switcher = RuntimeSwitcher(
        app.kernels, availability, default_type=app.default_runtime_type, log=app.log
    )
    lifetime = RuntimeLifetime(
        app.kernels,
        switcher,
        LifetimeLimits(
            dict(app.runtime_max_lifetime_s),
            app.runtime_lifetime_warning_s,
            app.runtime_lifetime_extendable,
            app.runtime_lifetime_check_s,
            app.hub_idle_timeout_s,
        ),
        server_activity=server.web_app.last_activity,
        log=app.log,
    )
    app.on_start(lambda: lifetime.start(server.event_logger))
    app.on_stop(lifetime.stop)
    SessionStartHook(switcher, server.session_manager, server.contents_manager, app.log).install()
    if not app.kernels.is_remote:
        content = content_folder(server.root_dir, app.content_dir)
        root = content_folder(server.root_dir, "")
        if content != root and root not in content.parents:
            app.log.warning(
                "colab-ext: c.ColabExt.content_dir %s is outside the server root %s: "
                "drive.mount('/content/drive') will be refused there.",
                content,
                root,
            )
        KernelSiteHook(
            server.kernel_manager, server.kernel_spec_manager, content, app.log, root_dir=root
        ).install()
        if app.content_link:
            link = ContentLink(content, log=app.log)
            app.on_start(link.ensure)
            app.on_stop(link.remove)
    return [
        route("runtime/about", AboutRuntimeHandler, facts=facts),
        route("runtime/types", RuntimeTypesHandler, availability=availability),
        route("runtime/kernels/{kernel_id}/type", KernelRuntimeTypeHandler, switcher=switcher),
        route("runtime/kernels/{kernel_id}/lifetime", KernelLifetimeHandler, lifetime=lifetime),
        route("runtime/kernels/{kernel_id}/lifetime/keep", KeepKernelHandler, lifetime=lifetime),
    ]
