"""The connection to GitHub: connect with a token or the device flow, status, disconnect.

The token is checked against GitHub before it is stored, and never returned: status tells the
browser who is connected and with which scopes, nothing more.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from github import Github
from tornado.httpclient import AsyncHTTPClient, HTTPClientError

from ..core.errors import BadRequest, ColabError, Unavailable
from .client import GitHubClients, NotConnected
from .local import LocalNotebooks
from .settings import GitHubSettings
from .token_store import TokenStore

log = logging.getLogger(__name__)

#: What colab-ext needs: private repositories and gists.
SCOPES = "repo gist"


@dataclass
class Identity:
    login: str
    name: str | None
    scopes: list[str] | None


@dataclass(frozen=True)
class SignedIn:
    """The connected user, and a new client acting as them: hand it to ``GitHubClients.run``,
    which closes it."""

    who: Identity
    client: Github


@dataclass
class DeviceFlow:
    """A device-flow sign-in in progress. The device code stays on the server."""

    user_code: str
    verification_uri: str
    expires_in: int
    state: str = "pending"  # pending | connected | failed
    message: str | None = None
    task: asyncio.Task[None] | None = field(default=None, repr=False)

    def public(self) -> dict[str, Any]:
        return {
            "state": self.state,
            "user_code": self.user_code,
            "verification_uri": self.verification_uri,
            "expires_in": self.expires_in,
            "message": self.message,
        }


def fingerprint(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class GitHubAccount:
    """Who this server's user is on GitHub, and the token that says so."""

    def __init__(self, settings: GitHubSettings, store: TokenStore, clients: GitHubClients) -> None:
        self.settings = settings
        self.store = store
        self.clients = clients
        self._identities: dict[str, Identity] = {}
        clients.on_unauthorized = self._identities.clear
        self.device: DeviceFlow | None = None

    def token(self) -> str:
        """The token for GitHub calls, or :class:`NotConnected`."""
        stored = self.store.get()
        if stored is None:
            raise NotConnected()
        return stored.token

    def client(self) -> Github:
        """A new client for the stored token, or :class:`NotConnected`."""
        return self.clients.client(self.token())

    async def signed_in(self) -> SignedIn:
        """Who the stored token belongs to, and a client for it; :class:`NotConnected` without
        one, and GitHub's refusal of a token it no longer accepts."""
        token = self.token()
        who = await self.identity(token)
        return SignedIn(who, self.clients.client(token))

    async def identity(self, token: str) -> Identity:
        """Ask GitHub who the token belongs to (remembered per token for this server's life)."""
        key = fingerprint(token)
        if key not in self._identities:
            client = self.clients.client(token)

            def ask() -> Identity:
                user = client.get_user()
                login = user.login  # the first call: fills client.oauth_scopes too
                return Identity(login, user.name, client.oauth_scopes)

            self._identities[key] = await self.clients.run("checking the token", ask, client)
        return self._identities[key]

    async def status(self) -> dict[str, Any]:
        stored = self.store.get()
        answer: dict[str, Any] = {
            "connected": False,
            "api_url": self.settings.github_api_url,
            "web_url": self.settings.github_web_url,
            "device_flow_available": bool(self.settings.github_oauth_client_id),
            "device": self.device.public() if self.device else None,
        }
        if stored is None:
            return answer
        answer["source"] = stored.source
        try:
            who = await self.identity(stored.token)
        except ColabError as error:
            answer["problem"] = error.message
            return answer
        answer.update(connected=True, login=who.login, name=who.name, scopes=who.scopes)
        answer["missing_scopes"] = missing_scopes(who.scopes)
        return answer

    async def connect(self, token: str) -> dict[str, Any]:
        token = token.strip()
        # A token is printable ASCII; anything else could not even be sent in a header.
        if not token or not token.isascii() or not token.isprintable() or " " in token:
            raise BadRequest("Paste a GitHub token (printable ASCII, without spaces).")
        await self.identity(token)  # refuses a token GitHub does not accept
        self.store.save(token)
        log.info("colab-ext: connected to GitHub (token stored in %s)", self.store.path)
        return await self.status()

    async def disconnect(self) -> dict[str, Any]:
        if self.device and self.device.task:
            self.device.task.cancel()
        self.device = None
        self._identities.clear()
        self.store.delete()
        return await self.status()

    # ---- GitHub's device flow (when an OAuth app is configured)
    async def start_device_flow(self) -> dict[str, Any]:
        client_id = self.settings.github_oauth_client_id
        if not client_id:
            raise BadRequest(
                "The device flow needs an OAuth app: an admin sets "
                "c.ColabExt.github_oauth_client_id. Paste a token instead."
            )
        if self.device and self.device.task:
            self.device.task.cancel()
        answer = await self._post_form(
            "login/device/code", {"client_id": client_id, "scope": SCOPES}
        )
        if "device_code" not in answer:
            raise Unavailable(f"GitHub did not start the device flow: {answer.get('error')}.")
        flow = DeviceFlow(
            answer["user_code"], answer["verification_uri"], int(answer.get("expires_in", 900))
        )
        flow.task = asyncio.ensure_future(
            self._poll(flow, answer["device_code"], int(answer.get("interval", 5)))
        )
        self.device = flow
        return flow.public()

    async def _poll(self, flow: DeviceFlow, device_code: str, interval: int) -> None:
        form = {
            "client_id": self.settings.github_oauth_client_id,
            "device_code": device_code,
            "grant_type": "urn:ietf:params:oauth:grant-type:device_code",
        }
        waited = 0
        while waited < flow.expires_in:
            await asyncio.sleep(interval)
            waited += interval
            try:
                answer = await self._post_form("login/oauth/access_token", form)
            except ColabError:
                continue  # a network blip: keep polling until the code expires
            error = answer.get("error")
            if error == "authorization_pending":
                continue
            if error == "slow_down":
                interval += 5
                continue
            if "access_token" in answer:
                try:
                    await self.connect(answer["access_token"])
                    flow.state = "connected"
                except ColabError as failure:
                    flow.state, flow.message = "failed", failure.message
                return
            flow.state = "failed"
            flow.message = {
                "access_denied": "The sign-in was cancelled on GitHub.",
                "expired_token": "The code expired. Start again.",
            }.get(str(error), f"GitHub refused the sign-in ({error}).")
            return
        flow.state, flow.message = "failed", "The code expired. Start again."

    async def _post_form(self, path: str, form: dict[str, str]) -> dict[str, Any]:
        url = f"{self.settings.github_web_url.rstrip('/')}/{path}"
        try:
            response = await AsyncHTTPClient().fetch(
                url,
                method="POST",
                body=urlencode(form),
                headers={
                    "Accept": "application/json",
                    "Content-Type": "application/x-www-form-urlencoded",
                },
                request_timeout=self.settings.github_timeout,
            )
        except (HTTPClientError, OSError) as error:
            raise Unavailable(f"GitHub's sign-in page did not answer ({error}).") from None
        answer = json.loads(response.body or b"{}")
        return answer if isinstance(answer, dict) else {}

    async def close(self) -> None:
        if self.device and self.device.task:
            self.device.task.cancel()


class ConnectedService:
    """Base of the services that act on GitHub as the connected user and on this server's
    notebooks (open, save a copy, gists)."""

    def __init__(self, account: GitHubAccount, local: LocalNotebooks) -> None:
        self.account = account
        self.clients = account.clients
        self.local = local


def missing_scopes(scopes: list[str] | None) -> list[str]:
    """Classic-token scopes colab-ext needs that the token lacks (fine-grained tokens have none
    to list, so nothing is reported missing for them)."""
    if scopes is None:
        return []
    have = {s.strip() for s in scopes}
    return [s for s in SCOPES.split() if s not in have]
