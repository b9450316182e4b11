"""The fake's Google OAuth 2.0 endpoints: the consent page, the token endpoint (authorization
code with PKCE, refresh, a service account's JWT assertion) and revoke."""

from __future__ import annotations

import base64
import hashlib
import html
import re
import secrets
import urllib.parse
from typing import Any

from tests.drive.fake_http import FakeRequestHandler

_PKCE_SAFE = re.compile(r"^[A-Za-z0-9\-._~]{43,128}$")


class OAuthEndpoints(FakeRequestHandler):
    """``/o/oauth2/auth``, ``/o/oauth2/approve``, ``/token`` and ``/revoke``."""

    def _consent(self) -> None:
        q = self.query
        if q.get("client_id") != self.fake.client_id:
            return self._json({"error": "invalid_client"}, 401)
        if q.get("code_challenge_method") != "S256" or not q.get("code_challenge"):
            return self._json({"error": "invalid_request", "error_description": "PKCE"}, 400)
        approve = "/o/oauth2/approve?" + urllib.parse.urlencode(q)
        page = (
            "<!doctype html><title>Sign in - Google Accounts (fake)</title>"
            f"<h1>Fake Google</h1><p>colab-ext wants to see and edit your Drive as "
            f"{html.escape(self.fake.email)}.</p>"
            f'<a id="allow" href="{html.escape(approve)}">Allow</a>'
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(page)))
        self.end_headers()
        self.wfile.write(page)

    def _approve(self) -> None:
        q = self.query
        code = secrets.token_urlsafe(16)
        self.fake.codes[code] = {
            "challenge": q["code_challenge"],
            "redirect_uri": q["redirect_uri"],
            "client_id": q["client_id"],
        }
        target = (
            q["redirect_uri"] + "?" + urllib.parse.urlencode({"state": q["state"], "code": code})
        )
        self._empty(302, {"Location": target})

    def _token(self) -> None:
        form = {k: v[-1] for k, v in urllib.parse.parse_qs(self._body().decode()).items()}
        if form.get("grant_type") == "urn:ietf:params:oauth:grant-type:jwt-bearer":
            # A service account's signed assertion (the fake trusts the signature).
            self.fake.assertions.append(form.get("assertion", ""))
            return self._json(self._issue(None))
        client_id, client_secret = form.get("client_id"), form.get("client_secret")
        basic = self.headers.get("Authorization", "")
        if basic.startswith("Basic "):
            client_id, _, client_secret = base64.b64decode(basic[6:]).decode().partition(":")
        if (client_id, client_secret) != (self.fake.client_id, self.fake.client_secret):
            return self._json({"error": "invalid_client"}, 401)
        grant = form.get("grant_type")
        if grant == "authorization_code":
            issued = self.fake.codes.pop(form.get("code", ""), None)
            verifier = form.get("code_verifier", "")
            if issued is None or issued["redirect_uri"] != form.get("redirect_uri"):
                return self._json({"error": "invalid_grant"}, 400)
            digest = hashlib.sha256(verifier.encode()).digest()
            challenge = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
            if not _PKCE_SAFE.match(verifier) or challenge != issued["challenge"]:
                return self._json({"error": "invalid_grant", "error_description": "PKCE"}, 400)
            refresh = secrets.token_urlsafe(24)
            self.fake.refresh_tokens.add(refresh)
            return self._json(self._issue(refresh))
        if grant == "refresh_token":
            if form.get("refresh_token") not in self.fake.refresh_tokens:
                return self._json({"error": "invalid_grant", "error_description": "revoked"}, 400)
            return self._json(self._issue(None))
        return self._json({"error": "unsupported_grant_type"}, 400)

    def _issue(self, refresh: str | None) -> dict[str, Any]:
        access = "ya29." + secrets.token_urlsafe(24)
        self.fake.access_tokens.add(access)
        answer: dict[str, Any] = {
            "access_token": access,
            "expires_in": self.fake.token_lifetime_s,
            "token_type": "Bearer",
            "scope": "https://www.googleapis.com/auth/drive",
        }
        if refresh:
            answer["refresh_token"] = refresh
        return answer

    def _revoke(self) -> None:
        body = {k: v[-1] for k, v in urllib.parse.parse_qs(self._body().decode()).items()}
        token = self.query.get("token") or body.get("token", "")
        self.fake.refresh_tokens.discard(token)
        self.fake.access_tokens.discard(token)
        if token.startswith("ya29."):
            return self._json({})
        # Revoking a refresh token ends every access token issued from it.
        self.fake.access_tokens.clear()
        self._json({})
