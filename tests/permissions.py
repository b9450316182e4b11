"""Several users on one test server, each with what an administrator's authorizer grants them.

Every request still authenticates with the server's token; the ``X-Test-User`` header says who
is asking (without it, jupyter_server's anonymous token user):

- ``colab-only``: colab-ext's ``colab.*`` resources, and none of Jupyter's own;
- ``reader``: may read anything and change nothing;
- anyone else: everything.

Both classes are jupyter_server's extension points (``ServerApp.identity_provider_class`` and
``ServerApp.authorizer_class``), as a deployment would configure them.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from jupyter_server.auth import Authorizer, IdentityProvider, User
from tornado.httpclient import HTTPClientError

COLAB_ONLY = {"X-Test-User": "colab-only"}
READER = {"X-Test-User": "reader"}


class HeaderIdentityProvider(IdentityProvider):
    """The token authenticates; ``X-Test-User`` names the user."""

    async def get_user(self, handler: Any) -> User | None:  # type: ignore[override]
        user = await self._get_user(handler)
        name = handler.request.headers.get("X-Test-User")
        return User(username=name) if user is not None and name else user


class ByNameAuthorizer(Authorizer):
    """Grants by user name, as listed in the module's docstring."""

    def is_authorized(self, handler: Any, user: User, action: str, resource: str) -> bool:
        if user.username == "colab-only":
            return resource.startswith("colab")
        if user.username == "reader":
            return action == "read"
        return True


def with_test_users(config: dict[str, Any]) -> dict[str, Any]:
    """``config`` (a ``jp_server_config``) with the users above."""
    config = copy.deepcopy(config)
    server = config.setdefault("ServerApp", {})
    server["identity_provider_class"] = HeaderIdentityProvider
    server["authorizer_class"] = ByNameAuthorizer
    return config


async def refused(jp_fetch: Any, *parts: str, headers: dict[str, str], **kwargs: Any) -> str:
    """Fetch a route that must answer 403; the JSON message."""
    try:
        await jp_fetch(*parts, headers=dict(headers), **kwargs)
    except HTTPClientError as error:
        assert error.code == 403, (parts, error.code, error.response and error.response.body)
        assert error.response is not None
        return str(json.loads(error.response.body)["message"])
    raise AssertionError(f"{'/'.join(parts)} was not refused")
