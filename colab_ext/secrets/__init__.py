"""Secrets: the Secrets panel's named values, and ``google.colab.userdata.get`` in kernels."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core.private_files import private_folder
from ..core.routing import Route, route
from .grants import SecretGrants
from .handlers import (
    AccessRequestHandler,
    AccessRequestsHandler,
    KernelLookupHandler,
    KernelWaitHandler,
    SecretAccessHandler,
    SecretHandler,
    SecretNamesHandler,
    SecretValueHandler,
)
from .settings import SecretsSettings
from .store import SecretStore

if TYPE_CHECKING:
    from ..app import ColabExt

__all__ = ["SecretGrants", "SecretStore", "SecretsSettings", "setup"]

#: jupyter_server's events for renames and deletions made through its contents API.
CONTENTS_EVENTS = "https://events.jupyter.org/jupyter_server/contents_service/v1"


def setup(app: ColabExt) -> list[Route]:
    """Open the secrets file, follow notebook renames, give the routes."""
    server = app.serverapp
    assert server is not None
    if app.secrets_path:
        path = Path(app.secrets_path)
        private_folder(path.parent)
    else:
        path = private_folder(Path(server.data_dir) / "colab_ext") / "secrets.json"
    store = SecretStore(path)
    grants = SecretGrants(store, app.kernels, app.secrets_prompt_timeout)

    # A notebook renamed in JupyterLab keeps the access it was granted.
    async def on_contents_event(logger: Any, schema_id: str, data: dict[str, Any]) -> None:
        if data.get("action") == "rename" and data.get("source_path") and data.get("path"):
            old, new = str(data["source_path"]).strip("/"), str(data["path"]).strip("/")
            await asyncio.to_thread(store.follow_rename, old, new)

    events = server.event_logger
    assert events is not None, "jupyter_server 2 always has an event logger"
    events.add_listener(schema_id=CONTENTS_EVENTS, listener=on_contents_event)

    async def stop() -> None:
        events.remove_listener(schema_id=CONTENTS_EVENTS, listener=on_contents_event)
        grants.close()

    app.on_stop(stop)
    api = {"store": store, "grants": grants}
    return [
        route("secrets/names", SecretNamesHandler, **api),
        route("secrets/names/{name}", SecretHandler, **api),
        route("secrets/names/{name}/value", SecretValueHandler, **api),
        route("secrets/names/{name}/access", SecretAccessHandler, **api),
        route("secrets/requests", AccessRequestsHandler, **api),
        route("secrets/requests/{request_id}", AccessRequestHandler, **api),
        route("secrets/kernel/lookup", KernelLookupHandler, **api),
        route("secrets/kernel/wait", KernelWaitHandler, **api),
    ]
