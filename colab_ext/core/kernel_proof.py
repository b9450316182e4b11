"""Routes only kernels may call: the caller proves it is a kernel of this server.

A kernel signs its messages with a key only it and the server know (the ``key`` of its connection
file); a browser never sees it, even with the user's token. Routes that hand a kernel something
a page must not get (secret values, Google credentials) take the kernel's id and that key.
"""

from __future__ import annotations

import hmac
from typing import Any

from tornado import web

from .errors import BadRequest, ColabError


def is_kernel(kernel_manager: Any, kernel_id: str, key: str) -> bool:
    """Whether ``key`` is the message key of the server's kernel ``kernel_id``."""
    try:
        kernel = kernel_manager.get_kernel(kernel_id)
    except (KeyError, web.HTTPError):  # no such kernel (the manager's own 404)
        return False
    expected = getattr(getattr(kernel, "session", None), "key", b"") or b""
    if isinstance(expected, str):
        expected = expected.encode()
    return bool(expected) and hmac.compare_digest(expected, key.encode())


def require_kernel(kernel_manager: Any, body: dict[str, Any], what: str) -> str:
    """The ``kernel_id`` of ``body`` once its ``kernel_key`` proves the caller is that kernel;
    a 400 without them, a 403 when the proof fails. ``what``: the Python call this serves."""
    kernel_id, key = body.get("kernel_id"), body.get("kernel_key")
    if not isinstance(kernel_id, str) or not isinstance(key, str):
        raise BadRequest("kernel_id and kernel_key must be those of the kernel that asks.")
    if not is_kernel(kernel_manager, kernel_id, key):
        raise ColabError(f"Only a kernel of this server can call this (for {what}).", status=403)
    return kernel_id
