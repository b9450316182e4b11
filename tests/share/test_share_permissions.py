"""A share link publishes a notebook: creating one needs Jupyter's ``read`` on contents."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.permissions import COLAB_ONLY, refused, with_test_users


@pytest.fixture
def jp_server_config(jp_server_config: dict[str, Any]) -> dict[str, Any]:
    return with_test_users(jp_server_config)


async def test_no_link_without_permission_to_read_the_notebook(
    jp_fetch: Any, notebook: Callable[..., Path]
) -> None:
    notebook("private.ipynb")
    body = json.dumps({"path": "private.ipynb"})
    route = ("colab", "share", "links")
    message = await refused(jp_fetch, *route, method="POST", body=body, headers=COLAB_ONLY)
    assert "'read' permission on 'contents'" in message
    message = await refused(jp_fetch, *route, headers=COLAB_ONLY)  # the list names notebooks
    assert "'read' permission on 'contents'" in message
    listing = json.loads((await jp_fetch(*route)).body)
    assert listing["links"] == []  # nothing was published
    response = await jp_fetch(*route, method="POST", body=body)  # a user who may read: a link
    assert response.code == 201
