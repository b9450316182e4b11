"""Kernel websockets through a real Jupyter Enterprise Gateway (docs/gateway.md).

JupyterLab in Chromium opens a kernel's websocket offering ``v1.kernel.websocket.jupyter.org``;
when the server answers with no subprotocol, Chromium fails the handshake and JupyterLab opens a
second socket at once with the same ``session_id``. With jupyter_server's own relay the second one
stalled for 42 s behind the first one's orphaned gateway connection. These tests drive both steps
over the server's own websocket route, with a gateway started as in test_gateway.py.
"""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
from typing import Any

import pytest
from jupyter_server.services.kernels.connection.base import (
    deserialize_msg_from_ws_v1,
    serialize_msg_to_ws_v1,
)
from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection

from colab_ext.runtime.gateway_websocket import (
    UPSTREAM_CLASS,
    GatewayKernelWebsocket,
    use_for_gateway_kernels,
)
from tests.runtime.gateway_process import gateway_server_config
from tests.runtime.test_gateway import JEG, gateway  # noqa: F401 (the gateway fixture)

V1 = "v1.kernel.websocket.jupyter.org"
#: Far below the 42 s that the stall lasted (GatewayClient.request_timeout).
ANSWER_S = 15.0

pytestmark = pytest.mark.skipif(
    not JEG.exists(), reason="Enterprise Gateway is not installed: run .ci/setup.d/runtime.sh"
)


@pytest.fixture
def jp_server_config(gateway: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:  # noqa: F811
    return gateway_server_config(gateway, monkeypatch)


def kernel_info_request(session: str) -> dict[str, Any]:
    header = {
        "msg_id": uuid.uuid4().hex,
        "msg_type": "kernel_info_request",
        "username": "t",
        "session": session,
        "version": "5.3",
        "date": "",
    }
    return {"header": header, "parent_header": {}, "metadata": {}, "content": {}}


async def ask_kernel_info(ws: Any, session: str) -> float:
    """Send kernel_info_request in the protocol the socket agreed on; seconds to the reply."""
    request = kernel_info_request(session)
    if ws.selected_subprotocol == V1:
        parts = [json.dumps(request[k]).encode() for k in ("header", "parent_header", "metadata")]
        await ws.write_message(serialize_msg_to_ws_v1([*parts, b"{}"], "shell"), binary=True)
    else:
        await ws.write_message(json.dumps({**request, "channel": "shell"}))
    loop = asyncio.get_running_loop()
    start = loop.time()
    while True:
        frame = await asyncio.wait_for(ws.read_message(), ANSWER_S - (loop.time() - start))
        assert frame is not None, f"the server closed the socket (code {ws.close_code})"
        if isinstance(frame, bytes):
            # v1 frames are binary; a legacy frame is binary only when it carries buffers.
            assert ws.selected_subprotocol == V1, "a binary frame on a legacy socket"
            channel, parts = deserialize_msg_from_ws_v1(frame)
            header, parent = json.loads(parts[0]), json.loads(parts[1])
        else:
            message = json.loads(frame)
            channel, header, parent = (
                message["channel"],
                message["header"],
                message["parent_header"],
            )
        if header["msg_type"] == "kernel_info_reply":
            assert channel == "shell"
            if parent.get("msg_id") == request["header"]["msg_id"]:
                return loop.time() - start


async def start_kernel(jp_fetch: Any) -> str:
    body = json.dumps({"name": "python3"})
    return str(json.loads((await jp_fetch("api", "kernels", method="POST", body=body)).body)["id"])


async def test_browser_and_gateway_agree_on_the_v1_protocol(
    jp_fetch: Any, jp_ws_fetch: Any
) -> None:
    kernel = await start_kernel(jp_fetch)
    session = uuid.uuid4().hex
    ws = await jp_ws_fetch(
        "api", "kernels", kernel, "channels", params={"session_id": session}, subprotocols=[V1]
    )
    try:
        # jupyter_server's own relay answered no subprotocol here, which Chromium refuses.
        assert ws.selected_subprotocol == V1
        await ask_kernel_info(ws, session)
    finally:
        ws.close()
        await jp_fetch("api", "kernels", kernel, method="DELETE")


async def test_clients_without_subprotocols_keep_the_legacy_protocol(
    jp_fetch: Any, jp_ws_fetch: Any
) -> None:
    kernel = await start_kernel(jp_fetch)
    session = uuid.uuid4().hex
    ws = await jp_ws_fetch("api", "kernels", kernel, "channels", params={"session_id": session})
    try:
        assert ws.selected_subprotocol is None
        await ask_kernel_info(ws, session)
    finally:
        ws.close()
        await jp_fetch("api", "kernels", kernel, method="DELETE")


@pytest.mark.parametrize("subprotocols", [[V1], None], ids=["v1", "legacy"])
async def test_a_socket_dropped_during_its_handshake_does_not_stall_the_next(
    jp_fetch: Any, jp_ws_fetch: Any, subprotocols: list[str] | None
) -> None:
    """JupyterLab's pattern on a new kernel: a socket that goes away while the gateway still
    waits for the kernel's first answer, then one more with the same session_id at once."""
    kernel = await start_kernel(jp_fetch)
    session = uuid.uuid4().hex
    route = ("api", "kernels", kernel, "channels")
    params = {"session_id": session}
    try:
        first = jp_ws_fetch(*route, params=params, subprotocols=subprotocols)
        await asyncio.sleep(0.05)  # the request is out; the gateway is still waiting on the kernel
        first.add_done_callback(lambda f: f.exception() or f.result().close())
        ws = await jp_ws_fetch(*route, params=params, subprotocols=subprotocols)
        try:
            assert await ask_kernel_info(ws, session) < ANSWER_S
        finally:
            ws.close()
    finally:
        await jp_fetch("api", "kernels", kernel, method="DELETE")


def test_only_servers_with_a_gateway_get_the_relay() -> None:
    log = logging.getLogger("test")
    # A server without a gateway (jupyter_server's ZMQ class) is left as it is.
    settings: dict[str, Any] = {"kernel_websocket_connection_class": ZMQChannelsWebsocketConnection}
    assert not use_for_gateway_kernels(settings, log)
    assert settings["kernel_websocket_connection_class"] is ZMQChannelsWebsocketConnection
    # So is a gateway server whose admin chose a class of their own.
    custom = type("Custom", (UPSTREAM_CLASS,), {})
    settings = {"kernel_websocket_connection_class": custom}
    assert not use_for_gateway_kernels(settings, log)
    assert settings["kernel_websocket_connection_class"] is custom
    settings = {"kernel_websocket_connection_class": UPSTREAM_CLASS}
    assert use_for_gateway_kernels(settings, log)
    assert settings["kernel_websocket_connection_class"] is GatewayKernelWebsocket
