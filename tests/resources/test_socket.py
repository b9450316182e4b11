"""The pushed feed: one sample a tick, serialised once, to every subscribed WebSocket."""

from __future__ import annotations

import asyncio
import base64
import itertools
import json
import os
import socket
import time
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from typing import Any

import jsonschema
import pytest
from jupyter_server.auth import Authorizer
from tornado.httpclient import HTTPClientError

from tests.core.test_openapi import load_spec, schema_of

H100 = {"name": "NVIDIA H100 80GB HBM3", "mem_total": 80 << 30, "mem_used": 9 << 30, "util": 61}


@asynccontextmanager
async def subscribed(jp_ws_fetch: Any, count: int = 1) -> AsyncIterator[list[Any]]:
    """``count`` connections to ``/colab/resources/socket``, closed on exit."""
    async with AsyncExitStack() as stack:
        sockets = []
        for _ in range(count):
            ws = await jp_ws_fetch("colab", "resources", "socket")
            stack.callback(ws.close)
            sockets.append(ws)
        yield sockets


async def next_sample(ws: Any, timeout: float = 5.0) -> dict[str, Any]:
    frame = await asyncio.wait_for(ws.read_message(), timeout)
    assert isinstance(frame, str), "the socket closed"
    return json.loads(frame)


async def test_samples_are_pushed_every_interval_and_match_the_schema(
    nvml: Any, jp_ws_fetch: Any, sampler: Any
) -> None:
    nvml(gpus=[H100])
    schema = schema_of(load_spec(), "Resources")
    async with subscribed(jp_ws_fetch) as [ws]:
        first = await next_sample(ws)
        later = [await next_sample(ws) for _ in range(3)]
    for sample in [first, *later]:
        jsonschema.validate(sample, schema)
        assert "history" not in sample  # pushed samples are small; charts append them
    [device] = later[-1]["gpu"]["devices"]
    assert (device["utilization_percent"], device["memory_used_bytes"]) == (61, 9 << 30)
    times = [sample["sampled_at"] for sample in later]
    assert times == sorted(times) and len(set(times)) == 3  # a new sample each frame
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert all(0.1 <= gap <= 1.0 for gap in gaps), gaps  # the configured 0.2 s, give or take
    assert later[-1]["interval_s"] == pytest.approx(0.2)
    assert later[-1]["history_s"] == 300


async def test_twenty_subscribers_share_one_sample_per_tick(
    nvml: Any, jp_ws_fetch: Any, sampler: Any
) -> None:
    nvml(gpus=[H100])
    async with subscribed(jp_ws_fetch, 20) as sockets:
        await asyncio.gather(*(next_sample(ws) for ws in sockets))  # the latest, at once
        assert sampler.subscribers == 20
        taken = sampler.samples_taken
        started = time.monotonic()
        received = [
            sample
            for _ in range(3)
            for sample in await asyncio.gather(*(next_sample(ws) for ws in sockets))
        ]
        elapsed = time.monotonic() - started
        sampled = sampler.samples_taken - taken
    # On a loaded machine the 20 reads of a round may straddle a tick, so rounds are not compared;
    # what must hold is that each tick's one sample went to everyone, unchanged...
    by_time: dict[float, list[dict[str, Any]]] = {}
    for sample in received:
        by_time.setdefault(sample["sampled_at"], []).append(sample)
    for same_tick in by_time.values():
        assert all(sample == same_tick[0] for sample in same_tick)
    # ...and that samples were taken per tick, not per subscriber (that would be 20 a tick).
    assert len(by_time) <= sampled + 1  # +1: the first round may include the tick before
    assert sampled <= elapsed / 0.2 + 2, (sampled, elapsed)
    await asyncio.sleep(0.3)
    assert sampler.subscribers == 0  # closing a socket unsubscribes it


async def test_the_sampler_runs_while_subscribed_and_stops_after(
    nvml: Any, jp_ws_fetch: Any, get_resources: Any, sampler: Any
) -> None:
    nvml(gpus=[H100])
    sampler.idle_after = 0.5
    async with subscribed(jp_ws_fetch) as [ws]:
        await next_sample(ws)
        taken = sampler.samples_taken
        await asyncio.sleep(1.5)  # three times idle_after with no HTTP request at all
        assert sampler.running
        assert sampler.samples_taken >= taken + 4  # 0.2 s a tick
    await asyncio.sleep(1.5)
    assert not sampler.running
    assert not sampler.gpus.session.initialised  # the driver was released
    # The history kept while pushing is there for the next first paint over HTTP.
    history = (await get_resources(history=True))["history"]
    assert len(history["t"]) >= 5


async def test_a_subscriber_after_an_idle_spell_gets_a_fresh_sample_first(
    nvml: Any, jp_ws_fetch: Any, get_resources: Any, sampler: Any
) -> None:
    nvml(gpus=[H100])
    sampler.idle_after = 0.3
    await get_resources()
    await asyncio.sleep(1.0)
    assert not sampler.running  # its last sample is now a second old
    subscribed_at = time.time()
    async with subscribed(jp_ws_fetch) as [ws]:
        first = await next_sample(ws)
    assert first["sampled_at"] >= subscribed_at


async def test_what_the_socket_pushes_is_what_http_answers(
    nvml: Any, jp_ws_fetch: Any, get_resources: Any
) -> None:
    nvml(gpus=[H100])
    async with subscribed(jp_ws_fetch) as [ws]:
        pushed = await next_sample(ws)
        answered = await get_resources()
        while pushed["sampled_at"] < answered["sampled_at"]:
            pushed = await next_sample(ws)
    if pushed["sampled_at"] == answered["sampled_at"]:
        assert pushed == answered


