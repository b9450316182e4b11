"""Every colab-ext route refuses a request that carries no credentials."""

from __future__ import annotations

from typing import Any

import pytest

from tests.routes import methods_of, sample_url

#: Routes that may answer without the server's authentication. Only share-link pages may be here,
#: by name, and they check their own scoped tokens instead.
ALLOWED_UNAUTHENTICATED: set[str] = {"SharedPageHandler", "SharedNotebookDownloadHandler"}

#: Pages a browser navigates to (open-in links): without credentials, GET is sent to the login
#: page (and back after it) instead of a 403; every other method is still a 403.
LOGIN_REDIRECT_PAGES: set[str] = {"OpenLinkHandler", "OpenGitHubLinkHandler", "OpenGistLinkHandler"}

# A matching xsrf cookie and header, so that a POST is refused for lacking authentication and not
# merely for lacking an xsrf token (which would hide a handler that forgot @web.authenticated).
XSRF = "deadbeef"


@pytest.fixture(params=[False, True], ids=["server-refuses-unauthenticated", "server-default"])
def jp_server_config(request: pytest.FixtureRequest) -> dict[str, Any]:
    # With allow_unauthenticated_access off, jupyter_server itself refuses anonymous requests.
    # Its default is on, and then only our own decorators stand guard: check both.
    return {
        "ServerApp": {
            "jpserver_extensions": {"colab_ext": True},
            "allow_unauthenticated_access": request.param,
        }
    }


async def test_there_are_routes_to_check(colab_routes: list[tuple[str, type]]) -> None:
    assert any(pattern.endswith("/colab/runtime/about") for pattern, _ in colab_routes)


async def test_every_route_refuses_unauthenticated_requests(
    colab_routes: list[tuple[str, type]], http_server_client: Any
) -> None:
    answered = []
    for pattern, handler in colab_routes:
        if handler.__name__ in ALLOWED_UNAUTHENTICATED:
            continue
        for method in methods_of(handler):
            response = await http_server_client.fetch(
                sample_url(pattern),
                method=method.upper(),
                body=b"{}" if method in ("post", "put", "patch") else None,
                headers={"Cookie": f"_xsrf={XSRF}", "X-XSRFToken": XSRF},
                raise_error=False,
                follow_redirects=False,
            )
            if handler.__name__ in LOGIN_REDIRECT_PAGES and method == "get":
                if response.code != 302 or "/login?next=" not in response.headers["Location"]:
                    answered.append(f"GET {pattern} -> {response.code}, not to the login page")
            elif response.code != 403:
                answered.append(f"{method.upper()} {pattern} -> {response.code}")
    assert answered == [], "routes that answered without authentication:\n" + "\n".join(answered)


async def test_a_valid_token_is_accepted(jp_fetch: Any) -> None:
    response = await jp_fetch("colab", "runtime", "about")
    assert response.code == 200


async def test_share_pages_answer_404_without_a_valid_link_token(
    colab_routes: list[tuple[str, type]], http_server_client: Any, jp_auth_header: Any
) -> None:
    # The routes that skip authentication open nothing without their own token, whatever else
    # the request carries (even the server's own token).
    pages = [(p, h) for p, h in colab_routes if h.__name__ in ALLOWED_UNAUTHENTICATED]
    assert {h.__name__ for _, h in pages} == ALLOWED_UNAUTHENTICATED
    for pattern, handler in pages:
        for method in methods_of(handler):
            assert method in ("get", "head"), f"{handler.__name__} must be read-only"
            for headers in ({}, jp_auth_header):
                response = await http_server_client.fetch(
                    sample_url(pattern), method=method.upper(), headers=headers, raise_error=False
                )
                assert response.code == 404, f"{pattern} -> {response.code}"


async def test_every_websocket_refuses_unauthenticated_upgrades(
    colab_routes: list[tuple[str, type]], jp_http_port: int, http_server_client: Any
) -> None:
    # A real WebSocket handshake (not only a plain GET), without credentials, on every socket route.
    from tornado.httpclient import HTTPClientError, HTTPRequest
    from tornado.websocket import WebSocketHandler, websocket_connect

    sockets = [
        pattern for pattern, handler in colab_routes if issubclass(handler, WebSocketHandler)
    ]
    assert any(pattern.endswith("/socket") for pattern in sockets)
    expected = {"ShellSocketHandler", "ResourcesSocketHandler"}
    found = {h.__name__ for _, h in colab_routes if issubclass(h, WebSocketHandler)}
    assert expected <= found, f"socket routes missing from the check: {expected - found}"
    accepted = []
    for pattern in sockets:
        url = f"ws://localhost:{jp_http_port}{sample_url(pattern)}"
        try:
            connection = await websocket_connect(HTTPRequest(url))
        except HTTPClientError as refused:
            if refused.code != 403:
                accepted.append(f"{pattern} -> {refused.code}")
        else:
            connection.close()
            accepted.append(f"{pattern} -> upgraded")
    assert accepted == [], "sockets that did not refuse:\n" + "\n".join(accepted)
