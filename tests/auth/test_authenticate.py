"""``google.colab.auth`` in a real kernel started by the real server: the machine's Application
Default Credentials are found, or the call says how to set them up."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.secrets.conftest import run_code
from tests.sessions import notebook_session

CHECK = """
from google.colab import auth
import google.auth, os
auth.authenticate_user(project_id='my-project')
credentials, _ = google.auth.default()
print(type(credentials).__name__, os.environ['GOOGLE_CLOUD_PROJECT'],
      os.environ['CLOUDSDK_CORE_PROJECT'])
auth.authenticate_service_account()
print('service account ok')
"""


def service_account_key() -> dict[str, str]:
    """A service account key file's content with a fresh RSA key (never sent anywhere)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    pem = (
        rsa.generate_private_key(public_exponent=65537, key_size=2048)
        .private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        .decode()
    )
    return {
        "type": "service_account",
        "project_id": "key-project",
        "private_key_id": "k1",
        "private_key": pem,
        "client_email": "notebooks@key-project.iam.gserviceaccount.com",
        "client_id": "1",
        "token_uri": "http://127.0.0.1:9/token",
    }


async def test_the_machines_credentials_are_found(
    jp_fetch: Any, jp_serverapp: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = tmp_path / "key.json"
    key.write_text(json.dumps(service_account_key()))
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(key))  # the kernel's environment
    async with notebook_session(jp_fetch, "cloud.ipynb") as session:
        out, error = await run_code(jp_serverapp, session["kernel"]["id"], CHECK)
    assert error is None, out
    assert out == "Credentials my-project my-project\nservice account ok\n"


async def test_without_credentials_it_says_how_to_set_them_up(
    jp_fetch: Any, jp_serverapp: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(tmp_path / "missing.json"))
    monkeypatch.setenv("NO_GCE_CHECK", "true")  # not on Google Compute Engine: do not ask
    async with notebook_session(jp_fetch, "cloud.ipynb") as session:
        _, error = await run_code(
            jp_serverapp,
            session["kernel"]["id"],
            "from google.colab import auth\nauth.authenticate_user()",
        )
    assert error is not None and error.startswith("DefaultCredentialsError: No Google Cloud")
    assert "gcloud auth application-default login" in error
    assert "GOOGLE_APPLICATION_CREDENTIALS" in error
