"""Connecting to GitHub: tokens checked, stored owner-only, never sent back, deleted at will."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

import pytest

from tests.github.conftest import TOKEN, call, connect
from tests.github.fake_github import FakeGitHub


async def test_not_connected_at_first(jp_fetch: Any) -> None:
    status, answer = await call(jp_fetch, "GET", "account")
    assert status == 200
    assert answer["connected"] is False
    assert answer["device_flow_available"] is False


async def test_connect_checks_and_stores_the_token(jp_fetch: Any, token_path: Path) -> None:
    answer = await connect(jp_fetch)
    assert answer["connected"] is True
    assert answer["login"] == "octo"
    assert answer["scopes"] == ["repo", "gist"]
    assert answer["missing_scopes"] == []
    assert answer["source"] == "stored"
    assert stat.S_IMODE(token_path.stat().st_mode) == 0o600
    assert TOKEN in token_path.read_text()
    status, again = await call(jp_fetch, "GET", "account")
    assert status == 200 and again["login"] == "octo"


async def test_a_token_github_refuses_is_not_stored(jp_fetch: Any, token_path: Path) -> None:
    status, answer = await call(jp_fetch, "PUT", "account", {"token": "ghp_wrong"})
    assert status == 401
    assert "Connect again" in answer["message"]
    assert not token_path.exists()


async def test_missing_scopes_are_reported(jp_fetch: Any, fake_github: FakeGitHub) -> None:
    fake_github.scopes = "read:user"
    answer = await connect(jp_fetch)
    assert answer["missing_scopes"] == ["repo", "gist"]


async def test_disconnect_deletes_the_token(jp_fetch: Any, token_path: Path) -> None:
    await connect(jp_fetch)
    status, answer = await call(jp_fetch, "DELETE", "account")
    assert status == 200
    assert answer["connected"] is False
    assert not token_path.exists()


@pytest.fixture
def github_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)


async def test_github_token_in_the_environment_is_honoured(
    github_env: None, jp_fetch: Any, token_path: Path
) -> None:
    status, answer = await call(jp_fetch, "GET", "account")
    assert status == 200 and answer["connected"] is True
    assert answer["source"] == "environment"
    assert not token_path.exists()


async def test_routes_say_to_connect_first(jp_fetch: Any) -> None:
    status, answer = await call(jp_fetch, "POST", "gist", {"path": "x.ipynb", "public": False})
    assert status == 401
    assert "not connected to GitHub" in answer["message"]


async def test_without_an_oauth_app_the_device_flow_is_refused(jp_fetch: Any) -> None:
    status, answer = await call(jp_fetch, "POST", "device", {})
    assert status == 400
    assert "c.ColabExt.github_oauth_client_id" in answer["message"]
