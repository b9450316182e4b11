"""``google.colab.auth.authenticate_user()`` with the server's Drive connection: a real kernel,
the real server, the fake Google. Only a kernel gets the connection's credentials."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from tornado.httpclient import HTTPClientError

from colab_ext.drive.store import CredentialStore, drive_data_dir
from tests.drive.conftest import call, connect
from tests.drive.fake_drive import FakeDrive
from tests.secrets.conftest import run_code
from tests.sessions import notebook_session

USE = """
from google.colab import auth
import google.auth, os, stat
auth.authenticate_user()
credentials, _ = google.auth.default()
path = os.environ['GOOGLE_APPLICATION_CREDENTIALS']
mode = oct(stat.S_IMODE(os.stat(path).st_mode))
print(type(credentials).__name__, credentials.refresh_token, mode)
"""


@pytest.fixture
def no_machine_credentials(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A machine without Google credentials of its own (what kernels then inherit)."""
    monkeypatch.delenv("GOOGLE_APPLICATION_CREDENTIALS", raising=False)
    monkeypatch.setenv("CLOUDSDK_CONFIG", str(tmp_path / "gcloud"))  # no gcloud ADC file there
    monkeypatch.setenv("NO_GCE_CHECK", "true")  # not a Google Cloud VM: do not probe for one


async def test_the_drive_connection_serves_the_kernels_google_libraries(
    jp_fetch: Any, jp_serverapp: Any, fake_drive: FakeDrive, no_machine_credentials: None
) -> None:
    await jp_serverapp.extension_manager.start_all_extensions()
    await connect(jp_fetch, fake_drive)
    stored = CredentialStore(drive_data_dir()).load_token()
    assert stored is not None
    async with notebook_session(jp_fetch, "cloud.ipynb") as session:
        out, error = await run_code(jp_serverapp, session["kernel"]["id"], USE)
    assert error is None, out
    kind, refresh_token, mode = out.split()
    assert kind == "Credentials" and refresh_token == stored["refresh_token"]
    assert mode == "0o600"


async def test_without_a_connection_it_says_what_to_connect(
    jp_fetch: Any, jp_serverapp: Any, fake_drive: FakeDrive, no_machine_credentials: None
) -> None:
    await jp_serverapp.extension_manager.start_all_extensions()
    async with notebook_session(jp_fetch, "cloud.ipynb") as session:
        _, error = await run_code(
            jp_serverapp,
            session["kernel"]["id"],
            "from google.colab import auth\nauth.authenticate_user()",
        )
    assert error is not None and "Connect Google Drive in JupyterLab" in error


async def test_a_browser_does_not_get_them(
    jp_fetch: Any, jp_serverapp: Any, fake_drive: FakeDrive
) -> None:
    await connect(jp_fetch, fake_drive)
    async with notebook_session(jp_fetch, "cloud.ipynb") as session:
        kernel_id = session["kernel"]["id"]  # what a page knows
        for key in ("", "guessed", "0" * 64):
            with pytest.raises(HTTPClientError) as refused:
                await call(
                    jp_fetch,
                    "kernel-credentials",
                    method="POST",
                    body={"kernel_id": kernel_id, "kernel_key": key},
                )
            assert refused.value.code in (400, 403)
        with pytest.raises(HTTPClientError) as refused:
            await call(
                jp_fetch,
                "kernel-credentials",
                method="POST",
                body={"kernel_id": "no-such-kernel", "kernel_key": "x"},
            )
        assert refused.value.code == 403
