"""Jupyter's own permissions that a colab-ext route needs on top of its ``colab.*`` resource.

A route that restarts a kernel, writes a file or publishes a notebook does what jupyter_server's
kernels or contents API does. An administrator whose authorizer forbids those to a user forbids
them through colab-ext too: every handler declares, method by method, the Jupyter permissions it
needs (``jupyter_permissions``), and the check runs before the method does. A method that
declares nothing is refused, so a new route cannot slip through by forgetting (a test also lists
every route's declaration).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from jupyter_core.utils import ensure_async
from tornado.web import RequestHandler

from .errors import ColabError

#: ``(action, resource)`` as jupyter_server's ``Authorizer.is_authorized`` takes them.
Permission = tuple[str, str]

#: What each method of a handler needs, built with :func:`needs`.
Permissions = Mapping[str, tuple[Permission, ...]]

READ_CONTENTS: Permission = ("read", "contents")
WRITE_CONTENTS: Permission = ("write", "contents")
READ_KERNELS: Permission = ("read", "kernels")
WRITE_KERNELS: Permission = ("write", "kernels")
EXECUTE_KERNELS: Permission = ("execute", "kernels")
#: A ``!`` line is a shell: whoever may not open a terminal may not run one either.
EXECUTE_TERMINALS: Permission = ("execute", "terminals")

#: Jupyter's resources and actions that a declaration may name (a typo would never match).
JUPYTER_RESOURCES = frozenset({"contents", "kernels", "sessions", "terminals", "kernelspecs"})
ACTIONS = frozenset({"read", "write", "execute"})


def needs(**methods: tuple[Permission, ...]) -> Permissions:
    """A handler's ``jupyter_permissions``: ``needs(get=(READ_KERNELS,), put=(WRITE_KERNELS,))``.

    An empty tuple says, explicitly, that the method touches nothing of Jupyter's. A resource or
    action Jupyter does not know is refused here, at import, rather than never matching.
    """
    for method, permissions in methods.items():
        for action, resource in permissions:
            if action not in ACTIONS or resource not in JUPYTER_RESOURCES:
                raise ValueError(
                    f"{method}: ({action!r}, {resource!r}) is not a Jupyter permission"
                )
    return MappingProxyType(methods)


def implements(handler: type, method: str) -> bool:
    """Whether ``handler`` answers ``method`` itself (not tornado's default 405)."""
    own = getattr(handler, method.lower(), None)
    return own is not None and own is not getattr(RequestHandler, method.lower(), None)


def declared(handler: type, method: str) -> tuple[Permission, ...] | None:
    """The permissions ``handler`` declares for ``method``, or None when it declares none."""
    table: Permissions = getattr(handler, "jupyter_permissions", {})
    return table.get(method.lower())


async def missing_permission(handler: Any, method: str) -> str | None:
    """Why ``handler``'s user may not call ``method``, in words; None when they may.

    ``handler`` is a jupyter_server handler whose user is already known.
    """
    needed = declared(type(handler), method)
    if needed is None:
        return (
            f"colab-ext declares no Jupyter permissions for {method.upper()} on this route, "
            "so it refuses it."
        )
    user = handler.current_user
    for action, resource in needed:
        authorizer = handler.authorizer
        if not await ensure_async(authorizer.is_authorized(handler, user, action, resource)):
            return (
                f"This needs Jupyter's '{action}' permission on '{resource}', "
                "which your account does not have."
            )
    return None


async def refuse_unpermitted(handler: Any) -> None:
    """In ``prepare``: a 403 unless the user may call this request's method on ``handler``.

    Without a user, ``@web.authenticated`` refuses the request itself; a method the handler does
    not implement stays tornado's 405.
    """
    method = (handler.request.method or "").lower()
    if handler.current_user is None or not implements(type(handler), method):
        return
    missing = await missing_permission(handler, method)
    if missing is not None:
        raise ColabError(missing, status=403)
