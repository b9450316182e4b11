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
