"""Reading the routes a live server has registered, straight from tornado's routers."""

from __future__ import annotations

import re
from typing import Any

from jupyter_server.utils import url_path_join

HTTP_METHODS = ("get", "head", "post", "put", "patch", "delete")


def _walk(router: Any) -> list[tuple[str, type]]:
    found = []
    for rule in getattr(router, "rules", []):
        if hasattr(rule.target, "rules"):
            found += _walk(rule.target)
        elif isinstance(rule.target, type):
            found.append((rule.matcher.regex.pattern, rule.target))
    return found


def registered_routes(serverapp: Any) -> list[tuple[str, type]]:
    """(pattern, handler) for every colab-ext route, with the server's base_url in the pattern."""
    prefix = url_path_join(serverapp.base_url, "colab/")
    return [
        (pattern.rstrip("$"), handler)
        for pattern, handler in _walk(serverapp.web_app.default_router)
        if pattern.startswith(prefix)
    ]


def methods_of(handler: type) -> list[str]:
    """The HTTP methods a handler class implements itself (not tornado's 405 defaults)."""
    from tornado.web import RequestHandler

    return [m for m in HTTP_METHODS if getattr(handler, m) is not getattr(RequestHandler, m)]


def sample_url(pattern: str) -> str:
    """A concrete URL path for a route pattern: every path parameter filled with a made-up value."""
    return re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: f"sample-{m.group(1)}", pattern)
