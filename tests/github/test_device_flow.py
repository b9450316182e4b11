"""GitHub's device flow, when an admin configured an OAuth app: the user enters a code on GitHub
and the server finishes the connection by itself."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from tests.github.conftest import call
from tests.github.fake_github import FakeGitHub


@pytest.fixture
def colab_config(fake_github: FakeGitHub, token_path: Path) -> dict[str, Any]:
    return {
        "github_api_url": fake_github.url,
        "github_web_url": fake_github.url,
        "github_token_path": str(token_path),
        "github_oauth_client_id": "Iv1.fakeclient",
        "github_seconds_between_requests": 0.0,
    }


async def wait_for_device_state(jp_fetch: Any, state: str) -> dict[str, Any]:
    for _ in range(60):
        _status, account = await call(jp_fetch, "GET", "account")
        if account["device"] and account["device"]["state"] == state:
            return account
        await asyncio.sleep(0.2)
    raise AssertionError(f"the device flow never reached {state!r}")


async def test_device_flow_connects_once_the_user_approves(
    jp_fetch: Any, fake_github: FakeGitHub, token_path: Path
) -> None:
    status, account = await call(jp_fetch, "GET", "account")
    assert account["device_flow_available"] is True
    status, flow = await call(jp_fetch, "POST", "device", {})
    assert status == 200, flow
    assert flow["user_code"] == "WDJB-MJHT"
    assert "device_code" not in flow  # it stays on the server
    await asyncio.sleep(1.5)
    assert not token_path.exists()  # still pending
    [entry] = fake_github.device_codes.values()
    assert entry["polls"] >= 1
    entry["approved"] = True
    account = await wait_for_device_state(jp_fetch, "connected")
    assert account["connected"] is True and account["login"] == "octo"
    assert token_path.exists()


async def test_a_denied_sign_in_is_reported(jp_fetch: Any, fake_github: FakeGitHub) -> None:
    await call(jp_fetch, "POST", "device", {})
    # The fake answers expired_token for a code it does not know.
    fake_github.device_codes.clear()
    account = await wait_for_device_state(jp_fetch, "failed")
    assert "expired" in account["device"]["message"]
    assert account["connected"] is False
