"""Fixtures for share links: a clock the test moves, notebooks on disk, links made through REST."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import nbformat
import pytest


class FakeClock:
    """Seconds since the epoch that move only when the test says so."""

    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds

    def __deepcopy__(self, memo: dict[int, Any]) -> FakeClock:
        # traitlets copies config values; the server must read this very clock.
        return self


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def colab_config(clock: FakeClock) -> dict[str, Any]:
    return {"share_clock": clock, "share_max_failures": 5, "share_throttle_window": 60.0}


def write_notebook(root: Path, path: str, *, marker: str = "shared-marker") -> Path:
    """A notebook with a Markdown cell, a code cell and a text output naming ``marker``."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell(f"# Notebook {marker}\n\nSome *text*."),
        nbformat.v4.new_code_cell(
            "print('hello')",
            execution_count=1,
            outputs=[nbformat.v4.new_output("stream", name="stdout", text=f"output-{marker}\n")],
        ),
    ]
    target = root / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(nbformat.writes(nb))
    return target


@pytest.fixture
def notebook(jp_root_dir: Path) -> Callable[..., Path]:
    """``notebook("dir/name.ipynb", marker=...)`` writes a notebook under the server root."""
    return lambda path, **kwargs: write_notebook(jp_root_dir, path, **kwargs)


@pytest.fixture
def create_link(jp_fetch: Any) -> Callable[..., Awaitable[dict[str, Any]]]:
    """Create a link through the REST API; the answer has ``url`` and ``page`` (its URL path)."""

    async def create(path: str, **options: Any) -> dict[str, Any]:
        response = await jp_fetch(
            "colab", "share", "links", method="POST", body=json.dumps({"path": path, **options})
        )
        assert response.code == 201
        link = json.loads(response.body)
        link["page"] = urlparse(link["url"]).path
        return link

    return create


@pytest.fixture
def visit(http_server_client: Any) -> Callable[..., Awaitable[Any]]:
    """Fetch a URL path as a visitor: no token, no cookie. Returns the response, whatever it is."""

    async def fetch(path: str, **kwargs: Any) -> Any:
        kwargs.setdefault("follow_redirects", False)
        return await http_server_client.fetch(path, raise_error=False, **kwargs)

    return fetch


@pytest.fixture
def share_links(jp_serverapp: Any) -> Any:
    """The server's share-link service, as its routes hold it (its renderer counts renders)."""
    for rule in _walk_rules(jp_serverapp.web_app.default_router):
        links = (rule.target_kwargs or {}).get("links")
        # Other features' routes may take a "links" service too (GitHub's open-in links).
        if links is not None and str(getattr(rule.target, "__module__", "")).startswith(
            "colab_ext.share"
        ):
            return links
    raise AssertionError("no share route registered")


def _walk_rules(router: Any) -> list[Any]:
    found = []
    for rule in getattr(router, "rules", []):
        found += _walk_rules(rule.target) if hasattr(rule.target, "rules") else [rule]
    return found


def write_json_notebook(root: Path, path: str, notebook: dict[str, Any]) -> None:
    """Write ``notebook`` as JSON, exactly as given (it may be one nbformat would not write)."""
    target = root / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(notebook))
