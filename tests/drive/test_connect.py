"""Connecting: the OAuth web flow with state and PKCE, the token store, disconnect."""

from __future__ import annotations

import logging
import os
import stat
import urllib.parse
from pathlib import Path
from typing import Any

import pytest
from tornado.httpclient import HTTPClientError

from colab_ext.drive.store import drive_data_dir
from tests.drive.conftest import call, connect, consent, start_sign_in
from tests.drive.fake_drive import FakeDrive


async def test_not_connected_says_what_to_do(jp_fetch: Any) -> None:
    status = await call(jp_fetch, "status")
    assert status["connected"] is False
    assert status["client_source"] is None
    with pytest.raises(HTTPClientError) as refused:
        await call(jp_fetch, "connect", method="POST", body={})
    assert refused.value.code == 409
    assert b"Upload the client JSON" in refused.value.response.body
    with pytest.raises(HTTPClientError) as listing:
        await call(jp_fetch, "files")
    assert listing.value.code == 409


async def test_oauth_round_trip_stores_token_owner_only(
    jp_fetch: Any, fake_drive: FakeDrive, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    bodies = []
    await call(jp_fetch, "client", method="PUT", body=fake_drive.client_config())
    auth_url, same_user = await start_sign_in(jp_fetch)
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(auth_url).query))
    assert query["code_challenge_method"] == "S256" and len(query["state"]) >= 32
    assert query["redirect_uri"].endswith("/colab/drive/oauth/callback")
    answer = consent(auth_url)
    page = await jp_fetch("colab", "drive", "oauth", "callback", params=answer, headers=same_user)
    bodies.append(page.body.decode())
    assert "Google Drive is connected" in bodies[-1]
    # Its one inline script (close the popup, or go back to the lab) is allowed by a nonce.
    assert page.headers["Content-Type"].startswith("text/html")
    policy = page.headers["Content-Security-Policy"]
    nonce = policy.split("'nonce-")[1].split("'")[0]
    assert f"<script nonce='{nonce}'>" in bodies[-1]
    status = await call(jp_fetch, "status")
    bodies.append(str(status))
    assert status["connected"] is True
    assert status["account"] == {"email": fake_drive.email, "name": "Ada"}

    token_file = drive_data_dir() / "token.json"
    assert stat.S_IMODE(os.stat(token_file).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(token_file.parent).st_mode) == 0o700
    refresh = next(iter(fake_drive.refresh_tokens))
    assert refresh in token_file.read_text()
    # Nothing the browser sees, and nothing logged, carries a token or the client secret.
    bodies.append(str(await call(jp_fetch, "files")))
    secrets = [refresh, fake_drive.client_secret, *fake_drive.access_tokens]
    for text in [*bodies, caplog.text]:
        for secret in secrets:
            assert secret not in text


async def test_a_wrong_or_replayed_state_is_refused(jp_fetch: Any, fake_drive: FakeDrive) -> None:
    await call(jp_fetch, "client", method="PUT", body=fake_drive.client_config())
    auth_url, same_user = await start_sign_in(jp_fetch)
    answer = consent(auth_url)
    forged = dict(answer, state="not-the-state-we-sent")
    callback = ("colab", "drive", "oauth", "callback")
    with pytest.raises(HTTPClientError) as refused:
        await jp_fetch(*callback, params=forged, headers=same_user)
    assert refused.value.code == 400
    assert b"not one this server started" in refused.value.response.body
    assert (await call(jp_fetch, "status"))["connected"] is False
    await jp_fetch(*callback, params=answer, headers=same_user)
    with pytest.raises(HTTPClientError) as replayed:  # a state is good for one sign-in only
        await jp_fetch(*callback, params=answer, headers=same_user)
    assert replayed.value.code == 400


