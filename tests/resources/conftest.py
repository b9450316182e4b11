"""Fixtures of the resource monitor's tests."""

from __future__ import annotations

import json
from typing import Any

import pytest


@pytest.fixture
def colab_config() -> dict[str, Any]:
    # Short deadlines and a fast tick keep the tests quick; the defaults are the admin's.
    return {"nvml_timeout": 2.0, "resources_interval": 0.2}


@pytest.fixture
def get_resources(jp_fetch: Any) -> Any:
    """``await get_resources(history=False)``: the parsed answer of ``GET /colab/resources``."""

    async def get(history: bool = False) -> dict[str, Any]:
        params = {"history": "1"} if history else {}
        response = await jp_fetch("colab", "resources", params=params)
        assert response.code == 200
        return json.loads(response.body)

    return get


@pytest.fixture
def sampler(jp_serverapp: Any) -> Any:
    """The server's one ResourceSampler (to check that tabs share it)."""
    for pattern, _handler, kwargs in _rules(jp_serverapp.web_app.default_router):
        if pattern.endswith("/colab/resources$") and "sampler" in kwargs:
            return kwargs["sampler"]
    raise AssertionError("the resources route is not registered")


def _rules(router: Any) -> list[tuple[str, Any, dict[str, Any]]]:
    found = []
    for rule in getattr(router, "rules", []):
        if hasattr(rule.target, "rules"):
            found += _rules(rule.target)
        else:
            found.append((rule.matcher.regex.pattern, rule.target, rule.target_kwargs))
    return found
