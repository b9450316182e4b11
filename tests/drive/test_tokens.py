"""Refreshed tokens are written back to the store; application default credentials connect."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import stat
from pathlib import Path
from typing import Any

import pytest

from colab_ext.drive.store import drive_data_dir
from tests.drive.conftest import call, connect
from tests.drive.fake_drive import FakeDrive
from tests.drive.test_mount import shell

needs_fuse = pytest.mark.skipif(not os.path.exists("/dev/fuse"), reason="needs /dev/fuse")


def stored() -> dict[str, Any]:
    token_file = drive_data_dir() / "token.json"
    assert stat.S_IMODE(os.stat(token_file).st_mode) == 0o600
    record: dict[str, Any] = json.loads(token_file.read_text())
    return record


async def test_a_token_refreshed_after_a_401_is_stored(
    jp_fetch: Any, fake_drive: FakeDrive, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    await connect(jp_fetch, fake_drive)
    fake_drive.add_file("a.txt", b"a")
    before = stored()
    fake_drive.access_tokens.clear()  # Google forgot it: the next call gets a 401, then refreshes
    assert [f["name"] for f in (await call(jp_fetch, "files"))["files"]] == ["a.txt"]
    after = stored()
    assert after["token"] != before["token"] and after["token"] in fake_drive.access_tokens
    assert after["refresh_token"] == before["refresh_token"]
    assert after["token_uri"] == before["token_uri"] == f"{fake_drive.url}/token"
    # The next call (a new credentials object, as after a restart) uses it without refreshing.
    refreshes = fake_drive.count("POST", "/token")
    await call(jp_fetch, "files")
    assert fake_drive.count("POST", "/token") == refreshes
    for secret in (after["token"], after["refresh_token"]):
        assert secret not in caplog.text


async def test_a_token_past_its_expiry_is_refreshed_before_use_and_stored(
    jp_fetch: Any, fake_drive: FakeDrive
) -> None:
    await connect(jp_fetch, fake_drive)
    record = stored()
    record["expiry"] = "2020-01-01T00:00:00Z"
    (drive_data_dir() / "token.json").write_text(json.dumps(record))
    refreshes = fake_drive.count("POST", "/token")
    await call(jp_fetch, "files")
    assert fake_drive.count("POST", "/token") == refreshes + 1
    after = stored()
    assert after["token"] != record["token"] and after["expiry"] > "2026"


async def test_disconnecting_is_not_undone_by_a_late_refresh(
    jp_fetch: Any, fake_drive: FakeDrive
) -> None:
    from colab_ext.drive.oauth import user_credentials
    from colab_ext.drive.store import CredentialStore

    await connect(jp_fetch, fake_drive)
    store = CredentialStore(drive_data_dir())
    credentials = user_credentials(stored(), store)
    await call(jp_fetch, "disconnect", method="POST", body={})
    assert store.load_token() is None
    store.save_refreshed(credentials.refresh_token, "ya29.late", None)
    assert store.load_token() is None


@needs_fuse
async def test_the_mount_process_stores_the_token_it_refreshed(
    jp_fetch: Any, fake_drive: FakeDrive, jp_root_dir: Path
) -> None:
    await connect(jp_fetch, fake_drive)
    fake_drive.add_file("notes.txt", b"from drive\n")
    await call(jp_fetch, "mount", method="POST", body={})
    before = stored()
    fake_drive.access_tokens.clear()
    await asyncio.sleep(1.2)  # past the listing cache: the lookup goes to Drive again
    assert await shell(f"cat {jp_root_dir}/drive/MyDrive/notes.txt") == "from drive\n"
    after = stored()
    assert after["token"] != before["token"] and after["token"] in fake_drive.access_tokens
    await call(jp_fetch, "unmount", method="POST", body={})
    for log in (drive_data_dir() / "mounts").glob("*/fuse.log"):
        text = log.read_text()
        assert after["token"] not in text and after["refresh_token"] not in text


class TestApplicationDefaultCredentials:
    """``c.ColabExt.drive_use_application_default_credentials``: google-auth finds the
    credentials itself, here through ``GOOGLE_APPLICATION_CREDENTIALS``."""

    @pytest.fixture
    def colab_config(self, colab_config: dict[str, Any]) -> dict[str, Any]:
        return dict(colab_config, drive_use_application_default_credentials=True)

    @pytest.fixture(autouse=True)
    def adc_file(
        self, fake_drive: FakeDrive, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> Path:
        # A service account key whose token_uri is the fake (google-auth keeps a key's
        # token_uri; for authorized_user files it always uses Google's own endpoint).
        key = tmp_path / "adc.json"
        key.write_text(json.dumps(fake_drive.service_account()))
        monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(key))
        return key

    async def test_the_feature_connects_through_adc(
        self, jp_fetch: Any, fake_drive: FakeDrive, jp_root_dir: Path
    ) -> None:
        fake_drive.add_file("from-adc.csv", b"a,b\n")
        status = await call(jp_fetch, "status")
        assert status["connected"] is True
        assert status["credential_kind"] == "application_default"
        listing = await call(jp_fetch, "files")
        assert [f["name"] for f in listing["files"]] == ["from-adc.csv"]
        assert fake_drive.assertions, "the ADC key signed a JWT for its token"
        assert not (drive_data_dir() / "token.json").exists()  # nothing of ADC's is copied
        if os.path.exists("/dev/fuse"):  # the mount process finds the same credentials
            await call(jp_fetch, "mount", method="POST", body={})
            assert await shell(f"cat {jp_root_dir}/drive/MyDrive/from-adc.csv") == "a,b\n"
            await call(jp_fetch, "unmount", method="POST", body={})
