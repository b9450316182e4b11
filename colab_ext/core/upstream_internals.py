"""Every jupyter_server, jupyter_client and tornado internal colab-ext relies on, in one place.

Their public APIs do not offer what the runtime needs (a kernel's environment changed for its
next restart, a notebook's kernel started on its runtime in one start), so colab-ext reaches
past them; nothing else in colab-ext does, and each reach goes through a function here.
``tests/core/test_upstream_internals.py`` checks every entry of :data:`INTERNALS` against the
installed packages and names the one an upgrade broke, with both versions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

#: The versions every entry below was read against. Raise them after checking an upgrade.
CHECKED_AGAINST = {"jupyter_server": "2.21.1", "jupyter_client": "8.10.0", "tornado": "6.6.1"}


@dataclass(frozen=True)
class Internal:
    """One thing of another package's that colab-ext relies on beyond its documented API."""

    package: str
    name: str
    #: Where colab-ext relies on it, and what breaks if it changes.
    used_for: str


SESSION_START = Internal(
    "jupyter_server",
    "SessionManager.start_kernel_for_session",
    "runtime/session_start.py replaces it on the live session manager (reading its 'path', "
    "'name' and 'type' arguments by name) to start a notebook's kernel on its runtime type.",
)
SESSION_KERNEL_ENV = Internal(
    "jupyter_server",
    "SessionManager.get_kernel_env",
    "runtime/session_start.py replaces it on the live session manager, as (path, name); "
    "start_kernel_for_session and update_session must call it, or a kernel starts without its "
    "runtime's variables and a rename takes a notebook off its GPU.",
)
KERNEL_START = Internal(
    "jupyter_server",
    "MappingKernelManager.start_kernel",
    "runtime/kernel_site.py replaces it on the live kernel manager to add google.colab to every "
    "kernel's path; the 'env', 'kernel_name' and 'extra_arguments' keywords must reach the "
    "kernel's launch.",
)
LAUNCH_ARGS = Internal(
    "jupyter_client",
    "KernelManager._launch_args",
    "runtime/kernels.py reads and replaces its 'env' so a kernel's next restart runs as another "
    "runtime type (update_env can only add variables, never remove one).",
)
PROVISIONER_PROCESS = Internal(
    "jupyter_client",
    "LocalProvisioner.process",
    "runtime/kernels.py reads its pid to find a local kernel's process (resources, /proc).",
)
GATEWAY_NAMES = Internal(
    "jupyter_server",
    "gateway.managers.GatewayMappingKernelManager",
    "runtime/kernels.py tells gateway kernels by their manager's class name starting 'Gateway'.",
)
GATEWAY_WEBSOCKET = Internal(
    "jupyter_server",
    "gateway.connections.GatewayWebSocketConnection",
    "runtime/gateway_websocket.py subclasses it: its connect/disconnect hooks (and the prepare "
    "hook KernelWebsocketHandler calls when a connection has one), "
    "handle_incoming_message/handle_outgoing_message, the ws, ws_future and disconnected "
    "attributes, the kernel_ws_protocol trait, and its place as the server's "
    "kernel_websocket_connection_class on a gateway; a change may bring back the 42 s stall.",
)
HANDLER_REASON = Internal(
    "tornado",
    "RequestHandler._reason",
    "core/handlers.py sends the reason phrase of an error's status in its JSON ('reason').",
)

#: Everything above, for the test that checks them.
INTERNALS = (
    SESSION_START,
    SESSION_KERNEL_ENV,
    KERNEL_START,
    LAUNCH_ARGS,
    PROVISIONER_PROCESS,
    GATEWAY_NAMES,
    GATEWAY_WEBSOCKET,
    HANDLER_REASON,
)


def live_method(instance: Any, internal: Internal) -> Callable[..., Any]:
    """The method ``internal`` names, as bound on ``instance`` now (to wrap it)."""
    method: Callable[..., Any] = getattr(instance, _member(internal))
    return method


def replace_live_method(instance: Any, internal: Internal, method: Callable[..., Any]) -> None:
    """Put ``method`` in place of the one ``internal`` names, on this instance only."""
    setattr(instance, _member(internal), method)


def _member(internal: Internal) -> str:
    return internal.name.rsplit(".", 1)[-1]


def launch_args(kernel_manager: Any) -> dict[str, Any] | None:
    """A local kernel's launch arguments (what its next restart reuses), when it has them."""
    value = getattr(kernel_manager, "_launch_args", None)
    return value if isinstance(value, dict) else None


def kernel_pid(kernel_manager: Any) -> int | None:
    """The process id of a local kernel; None while it starts, or when it has no local process."""
    provisioner = getattr(kernel_manager, "provisioner", None)
    process = getattr(provisioner, "process", None)
    pid = getattr(process, "pid", None)
    return int(pid) if pid else None


def is_gateway(kernel_manager: Any) -> bool:
    """Whether kernels run on a gateway (jupyter_server's ``Gateway*`` managers)."""
    return type(kernel_manager).__name__.startswith("Gateway")


def reason_phrase(handler: Any) -> str:
    """The reason phrase tornado keeps for the status the handler set ("Conflict", ...)."""
    return str(handler._reason)
