"""Under JupyterHub the server lives below a base_url; every colab-ext route follows it."""

from __future__ import annotations

from typing import Any

import pytest
from tornado.httpclient import HTTPClientError


@pytest.fixture
def jp_base_url() -> str:
    return "/user/alice@example.com/"


async def test_routes_live_under_the_base_url(jp_fetch: Any, colab_routes: list[Any]) -> None:
    assert colab_routes
    assert all(pattern.startswith("/user/alice@example.com/colab/") for pattern, _ in colab_routes)
    response = await jp_fetch("colab", "runtime", "about")
    assert response.code == 200


async def test_nothing_answers_at_the_root(http_server_client: Any, jp_auth_header: Any) -> None:
    with pytest.raises(HTTPClientError) as caught:
        await http_server_client.fetch("/colab/runtime/about", headers=jp_auth_header)
    assert caught.value.code == 404
