"""An admin can keep colab-ext from making ``/content`` (``c.ColabExt.content_link = False``)."""

from __future__ import annotations

from typing import Any

import pytest

from colab_ext.runtime.kernel_site import ContentLink


def _start_hooks(server: Any) -> list[Any]:
    (app,) = server.extension_manager.extension_apps["colab_ext"]
    return list(app._on_start)


def _makes_the_link(hooks: list[Any]) -> bool:
    return any(isinstance(getattr(hook, "__self__", None), ContentLink) for hook in hooks)


async def test_by_default_the_server_makes_the_content_link_at_start(jp_serverapp: Any) -> None:
    assert _makes_the_link(_start_hooks(jp_serverapp))


class TestContentLinkOff:
    @pytest.fixture
    def jp_server_config(self, jp_server_config: dict[str, Any]) -> dict[str, Any]:
        return {**jp_server_config, "ColabExt": {"content_link": False}}

    async def test_content_link_false_leaves_slash_alone(self, jp_serverapp: Any) -> None:
        assert not _makes_the_link(_start_hooks(jp_serverapp))
