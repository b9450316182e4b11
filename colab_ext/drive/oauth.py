"""Connecting to Google Drive: the OAuth web flow (state + PKCE), service accounts and ADC.

The browser is sent to Google's consent page and comes back to the server's callback route; the
server swaps the code for tokens itself, so tokens never reach the browser.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import google.auth
from google.auth.credentials import Credentials as BaseCredentials
from google.oauth2 import service_account
from google.oauth2.credentials import Credentials as UserCredentials

from ..core.errors import BadRequest, ColabError, Conflict
from ..core.private_files import read_json_object
from .store import CredentialStore

SCOPES = ["https://www.googleapis.com/auth/drive"]
#: How long a started sign-in may take before its state is forgotten.
PENDING_TTL_S = 600.0


@dataclass
class PendingSignIn:
    """What must survive between sending the user to Google and the callback."""

    code_verifier: str
    redirect_uri: str
    started: float
    #: Who started it: only they may finish it (the callback is a GET, which an authorizer
    #: may allow to a user who may change nothing).
    user: str


def validate_client(config: Any) -> dict[str, Any]:
    """The OAuth client JSON as Google's console downloads it, or a 400 saying what is wrong."""
    if not isinstance(config, dict):
        raise BadRequest("The OAuth client must be the JSON file from the Google Cloud console.")
    section = config.get("web") or config.get("installed")
    if not isinstance(section, dict):
        raise BadRequest(
            "This JSON is not an OAuth client: it has neither a 'web' nor an 'installed' section. "
            "Create an OAuth client ID of type 'Web application' and download its JSON."
        )
    missing = [key for key in ("client_id", "auth_uri", "token_uri") if not section.get(key)]
    if missing:
        raise BadRequest(f"The OAuth client JSON lacks {', '.join(missing)}.")
    return config


