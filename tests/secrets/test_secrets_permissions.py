"""Who may use the Secrets routes: the panel's need only ``colab.secrets``; the kernel's also
``execute`` on ``kernels`` (they hand a value to code running in a kernel)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.permissions import COLAB_ONLY, refused, with_test_users


@pytest.fixture
def jp_server_config(jp_server_config: dict[str, Any]) -> dict[str, Any]:
    return with_test_users(jp_server_config)


# Always a copy of COLAB_ONLY: jp_fetch adds this server's token to the headers it is given.
async def test_the_kernel_routes_need_execute_on_kernels_and_the_panel_only_colab_secrets(
    jp_fetch: Any,
) -> None:
    body = json.dumps({"kernel_id": "k", "name": "OWN", "request_id": "r"})
    for route in ("lookup", "wait"):
        message = await refused(
            jp_fetch,
            "colab",
            "secrets",
            "kernel",
            route,
            method="POST",
            body=body,
            headers=dict(COLAB_ONLY),
        )
        assert "'execute' permission on 'kernels'" in message, route

    body = json.dumps({"name": "OWN", "value": "v"})
    response = await jp_fetch(
        "colab", "secrets", "names", method="POST", body=body, headers=dict(COLAB_ONLY)
    )
    assert response.code == 201
    listing = await jp_fetch("colab", "secrets", "names", headers=dict(COLAB_ONLY))
    assert [s["name"] for s in json.loads(listing.body)["secrets"]] == ["OWN"]