async def test_a_driver_failure_is_pushed_as_a_state_not_a_closed_socket(
    nvml: Any, jp_ws_fetch: Any
) -> None:
    nvml(gpus=[H100])
    async with subscribed(jp_ws_fetch) as [ws]:
        assert (await next_sample(ws))["gpu"]["state"] in ("ok", "pending")
        nvml(gpus=[H100], fail={"nvmlDeviceGetCount_v2": 15})  # GPU is lost
        for _ in range(20):
            sample = await next_sample(ws)
            if sample["gpu"]["state"] == "driver_error":
                break
        assert sample["gpu"]["state"] == "driver_error"
        assert "nvidia-smi" in sample["gpu"]["message"]


class NoResources(Authorizer):
    """An admin's policy: everything but the resource monitor."""

    def is_authorized(self, handler: Any, user: Any, action: str, resource: str) -> bool:
        return resource != "colab.resources"


class TestForbidden:
    @pytest.fixture
    def jp_server_config(self, jp_server_config: dict[str, Any]) -> dict[str, Any]:
        return {
            **jp_server_config,
            "ServerApp": {**jp_server_config["ServerApp"], "authorizer_class": NoResources},
        }

    async def test_the_socket_needs_permission_to_read_resources(
        self, jp_ws_fetch: Any, jp_fetch: Any
    ) -> None:
        with pytest.raises(HTTPClientError) as refused:
            await jp_ws_fetch("colab", "resources", "socket")
        assert refused.value.code == 403
        with pytest.raises(HTTPClientError) as refused:
            await jp_fetch("colab", "resources")
        assert refused.value.code == 403


@pytest.mark.parametrize("size", [0, 125, 126, 65535, 65536, 200_000])
def test_the_shared_frame_is_a_valid_text_frame(size: int) -> None:
    from tornado.websocket import WebSocketProtocol13

    from colab_ext.resources.handlers import text_frame

    payload = b"x" * size
    frame = text_frame(payload)
    assert frame[0] == 0x81  # FIN, text
    assert frame.endswith(payload)
    header = frame[: len(frame) - size]
    # The same header tornado itself writes for an unmasked server frame of this size.
    written: list[bytes] = []
    protocol = WebSocketProtocol13.__new__(WebSocketProtocol13)
    protocol.mask_outgoing = False
    protocol._wire_bytes_out = 0
    protocol.stream = type("Stream", (), {"write": lambda self, data: written.append(data)})()
    protocol._write_frame(True, 0x1, payload)
    assert written == [header + payload]


class RawSubscriber:
    """A WebSocket client on a plain socket with a tiny receive buffer, that can stop reading:
    a browser tab whose page is busy, as the server sees it."""

    def __init__(self, port: int, path: str, token: str) -> None:
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # before connecting
        self.sock.connect(("127.0.0.1", port))
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall(
            f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
            f"Authorization: token {token}\r\n\r\n".encode()
        )
        self.buffer = b""
        while b"\r\n\r\n" not in self.buffer:
            self.buffer += self.sock.recv(65536)
        head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
        assert head.startswith(b"HTTP/1.1 101"), head

    def _take(self, count: int) -> bytes:
        while len(self.buffer) < count:
            piece = self.sock.recv(1 << 20)
            assert piece, "the server closed the socket"
            self.buffer += piece
        taken, self.buffer = self.buffer[:count], self.buffer[count:]
        return taken

    def frame(self) -> dict[str, Any]:
        """The next frame (the server's frames are unmasked text frames)."""
        opcode, length = self._take(2)
        assert opcode == 0x81, opcode
        if length == 126:
            length = int.from_bytes(self._take(2), "big")
        elif length == 127:
            length = int.from_bytes(self._take(8), "big")
        return dict(json.loads(self._take(length)))

    def close(self) -> None:
        self.sock.close()


class TestSlowSubscriber:
    @pytest.fixture
    def colab_config(self) -> dict[str, Any]:
        return {"nvml_timeout": 2.0, "resources_interval": 0.05}

    async def test_a_subscriber_that_stops_reading_skips_frames_instead_of_queueing_them(
        self,
        nvml: Any,
        jp_ws_fetch: Any,
        jp_serverapp: Any,
        jp_http_port: int,
        jp_base_url: str,
        sampler: Any,
    ) -> None:
        nvml(gpus=[H100] * 16)  # frames of ~9 KB, 20 a second: the socket buffers fill quickly
        path = f"{jp_base_url.rstrip('/')}/colab/resources/socket"
        token = jp_serverapp.identity_provider.token
        async with subscribed(jp_ws_fetch) as [ws]:  # a tab that keeps reading (starts the server)
            await next_sample(ws)
            slow = await asyncio.to_thread(RawSubscriber, jp_http_port, path, token)
            try:
                await asyncio.to_thread(slow.frame)
                taken = sampler.samples_taken
                received = 0
                deadline = time.monotonic() + 4.0  # ~80 ticks while ``slow`` reads nothing
                while time.monotonic() < deadline:
                    await next_sample(ws)
                    received += 1
                ticks = sampler.samples_taken - taken
                resumed_at = time.time()
                # Reading again: what the sockets held, then a fresh sample, and no backlog of the
                # ticks in between (tornado would have queued every one of them).
                stale = 0
                while (await asyncio.to_thread(slow.frame))["sampled_at"] < resumed_at:
                    stale += 1
            finally:
                slow.close()
        assert ticks >= 30 and received >= ticks - 5  # the reading tab missed nothing
        assert stale < ticks / 2, (stale, ticks)
