"""Errors leave the server as JSON with a message, never as a traceback."""

from __future__ import annotations

import json
from typing import Any

import pytest
from tornado.httpclient import HTTPClientError


async def test_unknown_colab_route_is_json_404(jp_fetch: Any) -> None:
    with pytest.raises(HTTPClientError) as caught:
        await jp_fetch("colab", "runtime", "no-such-thing")
    assert caught.value.code == 404


async def test_wrong_method_is_json_with_a_message(jp_fetch: Any) -> None:
    with pytest.raises(HTTPClientError) as caught:
        await jp_fetch("colab", "runtime", "about", method="DELETE")
    assert caught.value.code == 405
    body = json.loads(caught.value.response.body)
    assert body["message"]
    assert "Traceback" not in caught.value.response.body.decode()


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({}, 400),  # a plain GET
        ({"Upgrade": "websocket"}, 400),  # no "Connection: Upgrade"
        ({"Upgrade": "websocket", "Connection": "Upgrade"}, 426),  # no protocol version
        (
            {
                "Upgrade": "websocket",
                "Connection": "Upgrade",
                "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
                "Sec-WebSocket-Version": "8",
            },
            426,
        ),
    ],
)
@pytest.mark.parametrize(
    "route", [("resources", "socket"), ("shell", "kernels", "no-such-kernel", "socket")]
)
async def test_a_refused_websocket_handshake_is_json(
    jp_fetch: Any, route: tuple[str, ...], headers: dict[str, str], status: int
) -> None:
    # Tornado refuses these itself with a plain-text line, and Jupyter renders its HTML error page
    # for the rest: both leave colab-ext's sockets as {"message", "reason"} JSON, as every route.
    if route[0] == "shell":
        status = 404  # the kernel is checked before the handshake
    with pytest.raises(HTTPClientError) as caught:
        await jp_fetch("colab", *route, headers=dict(headers))  # jp_fetch adds the token to it
    response = caught.value.response
    assert caught.value.code == status
    assert response.headers["Content-Type"].startswith("application/json")
    body = json.loads(response.body)
    assert body["message"] and "<" not in body["message"]


async def test_an_unauthenticated_websocket_handshake_is_refused_as_json(
    http_server_client: Any, jp_base_url: str
) -> None:
    for path in ("colab/resources/socket", "colab/shell/kernels/some-kernel/socket"):
        response = await http_server_client.fetch(
            f"{jp_base_url}{path}",
            headers={"Upgrade": "websocket", "Connection": "Upgrade"},
            raise_error=False,
        )
        assert response.code == 403, path
        assert response.headers["Content-Type"].startswith("application/json"), path
        assert json.loads(response.body)["message"], path
