"""Drive fixtures: the fake Drive + OAuth server, and a server configured to use it."""

from __future__ import annotations

import asyncio
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from tests.drive.fake_drive import FakeDrive


@pytest.fixture
def fake_drive() -> Iterator[FakeDrive]:
    fake = FakeDrive().start()
    yield fake
    fake.stop()


@pytest.fixture
def colab_config(fake_drive: FakeDrive) -> dict[str, Any]:
    return {
        "drive_api_endpoint": f"{fake_drive.url}/drive/v3/",
        "drive_revoke_uri": f"{fake_drive.url}/revoke",
        "drive_listing_cache_s": 1.0,
    }


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any) -> None:
        return None


def consent(auth_url: str) -> dict[str, str]:
    """What a user clicking Allow on the (fake) consent page sends back: the callback's query."""
    query = urllib.parse.urlsplit(auth_url).query
    approve = auth_url.split("/o/oauth2/auth")[0] + "/o/oauth2/approve?" + query
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        opener.open(approve)
    except urllib.error.HTTPError as redirect:
        location = redirect.headers["Location"]
    else:
        raise AssertionError("the consent page did not redirect")
    return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(location).query))


async def call(jp_fetch: Any, *parts: str, method: str = "GET", body: Any = None, **kw: Any) -> Any:
    response = await jp_fetch(
        "colab",
        "drive",
        *parts,
        method=method,
        body=None if body is None else json.dumps(body),
        **kw,
    )
    return json.loads(response.body) if response.body else None


async def start_sign_in(
    jp_fetch: Any, headers: dict[str, str] | None = None
) -> tuple[str, dict[str, str]]:
    """Ask for the consent page as the browser does: its URL, and the headers the callback must
    carry to come from the same user (the login cookie jupyter_server set; a token alone names
    a new anonymous user on every request)."""
    response = await jp_fetch(
        "colab", "drive", "connect", method="POST", body="{}", headers=dict(headers or {})
    )
    cookies = [c.split(";", 1)[0] for c in response.headers.get_list("Set-Cookie")]
    same_user = dict(headers or {}, **({"Cookie": "; ".join(cookies)} if cookies else {}))
    return json.loads(response.body)["auth_url"], same_user


async def connect(jp_fetch: Any, fake: FakeDrive) -> dict[str, str]:
    """Upload the client, go through consent, and land on the callback, as the browser does."""
    await call(jp_fetch, "client", method="PUT", body=fake.client_config())
    auth_url, same_user = await start_sign_in(jp_fetch)
    answer = consent(auth_url)
    await jp_fetch("colab", "drive", "oauth", "callback", params=answer, headers=same_user)
    return answer


async def wait_job(jp_fetch: Any, job: dict[str, Any], timeout: float = 120) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while job["state"] == "running":
        assert time.monotonic() < deadline, f"job still running: {job}"
        await asyncio.sleep(0.1)
        job = await call(jp_fetch, "jobs", job["id"])
    return job
