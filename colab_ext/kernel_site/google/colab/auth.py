"""Colab's ``google.colab.auth`` on a machine of your own.

In Colab, ``authenticate_user()`` signs the notebook's user in to Google and leaves Application
Default Credentials (ADC) behind for ``google.auth.default()``, the Google client libraries and
``gcloud``. Here, in this order:

1. Credentials the machine already names (``GOOGLE_APPLICATION_CREDENTIALS``, or the file
   ``gcloud auth application-default login`` writes) are kept: the admin's or user's choice.
2. Else the Google account connected to this Jupyter server for Drive (File > Google Drive >
   Connect) is used: the server hands this kernel (and only a kernel: it proves it is one with the
   key that signs its messages) the connection's credentials, written owner-only to Jupyter's
   runtime folder and named in ``GOOGLE_APPLICATION_CREDENTIALS`` for this kernel's process. They
   carry the scopes Drive was connected with (Drive), not Cloud Platform's.
3. Else whatever else ``google.auth.default()`` finds (a Google Cloud VM's service account).

None of them: an error saying what to connect. Nothing goes over the network here (the client
libraries refresh tokens when they first need them).

Standard library only, plus ``google-auth`` when the kernel's Python has it (every Cloud client
library depends on it).
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
from typing import Any

from . import _server

__all__ = ["authenticate_service_account", "authenticate_user"]

_HOW = (
    "Connect Google Drive in JupyterLab (File > Google Drive > Connect to Google Drive…): its "
    "Google account then serves this kernel's Google client libraries. Or set up Google Cloud "
    "credentials on this machine: `gcloud auth application-default login` in a terminal, or "
    "GOOGLE_APPLICATION_CREDENTIALS set to a service account key file in the environment the "
    "Jupyter server starts kernels with (then restart the kernel)."
)
#: Where ``gcloud auth application-default login`` writes the user's credentials.
_GCLOUD_ADC = os.path.join(
    os.environ.get("CLOUDSDK_CONFIG") or os.path.expanduser("~/.config/gcloud"),
    "application_default_credentials.json",
)


def _machine_has_credentials() -> bool:
    return bool(os.environ.get("GOOGLE_APPLICATION_CREDENTIALS")) or os.path.isfile(_GCLOUD_ADC)


def _use_drive_connection() -> None:
    """Point this kernel's ADC at the server's Drive connection, where it has one."""
    try:
        answer = _server.call(
            "drive/kernel-credentials",
            {"kernel_id": _server.kernel_id(), "kernel_key": _server.kernel_key()},
            30,
        )
    except _server.ServerError:
        return  # not connected, or no server to ask: the other sources, then the error
    if answer.get("kind") == "service_account" and answer.get("path"):
        os.environ["GOOGLE_APPLICATION_CREDENTIALS"] = str(answer["path"])
    elif answer.get("kind") == "oauth" and isinstance(answer.get("credentials"), dict):
        path = os.path.join(_server.runtime_dir(), f"colab-ext-adc-{os.getpid()}.json")
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w") as file:
            json.dump(answer["credentials"], file)
        atexit.register(_forget, path)
        os.environ["GOOGLE_APPLICATION_CREDENTIALS"] = path


def _forget(path: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)


def _default_credentials() -> Any:
    """The machine's Application Default Credentials, or the library's own error, explained."""
    try:
        import google.auth
        import google.auth.exceptions
    except ImportError:
        raise ImportError(
            "google.colab.auth needs the google-auth package in the kernel's Python "
            "(`pip install google-auth`; every Google Cloud client library installs it)."
        ) from None
    try:
        credentials, _project = google.auth.default()
    except google.auth.exceptions.DefaultCredentialsError as error:
        raise google.auth.exceptions.DefaultCredentialsError(  # type: ignore[no-untyped-call]
            f"No Google Cloud credentials for this kernel ({error}). {_HOW}"
        ) from None
    return credentials


def _use_project(project_id: str | None) -> None:
    if project_id:
        # What the Cloud client libraries (GOOGLE_CLOUD_PROJECT) and `!gcloud`
        # (CLOUDSDK_CORE_PROJECT) read, as Colab sets the project for both.
        os.environ["GOOGLE_CLOUD_PROJECT"] = project_id
        os.environ["CLOUDSDK_CORE_PROJECT"] = project_id


def authenticate_user(clear_output: bool = True, project_id: str | None = None) -> None:
    """Make sure Google client libraries in this kernel find credentials (see the module's text).

    Args:
      clear_output: Colab's argument; nothing is printed here, so nothing is cleared.
      project_id: the Google Cloud project for the client libraries and ``gcloud``.

    Raises:
      google.auth.exceptions.DefaultCredentialsError: no credentials, with how to set them up.
    """
    del clear_output
    if not _machine_has_credentials():
        _use_drive_connection()
    _default_credentials()
    _use_project(project_id)


def authenticate_service_account(clear_output: bool = True) -> None:
    """Colab's service-account variant: the credentials must be a service account's key."""
    del clear_output
    if not _machine_has_credentials():
        _use_drive_connection()
    credentials = _default_credentials()
    if not hasattr(credentials, "service_account_email"):
        import google.auth.exceptions

        raise google.auth.exceptions.DefaultCredentialsError(  # type: ignore[no-untyped-call]
            "The Google Cloud credentials of this kernel are not a service account's: set "
            "GOOGLE_APPLICATION_CREDENTIALS to a service account key file in the environment the "
            "Jupyter server starts kernels with, then restart the kernel."
        )
