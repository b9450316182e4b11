"""Which Drive failures are worth retrying, how long to wait between tries, and how a failure
reads to a person."""

from __future__ import annotations

import socket
import ssl
import time

import httplib2
from google.auth.exceptions import RefreshError, TransportError
from googleapiclient.errors import HttpError

from ...core.errors import BadRequest, ColabError, NotFound

ATTEMPTS = 6
TRANSIENT = (OSError, socket.timeout, ssl.SSLError, httplib2.HttpLib2Error, TransportError)


def friendly(error: Exception, what: str) -> ColabError:
    """A Drive failure as a message a person can act on."""
    if isinstance(error, RefreshError):
        return ColabError(
            "Google refused the saved Drive sign-in (revoked or expired). Connect to Google "
            "Drive again.",
            status=409,
        )
    if isinstance(error, HttpError):
        status = int(error.resp.status)
        if status == 404:
            return NotFound(f"{what}: the file is not in Drive (deleted, or not shared with you).")
        if status == 400:  # what the request named (a folder id, a page token) is not valid
            return BadRequest(f"{what}: Drive refused the request as invalid ({error.reason}).")
        if status in (401, 403):
            return ColabError(f"{what}: Drive refused access ({error.reason}).", status=409)
        if status == 429:
            return ColabError(
                f"{what}: Drive is rate-limiting requests; try again shortly.", status=503
            )
        return ColabError(f"{what}: Drive answered {status} ({error.reason}).", status=502)
    return ColabError(f"{what}: Drive could not be reached ({type(error).__name__}).", status=503)


def is_transient(error: Exception) -> bool:
    """Worth retrying: 408/429/5xx from Drive, or the connection failing."""
    if isinstance(error, HttpError):
        return int(error.resp.status) in (408, 429, 500, 502, 503, 504)
    return isinstance(error, TRANSIENT)


def backoff(attempt: int) -> None:
    time.sleep(min(0.25 * 2**attempt, 8.0))
