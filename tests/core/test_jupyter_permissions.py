"""Every colab-ext route also needs Jupyter's own permission for what it does.

An administrator's authorizer that grants ``colab.*`` but forbids, say, contents or kernels must
forbid restarting kernels, writing files and publishing notebooks through colab-ext too.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

import pytest
from tornado import web
from tornado.websocket import WebSocketHandler

from colab_ext.core.handlers import ColabHandler
from colab_ext.core.permissions import declared, needs
from tests.permissions import COLAB_ONLY, refused, with_test_users
from tests.routes import methods_of, sample_url

#: What the routes that act on Jupyter's resources must need, at least: (method, route) ->
#: (action, resource) pairs. The full table is each handler's ``jupyter_permissions``.
AT_LEAST = {
    ("PUT", "runtime/kernels/{kernel_id}/type"): {("write", "kernels"), ("execute", "kernels")},
    ("GET", "runtime/kernels/{kernel_id}/type"): {("read", "kernels")},
    ("POST", "share/links"): {("read", "contents")},
    ("POST", "github/save"): {("read", "contents")},
    ("POST", "github/gist"): {("read", "contents")},
    ("POST", "github/open"): {("write", "contents")},
    ("POST", "open"): {("write", "contents")},
    ("POST", "drive/open"): {("write", "contents")},
    ("POST", "drive/save"): {("read", "contents")},
    ("POST", "drive/mount"): {("write", "contents")},
    ("POST", "drive/unmount"): {("write", "contents")},
    ("GET", "shell/kernels/{kernel_id}/socket"): {("execute", "terminals")},
}


@pytest.fixture
def jp_server_config(jp_server_config: dict[str, Any]) -> dict[str, Any]:
    return with_test_users(jp_server_config)


def _route(pattern: str) -> str:
    """A registered pattern as its route template: ``runtime/kernels/{kernel_id}/type``."""
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", pattern)
    return path.split("/colab/", 1)[1]


async def test_every_route_declares_its_jupyter_permissions(
    colab_routes: list[tuple[str, type]],
) -> None:
    undeclared = [
        f"{method.upper()} {_route(pattern)} ({handler.__name__})"
        for pattern, handler in colab_routes
        for method in methods_of(handler)
        if declared(handler, method) is None
    ]
    assert undeclared == [], "routes without jupyter_permissions:\n" + "\n".join(undeclared)
    stray = [
        f"{handler.__name__}.{method}"
        for _, handler in colab_routes
        for method in getattr(handler, "jupyter_permissions", {})
        if method not in methods_of(handler)
    ]
    assert stray == [], "permissions declared for methods the handler lacks"


async def test_routes_that_act_on_jupyters_resources_need_its_permissions(
    colab_routes: list[tuple[str, type]],
) -> None:
    found = {}
    for pattern, handler in colab_routes:
        for method in methods_of(handler):
            found[(method.upper(), _route(pattern))] = set(declared(handler, method) or ())
    for key, needed in AT_LEAST.items():
        assert key in found, f"{key} is not a route any more: update AT_LEAST"
        assert needed <= found[key], f"{key} needs {needed}, declares {found[key]}"


async def test_a_user_without_jupyters_permissions_is_refused_on_every_such_route(
    colab_routes: list[tuple[str, type]], http_server_client: Any, jp_auth_header: Any
) -> None:
    checked, wrong = 0, []
    for pattern, handler in colab_routes:
        for method in methods_of(handler):
            needed = declared(handler, method)
            if not needed:
                continue
            response = await http_server_client.fetch(
                sample_url(pattern),
                method=method.upper(),
                body=b"{}" if method in ("post", "put", "patch") else None,
                headers={**jp_auth_header, **COLAB_ONLY},
                raise_error=False,
            )
            checked += 1
            action, resource = needed[0]
            if response.code != 403:
                wrong.append(f"{method.upper()} {pattern} -> {response.code}")
            elif response.headers.get("Content-Type", "").startswith("text/html"):
                # A page a browser navigates to (open-in links) says it on the page.
                message = html.unescape(response.body.decode())
                if f"'{action}' permission on '{resource}'" not in message:
                    wrong.append(f"{method.upper()} {pattern}: {message}")
            elif not issubclass(handler, WebSocketHandler):
                message = json.loads(response.body)["message"]
                if f"'{action}' permission on '{resource}'" not in message:
                    wrong.append(f"{method.upper()} {pattern}: {message}")
    assert checked >= len(AT_LEAST)
    assert wrong == [], "\n".join(wrong)


async def test_the_same_routes_answer_a_user_with_every_permission(jp_fetch: Any) -> None:
    response = await jp_fetch("colab", "share", "links")
    assert response.code == 200
    response = await jp_fetch("colab", "runtime", "about", headers={"X-Test-User": "admin"})
    assert response.code == 200


class _Undeclared(ColabHandler):
    """A route whose author forgot ``jupyter_permissions`` (and one that declared them)."""

    @web.authenticated
    async def get(self) -> None:
        self.write_json({"answered": True})


class _Declared(_Undeclared):
    jupyter_permissions = needs(get=())


async def test_a_method_without_a_declaration_is_refused(jp_serverapp: Any, jp_fetch: Any) -> None:
    jp_serverapp.web_app.add_handlers(
        ".*$",
        [
            (jp_serverapp.base_url + "colab/test/undeclared", _Undeclared, {"name": "colab_ext"}),
            (jp_serverapp.base_url + "colab/test/declared", _Declared, {"name": "colab_ext"}),
        ],
    )
    message = await refused(jp_fetch, "colab", "test", "undeclared", headers={})
    assert "declares no Jupyter permissions for GET" in message
    response = await jp_fetch("colab", "test", "declared")
    assert json.loads(response.body) == {"answered": True}


def test_a_permission_jupyter_does_not_know_is_refused_at_import() -> None:
    with pytest.raises(ValueError, match="not a Jupyter permission"):
        needs(get=(("write", "content"),))
