"""A kernel's uptime and idle shutdown, read from the server's real idle culler
(``MappingKernelManager.cull_*``), and a 'keep' that counts as activity to it."""

from __future__ import annotations

import asyncio
import copy
from datetime import datetime
from typing import Any

import pytest

from tests.runtime.lifetime_client import failure, keep, lifetime, notebook_kernel, wait_gone

TIMEOUT_S = 3


@pytest.fixture
def cull_timeout_s() -> int:
    return 60


@pytest.fixture
def jp_server_config(jp_server_config: dict[str, Any], cull_timeout_s: int) -> dict[str, Any]:
    config = copy.deepcopy(jp_server_config)
    config["MappingKernelManager"] = {"cull_idle_timeout": cull_timeout_s, "cull_interval": 1}
    config["ColabExt"].update(runtime_lifetime_check_s=0.5, hub_idle_timeout_s=600)
    return config


async def activity(jp_fetch: Any, kernel_id: str) -> datetime:
    """The kernel's last activity as jupyter's own API reports it (what the culler reads)."""
    view = await lifetime(jp_fetch, kernel_id)
    return datetime.fromisoformat(view["last_activity"].replace("Z", "+00:00"))


async def activity_settled(jp_fetch: Any, kernel_id: str, quiet_s: float = 1.0) -> None:
    """Wait until the kernel's last activity stays put for ``quiet_s`` (at most 30 s)."""
    deadline = asyncio.get_running_loop().time() + 30
    last = await activity(jp_fetch, kernel_id)
    while True:
        await asyncio.sleep(quiet_s)
        now = await activity(jp_fetch, kernel_id)
        if now == last:
            return
        assert asyncio.get_running_loop().time() < deadline, "the kernel never went quiet"
        last = now


async def test_uptime_and_idle_shutdown_and_keep(jp_serverapp: Any, jp_fetch: Any) -> None:
    await jp_serverapp.extension_manager.start_all_extensions()
    async with notebook_kernel(jp_fetch, "idle.ipynb") as kernel_id:
        first = await lifetime(jp_fetch, kernel_id)
        assert first["kernel_id"] == kernel_id
        assert 0 <= first["uptime_s"] < 60
        assert datetime.fromisoformat(first["started"]) <= datetime.now().astimezone()
        assert first["idle_timeout_s"] == 60 and first["cull_interval_s"] == 1
        # No page holds its WebSocket, so the culler applies: 60 s from its last activity.
        assert first["connections"] == 0
        assert 50 < first["idle_shutdown_in_s"] <= 60
        assert first["lifetime_ends_in_s"] is None and first["max_lifetime_s"] is None
        assert first["can_keep"] is True and first["can_extend"] is False
        assert first["warning_s"] == 300
        assert 0 < first["hub_idle_shutdown_in_s"] <= 600

        # The kernel's start-up messages are activity too (for longer on a loaded machine).
        await activity_settled(jp_fetch, kernel_id)
        settled = await lifetime(jp_fetch, kernel_id)
        await asyncio.sleep(2)
        later = await lifetime(jp_fetch, kernel_id)
        assert later["uptime_s"] >= settled["uptime_s"] + 2
        assert later["idle_shutdown_in_s"] <= settled["idle_shutdown_in_s"] - 2
        before = await activity(jp_fetch, kernel_id)

        kept = await keep(jp_fetch, kernel_id)
        assert kept["idle_shutdown_in_s"] > later["idle_shutdown_in_s"] + 2
        assert kept["idle_shutdown_in_s"] >= 59
        # The culler's own clock moved: jupyter's kernel model says so too.
        response = await jp_fetch("api", "kernels", kernel_id)
        assert '"last_activity"' in response.body.decode()
        assert await activity(jp_fetch, kernel_id) > before


@pytest.mark.parametrize("cull_timeout_s", [TIMEOUT_S])
async def test_a_kernel_the_culler_shut_down_says_why(jp_serverapp: Any, jp_fetch: Any) -> None:
    await jp_serverapp.extension_manager.start_all_extensions()
    async with notebook_kernel(jp_fetch, "culled.ipynb") as kernel_id:
        view = await lifetime(jp_fetch, kernel_id)
        assert view["idle_shutdown_in_s"] <= TIMEOUT_S
        await wait_gone(jp_fetch, kernel_id)  # jupyter's own culler, not colab-ext
        status, body = await failure(lifetime(jp_fetch, kernel_id))
        assert status == 404
        assert body["gone_reason"] == "idle"
        assert "3 s without activity" in body["message"] == body["gone_message"]
        assert datetime.fromisoformat(body["gone_at"])


async def test_an_unknown_kernel_is_a_plain_404(jp_serverapp: Any, jp_fetch: Any) -> None:
    for call in (lifetime(jp_fetch, "no-such-kernel"), keep(jp_fetch, "no-such-kernel")):
        status, body = await failure(call)
        assert status == 404
        assert "no running kernel with id no-such-kernel" in body["message"]
        assert "gone_reason" not in body
