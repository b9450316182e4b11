"""Colab's ``google.colab.auth`` on a machine of your own.

In Colab, ``authenticate_user()`` signs the notebook's user in to Google Cloud and leaves
Application Default Credentials (ADC) behind for ``google.auth.default()``, the Cloud client
libraries and ``gcloud``. Here the machine's own ADC are what those libraries use: the file
``GOOGLE_APPLICATION_CREDENTIALS`` names (a service account key), or the one
``gcloud auth application-default login`` writes. These functions check that some are there and
say how to set them up when not, so a notebook stops at this line with a clear message instead of
at its first Cloud call. Nothing is asked in the page and nothing goes over the network here (the
client libraries refresh tokens when they first need them).

Standard library only, plus ``google-auth`` when the kernel's Python has it (every Cloud client
library depends on it).
"""

from __future__ import annotations

import os
from typing import Any

__all__ = ["authenticate_service_account", "authenticate_user"]

_HOW = (
    "Set up Google Cloud credentials on this machine once: run `gcloud auth application-default "
    "login` in a terminal (your own account), or set GOOGLE_APPLICATION_CREDENTIALS in the "
    "environment the Jupyter server starts kernels with to a service account key file. Then "
    "restart the kernel."
)


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
    """Make sure Google Cloud libraries in this kernel find credentials (see the module's text).

    Args:
      clear_output: Colab's argument; nothing is printed here, so nothing is cleared.
      project_id: the Google Cloud project for the client libraries and ``gcloud``.

    Raises:
      google.auth.exceptions.DefaultCredentialsError: no credentials, with how to set them up.
    """
    del clear_output
    _default_credentials()
    _use_project(project_id)


def authenticate_service_account(clear_output: bool = True) -> None:
    """Colab's service-account variant: the credentials must be a service account's key."""
    del clear_output
    credentials = _default_credentials()
    if not hasattr(credentials, "service_account_email"):
        import google.auth.exceptions

        raise google.auth.exceptions.DefaultCredentialsError(  # type: ignore[no-untyped-call]
            "The Google Cloud credentials of this kernel are not a service account's: set "
            "GOOGLE_APPLICATION_CREDENTIALS to a service account key file in the environment the "
            "Jupyter server starts kernels with, then restart the kernel."
        )
