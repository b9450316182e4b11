"""Every upstream internal colab-ext relies on is still there, as it was when it was checked.

An upgrade of jupyter_server, jupyter_client or tornado that moves one of them fails here, naming
the internal, what relies on it, the installed version and the one last checked; the runtime
tests would fail too, but far from the cause.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from importlib.metadata import version

import pytest
from jupyter_client.manager import KernelManager
from jupyter_client.provisioning.local_provisioner import LocalProvisioner
from jupyter_server.gateway import connections as gateway_connections
from jupyter_server.gateway import managers as gateway
from jupyter_server.serverapp import ServerApp
from jupyter_server.services.kernels.kernelmanager import (
    AsyncMappingKernelManager,
    MappingKernelManager,
)
from jupyter_server.services.kernels.websocket import KernelWebsocketHandler
from jupyter_server.services.sessions.sessionmanager import SessionManager
from tornado.web import RequestHandler
from traitlets import Dict

from colab_ext.core import upstream_internals as internals
from colab_ext.core.upstream_internals import CHECKED_AGAINST, INTERNALS, Internal


def changed(internal: Internal, how: str) -> str:
    installed = version(internal.package)
    return (
        f"{internal.package} {installed} (colab-ext checked {CHECKED_AGAINST[internal.package]}): "
        f"{internal.name} {how}. colab-ext relies on it: {internal.used_for} Adapt the code and "
        "colab_ext/core/upstream_internals.py."
    )


def parameters(function: Callable[..., object]) -> list[str]:
    return list(inspect.signature(function).parameters)


def source(function: Callable[..., object]) -> str:
    return inspect.getsource(function)


def check_session_start() -> None:
    internal = internals.SESSION_START
    method = getattr(SessionManager, "start_kernel_for_session", None)
    assert method is not None, changed(internal, "no longer exists")
    assert inspect.iscoroutinefunction(method), changed(internal, "is no longer a coroutine")
    missing = {"path", "name", "type"} - set(parameters(method))
    assert not missing, changed(internal, f"no longer takes {sorted(missing)}")


def check_session_kernel_env() -> None:
    internal = internals.SESSION_KERNEL_ENV
    method = getattr(SessionManager, "get_kernel_env", None)
    assert method is not None, changed(internal, "no longer exists")
    assert parameters(method)[:3] == ["self", "path", "name"], changed(
        internal, f"now takes {parameters(method)}, not (path, name)"
    )
    for caller in (SessionManager.start_kernel_for_session, SessionManager.update_session):
        assert "self.get_kernel_env(" in source(caller), changed(
            internal, f"is no longer called by SessionManager.{caller.__name__}"
        )


def check_kernel_start() -> None:
    internal = internals.KERNEL_START
    for manager in (MappingKernelManager, AsyncMappingKernelManager):
        method = getattr(manager, "start_kernel", None)
        assert method is not None, changed(internal, f"no longer exists on {manager.__name__}")
        kinds = {p.kind for p in inspect.signature(method).parameters.values()}
        assert inspect.Parameter.VAR_KEYWORD in kinds, changed(
            internal, f"of {manager.__name__} no longer passes other keywords (env, ...) on"
        )


def check_launch_args() -> None:
    internal = internals.LAUNCH_ARGS
    # Read from the class: a KernelManager made here would want a kernel to clean up after.
    trait = KernelManager.class_traits().get("_launch_args")
    assert trait is not None, changed(internal, "no longer exists")
    assert isinstance(trait, Dict), changed(internal, "is no longer a dict")
    assert "self._launch_args" in source(KernelManager._async_restart_kernel), changed(
        internal, "is no longer what a restart starts the kernel with"
    )


def check_provisioner_process() -> None:
    internal = internals.PROVISIONER_PROCESS
    assert "self.process" in source(LocalProvisioner), changed(internal, "no longer exists")


def check_gateway_names() -> None:
    internal = internals.GATEWAY_NAMES
    remote = getattr(gateway, "GatewayMappingKernelManager", None)
    assert remote is not None, changed(internal, "no longer exists")
    assert remote.__name__.startswith("Gateway"), changed(internal, "was renamed")
    for local in (MappingKernelManager, AsyncMappingKernelManager):
        assert not local.__name__.startswith("Gateway"), changed(
            internal, f"now shares its prefix with {local.__name__}"
        )


def check_gateway_websocket() -> None:
    internal = internals.GATEWAY_WEBSOCKET
    relay = getattr(gateway_connections, "GatewayWebSocketConnection", None)
    assert relay is not None, changed(internal, "no longer exists")
    # The handler calls a connection's prepare() when it has one (the gateway's has none).
    assert 'hasattr(self.connection, "prepare")' in source(KernelWebsocketHandler.pre_get), changed(
        internal, "'s prepare() hook is no longer called by KernelWebsocketHandler"
    )
    for hook in (
        "connect",
        "disconnect",
        "handle_incoming_message",
        "handle_outgoing_message",
    ):
        assert callable(getattr(relay, hook, None)), changed(internal, f"has no {hook}()")
    assert "kernel_ws_protocol" in relay.class_traits(), changed(
        internal, "has no kernel_ws_protocol trait"
    )
    for attribute in ("self.ws ", "self.ws_future", "self.disconnected"):
        assert attribute in source(relay), changed(internal, f"no longer uses {attribute.strip()}")
    default = inspect.getsource(ServerApp)
    assert '"jupyter_server.gateway.connections.GatewayWebSocketConnection"' in default, changed(
        internal, "is no longer the server's kernel websocket class on a gateway"
    )


def check_handler_reason() -> None:
    internal = internals.HANDLER_REASON
    assert "self._reason =" in source(RequestHandler.set_status), changed(
        internal, "is no longer set by RequestHandler.set_status"
    )


CHECKS = {
    internals.SESSION_START: check_session_start,
    internals.SESSION_KERNEL_ENV: check_session_kernel_env,
    internals.KERNEL_START: check_kernel_start,
    internals.LAUNCH_ARGS: check_launch_args,
    internals.PROVISIONER_PROCESS: check_provisioner_process,
    internals.GATEWAY_NAMES: check_gateway_names,
    internals.GATEWAY_WEBSOCKET: check_gateway_websocket,
    internals.HANDLER_REASON: check_handler_reason,
}


def test_every_internal_has_a_check() -> None:
    assert set(CHECKS) == set(INTERNALS)


@pytest.mark.parametrize("internal", INTERNALS, ids=lambda internal: internal.name)
def test_internal_is_as_checked(internal: Internal) -> None:
    CHECKS[internal]()


def test_the_checked_versions_are_named() -> None:
    # A version past the checked one is fine while the checks above pass; this only keeps the
    # record of what was read complete.
    assert {internal.package for internal in INTERNALS} <= set(CHECKED_AGAINST)
