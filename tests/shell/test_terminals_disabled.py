"""With terminals disabled by the admin, the feature is off and says so."""

from __future__ import annotations

import json
from typing import Any

import pytest
from tornado.httpclient import HTTPClientError

from tests.sessions import notebook_session


@pytest.fixture
def jp_server_config(jp_server_config: dict[str, Any]) -> dict[str, Any]:
    return {
        **jp_server_config,
        "ServerApp": {**jp_server_config["ServerApp"], "terminals_enabled": False},
    }


async def test_status_explains_why_the_feature_is_off(jp_fetch: Any) -> None:
    status = json.loads((await jp_fetch("colab", "shell", "status")).body)
    assert status["enabled"] is False
    assert "terminals_enabled" in status["reason"]


async def test_the_socket_refuses_to_run_anything(jp_fetch: Any, jp_ws_fetch: Any) -> None:
    async with notebook_session(jp_fetch, "nb.ipynb") as session:
        with pytest.raises(HTTPClientError) as refused:
            await jp_ws_fetch("colab", "shell", "kernels", session["kernel"]["id"], "socket")
    assert refused.value.code == 403