async def test_a_code_without_its_pkce_verifier_is_useless(fake_drive: FakeDrive) -> None:
    # The fake, like Google, refuses a code whose verifier does not match its challenge; so the
    # round trip above passing means the server kept the verifier of *that* sign-in.
    from colab_ext.drive.oauth import DriveConnector
    from colab_ext.drive.store import CredentialStore

    first = DriveConnector(CredentialStore(drive_data_dir()), revoke_uri="")
    first.save_client(fake_drive.client_config())
    answer = consent(first.start("http://127.0.0.1:1/cb", "ada"))
    other = first.start("http://127.0.0.1:1/cb", "ada")
    other_state = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(other).query))["state"]
    with pytest.raises(Exception, match="refused the sign-in"):
        first.finish(other_state, answer["code"], "ada")


async def test_disconnect_revokes_and_deletes(jp_fetch: Any, fake_drive: FakeDrive) -> None:
    await connect(jp_fetch, fake_drive)
    assert fake_drive.refresh_tokens
    status = await call(jp_fetch, "disconnect", method="POST", body={})
    assert status["connected"] is False and status["revoked"] is True
    assert fake_drive.refresh_tokens == set()
    assert not Path(drive_data_dir() / "token.json").exists()


async def test_a_token_revoked_at_google_gives_a_clear_state(
    jp_fetch: Any, fake_drive: FakeDrive
) -> None:
    await connect(jp_fetch, fake_drive)
    fake_drive.refresh_tokens.clear()
    fake_drive.access_tokens.clear()
    with pytest.raises(HTTPClientError) as refused:
        await call(jp_fetch, "files")
    assert refused.value.code == 409
    assert b"Connect to Google Drive again" in refused.value.response.body


async def test_a_bad_client_json_is_refused(jp_fetch: Any) -> None:
    with pytest.raises(HTTPClientError) as refused:
        await call(jp_fetch, "client", method="PUT", body={"type": "service_account"})
    assert refused.value.code == 400
    assert b"not an OAuth client" in refused.value.response.body


async def test_an_expired_access_token_is_refreshed(jp_fetch: Any, fake_drive: FakeDrive) -> None:
    await connect(jp_fetch, fake_drive)
    fake_drive.add_file("still-there.txt", b"x")
    issued = set(fake_drive.access_tokens)
    fake_drive.access_tokens.clear()  # Google forgot the access token; the refresh token stands
    listing = await call(jp_fetch, "files")
    assert [f["name"] for f in listing["files"]] == ["still-there.txt"]
    assert fake_drive.access_tokens and not (fake_drive.access_tokens & issued)


async def test_status_matches_its_schema(jp_fetch: Any, fake_drive: FakeDrive) -> None:
    import jsonschema

    from tests.core.test_openapi import load_spec, schema_of

    await connect(jp_fetch, fake_drive)
    status = await call(jp_fetch, "status")
    jsonschema.validate(status, schema_of(load_spec(), "DriveStatus"))
    assert "token" not in str(status).lower().replace("token_uri", "")


class TestServiceAccount:
    """An admin-configured service account: no connect step, the server's own identity."""

    @pytest.fixture
    def colab_config(
        self, colab_config: dict[str, Any], fake_drive: FakeDrive, tmp_path_factory: Any
    ) -> dict[str, Any]:
        import json

        key = tmp_path_factory.mktemp("sa") / "key.json"
        key.write_text(json.dumps(fake_drive.service_account()))
        return dict(colab_config, drive_service_account_file=str(key))

    async def test_the_service_account_is_used(self, jp_fetch: Any, fake_drive: FakeDrive) -> None:
        fake_drive.add_file("shared-with-robot.csv", b"a,b\n")
        status = await call(jp_fetch, "status")
        assert status["connected"] is True and status["credential_kind"] == "service_account"
        listing = await call(jp_fetch, "files")
        assert [f["name"] for f in listing["files"]] == ["shared-with-robot.csv"]
        assert fake_drive.assertions, "the service account signed a JWT for its token"
        with pytest.raises(HTTPClientError) as refused:
            await call(jp_fetch, "connect", method="POST", body={})
        assert refused.value.code == 409
