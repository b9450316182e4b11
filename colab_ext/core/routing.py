"""Routes are written as OpenAPI path templates and turned into tornado patterns in one place.

Keeping one form for both means the OpenAPI file and the server can be compared mechanically.
"""

from __future__ import annotations

import re
from typing import Any

from jupyter_server.utils import url_path_join

#: Every route of the extension lives under ``<base_url>/colab/``.
API_PREFIX = "colab"

_PARAMETER = re.compile(r"\{([a-zA-Z_][a-zA-Z0-9_]*)\}")

Route = tuple[str, Any, dict[str, Any]]


def api_path(template: str) -> str:
    """The OpenAPI path of a route template, e.g. ``/runtime/about``."""
    return "/" + template.strip("/")


def tornado_pattern(template: str) -> str:
    """A tornado URL pattern (without base_url) for an OpenAPI path template.

    ``runtime/kernels/{kernel_id}`` becomes ``/colab/runtime/kernels/(?P<kernel_id>[^/]+)``.
    A parameter named ``*_path`` spans several segments (``(?P<ref_path>.+)``): a file's path
    in a repository, say, whose slashes stay slashes in the URL.
    """

    def parameter(match: re.Match[str]) -> str:
        name = match.group(1)
        return f"(?P<{name}>.+)" if name.endswith("_path") else f"(?P<{name}>[^/]+)"

    body = _PARAMETER.sub(parameter, template.strip("/"))
    return url_path_join("/", API_PREFIX, body)


def route(template: str, handler: Any, **kwargs: Any) -> Route:
    """One route of a feature: its template, handler class and the services it is given."""
    return (tornado_pattern(template), handler, kwargs)
