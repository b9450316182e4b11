"""Admin settings: turning share links off, and the public URL links start with."""

from __future__ import annotations

import json
from typing import Any

import pytest


@pytest.fixture
def colab_config(clock: Any) -> dict[str, Any]:
    return {
        "share_clock": clock,
        "share_public_url": "https://hub.example.org/user/alice/",
    }


async def test_links_use_the_public_url(notebook: Any, jp_fetch: Any, visit: Any) -> None:
    notebook("p.ipynb")
    response = await jp_fetch(
        "colab", "share", "links", method="POST", body=json.dumps({"path": "p.ipynb"})
    )
    url = json.loads(response.body)["url"]
    assert url.startswith("https://hub.example.org/user/alice/colab/share/view/")
    listed = json.loads((await jp_fetch("colab", "share", "links")).body)
    assert listed["public_url"] == "https://hub.example.org/user/alice/"
    # The same token opens the page here, under the server's own base_url.
    token = url.rsplit("/", 1)[1]
    page = await visit(f"/a%40b/colab/share/view/{token}")
    assert page.code == 200


class TestTurnedOff:
    @pytest.fixture
    def colab_config(self, clock: Any) -> dict[str, Any]:
        return {"share_clock": clock, "share_enabled": False}

    async def test_no_link_can_be_made_and_none_opens(
        self, notebook: Any, jp_fetch: Any, visit: Any
    ) -> None:
        notebook("n.ipynb")
        with pytest.raises(Exception) as caught:
            await jp_fetch(
                "colab", "share", "links", method="POST", body=json.dumps({"path": "n.ipynb"})
            )
        assert caught.value.code == 403  # type: ignore[attr-defined]
        assert "turned off" in json.loads(caught.value.response.body)["message"]  # type: ignore[attr-defined]
        listed = json.loads((await jp_fetch("colab", "share", "links")).body)
        assert listed["enabled"] is False

    async def test_links_made_before_stop_opening(
        self, notebook: Any, jp_serverapp: Any, visit: Any
    ) -> None:
        from pathlib import Path

        from colab_ext.share import ShareLinkStore

        notebook("old.ipynb")
        store = ShareLinkStore(Path(jp_serverapp.data_dir) / "colab_ext" / "share-links.sqlite3")
        _, token = store.create("old.ipynb", include_outputs=True, expires_in_s=None)
        assert (await visit(f"/a%40b/colab/share/view/{token}")).code == 404
