"""Fixtures of the GitHub tests: a fake GitHub on loopback, the server pointed at it, and
notebooks in the server root. Every test also checks that the token never reached a log."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.github.fake_github import FakeGitHub

TOKEN = "ghp_faketoken_0123456789abcdef"


def notebook_bytes(source: str = "print('hello')", outputs: list[Any] | None = None) -> bytes:
    cell = {
        "cell_type": "code",
        "execution_count": 1 if outputs else None,
        "id": "cell-1",
        "metadata": {},
        "outputs": outputs or [],
        "source": source,
    }
    document = {"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    return json.dumps(document, indent=1).encode()


@pytest.fixture
def fake_github() -> Iterator[FakeGitHub]:
    with FakeGitHub({TOKEN: "octo"}) as fake:
        fake.add_repo(
            "octo/notebooks",
            {"README.md": b"# hi\n", "nb/analysis.ipynb": notebook_bytes("1 + 1")},
        )
        fake.add_repo("someone/readonly", {"demo.ipynb": notebook_bytes()}, push=False)
        yield fake


@pytest.fixture
def token_path(tmp_path: Path) -> Path:
    return tmp_path / "secrets" / "github_token.json"


@pytest.fixture
def colab_config(fake_github: FakeGitHub, token_path: Path) -> dict[str, Any]:
    return {
        "github_api_url": fake_github.url,
        "github_web_url": fake_github.url,
        "github_token_path": str(token_path),
        "github_seconds_between_requests": 0.0,
        "github_seconds_between_writes": 0.0,
        "github_retries": 2,
        "github_timeout": 10.0,
    }


@pytest.fixture(autouse=True)
def no_github_token_in_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)


@pytest.fixture(autouse=True)
def token_never_logged(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    caplog.set_level(logging.DEBUG)
    yield
    assert TOKEN not in caplog.text, "the GitHub token appeared in a log record"


async def call(jp_fetch: Any, method: str, route: str, body: Any = None, **params: str) -> Any:
    """A colab-ext GitHub route; returns (status, JSON answer), whatever the status."""
    from tornado.httpclient import HTTPClientError

    try:
        response = await jp_fetch(
            "colab",
            "github",
            route,
            method=method,
            body=None if body is None else json.dumps(body),
            params=params or None,
        )
    except HTTPClientError as error:
        assert error.response is not None
        text = error.response.body.decode()
        assert TOKEN not in text
        return error.code, json.loads(text)
    text = response.body.decode()
    assert TOKEN not in text, "the GitHub token was sent to the browser"
    return response.code, json.loads(text)


async def connect(jp_fetch: Any) -> dict[str, Any]:
    status, answer = await call(jp_fetch, "PUT", "account", {"token": TOKEN})
    assert status == 200, answer
    return answer


def write_notebook(root: Path, path: str, data: bytes | None = None) -> Path:
    target = root / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data or notebook_bytes())
    return target


def read_notebook(root: Path, path: str) -> dict[str, Any]:
    result: dict[str, Any] = json.loads((root / path).read_text())
    return result


def source(notebook: dict[str, Any], index: int = 0) -> str:
    """A cell's source as one string (Jupyter may store it as a list of lines)."""
    text = notebook["cells"][index]["source"]
    return "".join(text) if isinstance(text, list) else str(text)
