"""REST handlers of the Secrets panel, and the two routes kernels call for ``userdata.get``.

Permissions: the secrets are the user's own data, kept in colab-ext's private data folder; they
are neither Jupyter's contents nor its kernels, so the panel's routes need no Jupyter permission
and an administrator gates them with the ``colab.secrets`` resource (``read`` to list and show,
``write`` to change). The kernel routes hand a value to code running in a kernel: they also need
``execute`` on ``kernels``, as running that code would.
"""

from __future__ import annotations

import asyncio
import posixpath
from typing import Any

from jupyter_server.auth.decorator import authorized
from tornado import web

from ..core.errors import BadRequest
from ..core.handlers import ColabHandler
from ..core.kernel_proof import require_kernel
from ..core.permissions import EXECUTE_KERNELS, needs
from .grants import SecretGrants
from .store import SecretStore, check_name


def notebook_argument(path: Any, required: bool = True) -> str | None:
    """A notebook path as the sessions spell it (relative to the server root, no leading '/')."""
    if path is None or path == "":
        if required:
            raise BadRequest("path must be the notebook's path, relative to the server root.")
        return None
    if not isinstance(path, str) or "\x00" in path:
        raise BadRequest("path must be the notebook's path, relative to the server root.")
    parts = path.replace("\\", "/").strip("/").split("/")
    if ".." in parts:
        raise BadRequest(f"{path!r} is not a path inside the server root.")
    return posixpath.normpath("/".join(parts))


def flag(body: dict[str, Any], key: str) -> bool | None:
    """An optional true/false field of a request body (None when absent); null or anything
    else is a 400."""
    if key not in body:
        return None
    value = body[key]
    if not isinstance(value, bool):
        raise BadRequest(f"{key} must be true or false.")
    return value


def optional_text(body: dict[str, Any], key: str) -> str | None:
    """An optional text field of a request body (None when absent); null or a non-string is a
    400 (that never quotes the field: it may be a value)."""
    if key not in body:
        return None
    if not isinstance(body[key], str):
        raise BadRequest(f"{key} must be text.")
    return str(body[key])


class _SecretsHandler(ColabHandler):
    auth_resource = "colab.secrets"

    def initialize(self, name: str, store: SecretStore, grants: SecretGrants) -> None:
        super().initialize(name)
        self.store = store
        self.grants = grants

    def set_default_headers(self) -> None:
        super().set_default_headers()
        # A value may be in an answer: never keep one in a cache.
        self.set_header("Cache-Control", "no-store")


class SecretNamesHandler(_SecretsHandler):
    """``GET /colab/secrets/names?path=``: every secret's name and whether the notebook at
    ``path`` may read it (never a value). ``POST``: a new secret ``{name, value, path?}``."""

    jupyter_permissions = needs(get=(), post=())

    @web.authenticated
    @authorized
    async def get(self) -> None:
        notebook = notebook_argument(self.get_query_argument("path", None), required=False)
        secrets = await asyncio.to_thread(self.store.list, notebook)
        self.write_json({"secrets": secrets, "path": notebook})

    @web.authenticated
    @authorized
    async def post(self) -> None:
        body = self.json_body()
        notebook = notebook_argument(optional_text(body, "path"), required=False)
        if flag(body, "access") is not True:
            notebook = None
        name = check_name(body.get("name"))
        await asyncio.to_thread(self.store.add, name, body.get("value"), notebook)
        self.write_json({"name": name, "access": notebook is not None}, status=201)


class SecretHandler(_SecretsHandler):
    """``PATCH /colab/secrets/names/{name}``: rename and/or change the value ``{name?, value?}``;
    ``DELETE``: forget the secret."""

    jupyter_permissions = needs(patch=(), delete=())

    @web.authenticated
    @authorized
    async def patch(self, name: str) -> None:
        body = self.json_body()
        new_name, value = optional_text(body, "name"), optional_text(body, "value")
        if new_name is None and value is None:
            raise BadRequest("Send a new name, a new value, or both.")
        await asyncio.to_thread(self.store.update, name, new_name, value)
        self.write_json({"name": new_name if new_name is not None else name})

    @web.authenticated
    @authorized
    async def delete(self, name: str) -> None:
        await asyncio.to_thread(self.store.delete, name)
        self.set_status(204)
        self.finish()


class SecretValueHandler(_SecretsHandler):
    """``GET /colab/secrets/names/{name}/value``: the value, for the panel's explicit "show"."""

    jupyter_permissions = needs(get=())

    @web.authenticated
    @authorized
    async def get(self, name: str) -> None:
        self.write_json({"name": name, "value": await asyncio.to_thread(self.store.value, name)})


class SecretAccessHandler(_SecretsHandler):
    """``PUT /colab/secrets/names/{name}/access``: ``{path, granted}`` lets that notebook read
    the secret with ``userdata.get`` (or stops it)."""

    jupyter_permissions = needs(put=())

    @web.authenticated
    @authorized
    async def put(self, name: str) -> None:
        body = self.json_body()
        notebook = notebook_argument(body.get("path"))
        assert notebook is not None
        granted = body.get("granted")
        if not isinstance(granted, bool):
            raise BadRequest("granted must be true or false.")
        await asyncio.to_thread(self.store.set_access, name, notebook, granted)
        self.write_json({"name": name, "path": notebook, "access": granted})


class AccessRequestsHandler(_SecretsHandler):
    """``GET /colab/secrets/requests?path=``: the "grant access?" prompts waiting for an answer."""

    jupyter_permissions = needs(get=())

    @web.authenticated
    @authorized
    async def get(self) -> None:
        notebook = notebook_argument(self.get_query_argument("path", None), required=False)
        self.write_json({"requests": self.grants.pending(notebook)})


class AccessRequestHandler(_SecretsHandler):
    """``POST /colab/secrets/requests/{request_id}``: the user's answer ``{grant}``."""

    jupyter_permissions = needs(post=())

    @web.authenticated
    @authorized
    async def post(self, request_id: str) -> None:
        body = self.json_body()
        if not isinstance(body.get("grant"), bool):
            raise BadRequest("grant must be true or false.")
        self.write_json(await self.grants.answer(request_id, body["grant"]))


class KernelLookupHandler(_SecretsHandler):
    """``POST /colab/secrets/kernel/lookup``: ``{kernel_id, name}`` from ``userdata.get``."""

    jupyter_permissions = needs(post=(EXECUTE_KERNELS,))

    @web.authenticated
    @authorized
    async def post(self) -> None:
        body = self.json_body()
        kernel_id = require_kernel(self.kernel_manager, body, "google.colab.userdata.get")
        self.write_json(await self.grants.lookup(kernel_id, body.get("name")))


class KernelWaitHandler(_SecretsHandler):
    """``POST /colab/secrets/kernel/wait``: ``{kernel_id, request_id}`` waits for the user's
    answer to the prompt; ``{..., cancel: true}`` takes the prompt back."""

    jupyter_permissions = needs(post=(EXECUTE_KERNELS,))

    @web.authenticated
    @authorized
    async def post(self) -> None:
        body = self.json_body()
        kernel_id = require_kernel(self.kernel_manager, body, "google.colab.userdata.get")
        request_id = body.get("request_id")
        if not isinstance(request_id, str):
            raise BadRequest("request_id must be that of the lookup.")
        if flag(body, "cancel") is True:
            self.grants.cancel(request_id, kernel_id)
            self.write_json({"state": "cancelled"})
            return
        self.write_json(await self.grants.wait(request_id, kernel_id))