class DriveConnector:
    """Who the server is to Google Drive, and how it becomes someone."""

    def __init__(
        self,
        store: CredentialStore,
        *,
        admin_client_file: str = "",
        service_account_file: str = "",
        use_adc: bool = False,
        revoke_uri: str,
    ) -> None:
        self.store = store
        self.admin_client_file = admin_client_file
        self.service_account_file = service_account_file
        self.use_adc = use_adc
        self.revoke_uri = revoke_uri
        self._pending: dict[str, PendingSignIn] = {}

    # --- what we have ---------------------------------------------------------------------------
    @property
    def kind(self) -> str:
        """``service_account``, ``application_default`` or ``oauth``."""
        if self.service_account_file:
            return "service_account"
        return "application_default" if self.use_adc else "oauth"

    def client(self) -> dict[str, Any] | None:
        """The OAuth client: the admin's if configured, else the one the user uploaded."""
        if self.admin_client_file:
            return read_json_object(Path(self.admin_client_file))
        return self.store.load_client()

    def client_source(self) -> str | None:
        if self.admin_client_file:
            return "admin"
        return "uploaded" if self.store.load_client() else None

    def save_client(self, config: Any) -> None:
        if self.admin_client_file:
            raise Conflict("The administrator has configured the OAuth client for this server.")
        self.store.save_client(validate_client(config))

    def is_connected(self) -> bool:
        if self.kind != "oauth":
            return True
        token = self.store.load_token()
        return bool(token and token.get("refresh_token"))

    def credentials(self) -> BaseCredentials:
        """Credentials to call Drive with (refreshed by the transport when they expire)."""
        if self.kind == "service_account":
            return service_account.Credentials.from_service_account_file(  # type: ignore[no-untyped-call,no-any-return]
                self.service_account_file, scopes=SCOPES
            )
        if self.kind == "application_default":
            credentials, _ = google.auth.default(scopes=SCOPES)
            return credentials
        token = self.store.load_token()
        if not token or not token.get("refresh_token"):
            raise ColabError(
                "Google Drive is not connected. Use Connect to Google Drive first.", status=409
            )
        return user_credentials(token, self.store)

    def kernel_credentials(self) -> dict[str, Any]:
        """What ``google.colab.auth.authenticate_user()`` in a kernel of this server uses: the
        Drive connection's user credentials as an Application Default Credentials record, the
        admin's service account key file, or (``application_default``) the machine's own."""
        if self.kind == "service_account":
            return {"kind": "service_account", "path": self.service_account_file}
        if self.kind == "application_default":
            return {"kind": "application_default"}
        token = self.store.load_token()
        if not token or not token.get("refresh_token"):
            raise ColabError(
                "Google Drive is not connected. Use Connect to Google Drive first.", status=409
            )
        record = {
            "type": "authorized_user",
            "client_id": token.get("client_id", ""),
            "client_secret": token.get("client_secret", ""),
            "refresh_token": token["refresh_token"],
            "token_uri": token.get("token_uri", ""),
        }
        return {"kind": "oauth", "credentials": record, "scopes": token.get("scopes") or SCOPES}

    # --- the web flow --------------------------------------------------------------------------
    def _client_or_fail(self) -> dict[str, Any]:
        client = self.client()
        if client is None:
            raise ColabError(
                "No OAuth client is set up for Google Drive. Upload the client JSON from the "
                "Google Cloud console (OAuth client ID, type 'Web application'), or ask your "
                "administrator to set c.ColabExt.drive_client_secrets_file.",
                status=409,
            )
        return client

    def start(self, redirect_uri: str, user: str) -> str:
        """The consent-page URL to send ``user``'s browser to."""
        if self.kind != "oauth":
            raise Conflict(
                "This server uses its own Google credentials; there is nothing to connect."
            )
        self._forget_stale()
        client = validate_client(self._client_or_fail())
        section = client.get("web") or client["installed"]
        auth_uri = str(section["auth_uri"])
        if not auth_uri.startswith("https://") and not _is_loopback(auth_uri):
            raise BadRequest("The OAuth client's auth_uri must use https.")
        # Built here rather than by oauthlib, which refuses plain http even for a loopback
        # test double; the parameters are Google's documented ones.
        state = secrets.token_urlsafe(24)
        verifier = secrets.token_urlsafe(72)[:96]
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
        params = {
            "response_type": "code",
            "client_id": section["client_id"],
            "redirect_uri": redirect_uri,
            "scope": " ".join(SCOPES),
            "state": state,
            "code_challenge": challenge.rstrip(b"=").decode(),
            "code_challenge_method": "S256",
            "access_type": "offline",
            "prompt": "consent",
            "include_granted_scopes": "true",
        }
        self._pending[state] = PendingSignIn(verifier, redirect_uri, time.monotonic(), user)
        return auth_uri + ("&" if "?" in auth_uri else "?") + urllib.parse.urlencode(params)

    def finish(self, state: str, code: str, user: str) -> None:
        """Swap the callback's code for tokens, for the ``user`` who started this sign-in
        (blocking: run it off the event loop)."""
        self._forget_stale()
        pending = self._pending.get(state) if state else None
        if pending is None:
            raise BadRequest(
                "This sign-in link is not one this server started, or it expired. "
                "Start again with Connect to Google Drive."
            )
        if pending.user != user:
            # Kept for its owner: someone else's attempt must not cancel their sign-in.
            raise ColabError(
                "This Google Drive sign-in was started by another user; only they can finish it.",
                status=403,
            )
        if self._pending.pop(state, None) is None:  # another callback took it meanwhile
            raise BadRequest("This sign-in was already used. Start again if it did not connect.")
        if not code:
            raise BadRequest("Google sent no authorization code back.")
        section = validate_client(self._client_or_fail())
        section = section.get("web") or section["installed"]
        token_uri = str(section["token_uri"])
        if not token_uri.startswith("https://") and not _is_loopback(token_uri):
            raise BadRequest("The OAuth client's token_uri must use https.")
        form = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": pending.redirect_uri,
            "client_id": section["client_id"],
            "client_secret": section.get("client_secret", ""),
            "code_verifier": pending.code_verifier,
        }
        # The exchange is a plain form POST (RFC 6749 4.1.3 + RFC 7636); oauthlib would refuse a
        # plain-http loopback endpoint, and the state was already checked above.
        request = urllib.request.Request(  # noqa: S310 - https or loopback, checked above
            token_uri,
            data=urllib.parse.urlencode(form).encode(),
            method="POST",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310
                issued = json.loads(answer.read())
        except urllib.error.HTTPError as error:
            raise ColabError(
                f"Google refused the sign-in ({_oauth_error(error)}). Start again.", status=502
            ) from None
        except OSError as error:
            raise ColabError(
                f"Google's token endpoint could not be reached ({type(error).__name__}).",
                status=503,
            ) from None
        if not issued.get("refresh_token"):
            raise ColabError("Google sent no refresh token. Start again.", status=502)
        expiry = None
        if issued.get("expires_in"):
            expires = time.time() + float(issued["expires_in"])
            expiry = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(expires))
        self.store.save_token(
            {
                "token": issued["access_token"],
                "refresh_token": issued["refresh_token"],
                "token_uri": token_uri,
                "client_id": section["client_id"],
                "client_secret": section.get("client_secret", ""),
                "scopes": SCOPES,
                "expiry": expiry,
            }
        )

    def _forget_stale(self) -> None:
        now = time.monotonic()
        for state in [s for s, p in self._pending.items() if now - p.started > PENDING_TTL_S]:
            del self._pending[state]

    def disconnect(self) -> bool:
        """Revoke the refresh token at Google (best effort) and delete it here."""
        token = self.store.load_token()
        revoked = False
        if token and token.get("refresh_token"):
            data = urllib.parse.urlencode({"token": token["refresh_token"]}).encode()
            request = urllib.request.Request(  # noqa: S310 - an admin-set https URL
                self.revoke_uri,
                data=data,
                method="POST",
                headers={"Content-Type": "application/x-www-form-urlencoded"},
            )
            try:
                with urllib.request.urlopen(request, timeout=15):  # noqa: S310
                    revoked = True
            except OSError:
                revoked = False
        self.store.delete_token()
        return revoked


class StoredCredentials(UserCredentials):
    """User credentials that write each refreshed access token back to the store (owner-only),
    so the next process (a restarted server or mount) starts from a live token instead of
    refreshing a stale one again."""

    store: CredentialStore | None = None

    def refresh(self, request: Any) -> None:
        super().refresh(request)  # type: ignore[no-untyped-call]
        if self.store is not None:
            self.store.save_refreshed(self.refresh_token, self.token, self.expiry)


def user_credentials(
    token: dict[str, Any], store: CredentialStore | None = None
) -> UserCredentials:
    """Credentials from a stored token record, with its own token endpoint kept; refreshed
    tokens go back to ``store``."""
    loaded = StoredCredentials.from_authorized_user_info(  # type: ignore[no-untyped-call]
        token, scopes=token.get("scopes") or SCOPES
    )
    # from_authorized_user_info resets token_uri to Google's: restore the one we were issued by.
    restored: StoredCredentials = loaded.with_token_uri(token["token_uri"])
    restored.expiry = loaded.expiry  # the copy drops it, and with it refreshing before expiry
    restored.store = store
    return restored


def _is_loopback(url: str) -> bool:
    return urllib.parse.urlsplit(url).hostname in ("127.0.0.1", "localhost", "::1")


def _oauth_error(error: urllib.error.HTTPError) -> str:
    try:
        body = json.loads(error.read())
        return str(body.get("error_description") or body.get("error") or error.code)
    except ValueError:
        return str(error.code)
