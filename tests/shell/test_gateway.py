"""Kernels on a real Jupyter Enterprise Gateway: `!` commands would run on the server, the wrong
machine, so the feature says so and runs nothing.

The gateway (its own virtual environment, made by ``.ci/setup.d/runtime.sh``) is the one the
runtime feature's tests start; this module borrows its fixture.
"""

from __future__ import annotations

import html
import json
import os
from typing import Any

import pytest
from tornado.httpclient import HTTPClientError

from tests.runtime.gateway_process import gateway_server_config
from tests.runtime.test_gateway import JEG, gateway  # noqa: F401 (the gateway fixture)
from tests.sessions import notebook_session

pytestmark = pytest.mark.skipif(
    not JEG.exists() and not os.environ.get("CI"),
    reason="Enterprise Gateway is not installed: run .ci/setup.d/runtime.sh",
)

#: Words of the refusal a person needs: why, and what to use instead.
REFUSAL = "run on a remote gateway"
INSTEAD = "Use the kernel's own shell access instead"


@pytest.fixture
def jp_server_config(gateway: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:  # noqa: F811
    return gateway_server_config(gateway, monkeypatch)


async def test_a_gateway_kernel_gets_no_shell_and_the_reason(
    jp_fetch: Any, jp_ws_fetch: Any, jp_root_dir: Any
) -> None:
    async with notebook_session(jp_fetch, "cluster.ipynb") as session:
        kernel_id = session["kernel"]["id"]
        # The kernel really runs on the gateway, not as a process of this server.
        gateway_kernels = json.loads((await jp_fetch("api", "kernels")).body)
        assert kernel_id in [kernel["id"] for kernel in gateway_kernels]

        # What the notebook asks before running a `!` line: off, with the reason it shows.
        status = json.loads((await jp_fetch("colab", "shell", "status")).body)
        assert status["enabled"] is False
        assert REFUSAL in status["reason"] and INSTEAD in status["reason"]

        # The commands socket refuses the gateway kernel outright, with the same words.
        marker = jp_root_dir / "ran-on-the-server"
        with pytest.raises(HTTPClientError) as refused:
            ws = await jp_ws_fetch("colab", "shell", "kernels", kernel_id, "socket")
            ws.write_message(
                json.dumps({"type": "run", "id": "x", "command": f"touch {marker}", "cwd": ""})
            )
            await ws.read_message()
    assert refused.value.code == 501
    response = refused.value.response
    assert response is not None
    assert REFUSAL in html.unescape(response.body.decode())
    assert not marker.exists()
