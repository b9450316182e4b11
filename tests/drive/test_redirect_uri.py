"""The OAuth redirect URI the setup dialog shows is the one the server sends Google.

Google refuses a sign-in whose redirect URI is not registered exactly, so the URI a user copies
into the Google Cloud console must be the server's own, whatever page of the lab is open.
"""

from __future__ import annotations

import urllib.parse
from typing import Any

import pytest

from tests.drive.conftest import call, start_sign_in
from tests.drive.fake_drive import FakeDrive


async def sent_redirect_uri(jp_fetch: Any, headers: dict[str, str] | None = None) -> str:
    """The redirect_uri the server puts in the consent-page URL (and later in the exchange)."""
    auth_url, _ = await start_sign_in(jp_fetch, headers)
    return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(auth_url).query))["redirect_uri"]


async def test_status_says_the_redirect_uri_the_server_sends(
    jp_fetch: Any, fake_drive: FakeDrive, jp_base_url: str
) -> None:
    await call(jp_fetch, "client", method="PUT", body=fake_drive.client_config())
    shown = (await call(jp_fetch, "status"))["redirect_uri"]
    assert shown == await sent_redirect_uri(jp_fetch)
    # The server's callback route under its base URL, never a page of the lab.
    assert urllib.parse.urlsplit(shown).path == f"{jp_base_url}colab/drive/oauth/callback"


class TestBehindAProxy:
    """A reverse proxy that passes on the Host users reach the server by (the server allows
    remote access, as it must behind one): that host is shown and sent."""

    @pytest.fixture
    def jp_server_config(self, jp_server_config: dict[str, Any]) -> dict[str, Any]:
        server = dict(jp_server_config["ServerApp"], allow_remote_access=True)
        return dict(jp_server_config, ServerApp=server)

    async def test_the_host_users_reach_is_shown_and_sent(
        self, jp_fetch: Any, fake_drive: FakeDrive, jp_base_url: str
    ) -> None:
        await call(jp_fetch, "client", method="PUT", body=fake_drive.client_config())
        proxied = {"Host": "jupyter.example.org"}
        shown = (await call(jp_fetch, "status", headers=proxied))["redirect_uri"]
        assert shown == f"http://jupyter.example.org{jp_base_url}colab/drive/oauth/callback"
        assert shown == await sent_redirect_uri(jp_fetch, proxied)


class TestUnderJupyterHub:
    """A single-user server at /user/<name>/: its own callback is under that prefix."""

    @pytest.fixture
    def jp_base_url(self) -> str:
        return "/user/alice/"

    async def test_the_prefix_is_in_both(self, jp_fetch: Any, fake_drive: FakeDrive) -> None:
        await call(jp_fetch, "client", method="PUT", body=fake_drive.client_config())
        shown = (await call(jp_fetch, "status"))["redirect_uri"]
        assert urllib.parse.urlsplit(shown).path == "/user/alice/colab/drive/oauth/callback"
        assert shown == await sent_redirect_uri(jp_fetch)


class TestConfiguredRedirectUri:
    """``c.ColabExt.drive_redirect_uri`` (one URI for every user of a hub): shown and sent."""

    HUB_URI = "https://hub.example.org/hub/user-redirect/colab/drive/oauth/callback"

    @pytest.fixture
    def colab_config(self, colab_config: dict[str, Any]) -> dict[str, Any]:
        return dict(colab_config, drive_redirect_uri=self.HUB_URI)

    async def test_the_admins_uri_is_shown_and_sent(
        self, jp_fetch: Any, fake_drive: FakeDrive
    ) -> None:
        await call(jp_fetch, "client", method="PUT", body=fake_drive.client_config())
        assert (await call(jp_fetch, "status"))["redirect_uri"] == self.HUB_URI
        assert await sent_redirect_uri(jp_fetch) == self.HUB_URI
