"""Talking to GitHub through PyGithub: one configured client, calls off the event loop, and
GitHub's failures turned into messages a person can act on.

PyGithub is synchronous, so every call runs in this feature's own thread pool. Reads are retried
on 5xx and dropped connections by urllib3; writes are not (a retried POST could create a second
gist or commit): the services check whether a write landed before trying it again.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

import requests
from github import Auth, Github, GithubException, RateLimitExceededException
from urllib3.util.retry import Retry

from ..core.errors import ColabError, Conflict, NotFound, Unavailable
from .settings import GitHubSettings

T = TypeVar("T")


class NotConnected(ColabError):
    """No token: the user must connect first."""

    status = 401

    def __init__(self) -> None:
        super().__init__(
            "colab-ext is not connected to GitHub. Use File > GitHub account… to connect "
            "with a token."
        )


class GitHubClients:
    """Builds PyGithub clients from the admin's settings and runs their calls in a thread pool."""

    def __init__(self, settings: GitHubSettings) -> None:
        self.settings = settings
        self._pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="colab-ext-github")
        #: Called when GitHub refuses the token, so what was known about it is forgotten.
        self.on_unauthorized: Callable[[], None] = lambda: None

    def client(self, token: str) -> Github:
        """A client for ``token`` that retries only reads."""
        retry = Retry(
            total=self.settings.github_retries,
            backoff_factor=0.2,
            status_forcelist=(500, 502, 503, 504),
            allowed_methods=frozenset({"GET", "HEAD"}),
            raise_on_status=False,
        )
        return Github(
            base_url=self.settings.github_api_url.rstrip("/"),
            auth=Auth.Token(token),
            timeout=int(self.settings.github_timeout),
            retry=retry,
            seconds_between_requests=self.settings.github_seconds_between_requests,
            seconds_between_writes=self.settings.github_seconds_between_writes,
            user_agent="colab-ext",
        )

    async def run(self, what: str, func: Callable[[], T], client: Github | None = None) -> T:
        """Run a blocking GitHub call off the loop; GitHub's errors become :class:`ColabError`.
        ``client`` is closed afterwards (its HTTP connections would otherwise linger)."""

        def call() -> T:
            try:
                return func()
            finally:
                if client is not None:
                    client.close()

        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(self._pool, call)
        except ColabError:
            raise
        except GithubException as error:
            if error.status == 401:
                self.on_unauthorized()
            raise github_error(what, error) from None
        except requests.RequestException as error:
            raise Unavailable(
                f"GitHub did not answer while {what} ({type(error).__name__}). Check the "
                "network and try again."
            ) from None

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


def is_transient(error: BaseException) -> bool:
    """A failure after which a write may or may not have happened (5xx, connection lost)."""
    if isinstance(error, GithubException):
        return error.status >= 500
    return isinstance(error, requests.RequestException)


def header(error: GithubException, name: str) -> str | None:
    for key, value in (error.headers or {}).items():
        if key.lower() == name.lower():
            return str(value)
    return None


def github_message(error: GithubException) -> str:
    """GitHub's own words for a failure, with the details of a 422."""
    data = error.data if isinstance(error.data, dict) else {}
    message = str(data.get("message") or error.message or f"HTTP {error.status}")
    details = [
        str(item.get("message") or f"{item.get('field', '?')} is {item.get('code', 'invalid')}")
        for item in data.get("errors") or []
        if isinstance(item, dict)
    ]
    return message + (f" ({'; '.join(details)})" if details else "")


def rate_limit_message(error: GithubException) -> str:
    reset = header(error, "X-RateLimit-Reset")
    retry_after = header(error, "Retry-After")
    if reset and reset.isdigit():
        at = int(reset)
        minutes = max(0, round((at - time.time()) / 60))
        clock = time.strftime("%H:%M UTC", time.gmtime(at))
        when = f"It resets at {clock} (in about {minutes} min)."
    elif retry_after and retry_after.isdigit():
        when = f"Try again in {retry_after} s."
    else:
        when = "Try again in a few minutes."
    return f"GitHub's API rate limit for this token is used up. {when}"


def github_error(what: str, error: GithubException) -> ColabError:
    """The user-facing error for a GitHub failure while doing ``what``."""
    status = error.status
    if status == 401:
        return ColabError(
            "GitHub refused the token (401 Bad credentials): it may have expired or been "
            "revoked. Connect again with a new token.",
            status=401,
        )
    if isinstance(error, RateLimitExceededException) or (
        status in (403, 429) and header(error, "X-RateLimit-Remaining") == "0"
    ):
        return ColabError(rate_limit_message(error), status=429)
    if status == 403:
        return ColabError(
            f"GitHub refused {what}: {github_message(error)}. The token may lack a scope "
            "('repo' for private repositories, 'gist' for gists) or push rights.",
            status=403,
        )
    if status == 404:
        return NotFound(
            f"GitHub found nothing while {what}. Check the owner, repository, branch and path, "
            "and that the token can see the repository if it is private."
        )
    if status == 409:
        return Conflict(
            f"GitHub reports a conflict while {what}: {github_message(error)}. The file or "
            "branch changed meanwhile; reload and try again."
        )
    if status == 422:
        return ColabError(
            f"GitHub rejected {what}: {github_message(error)}.",
            status=422,
        )
    if status >= 500:
        return Unavailable(
            f"GitHub had a problem while {what} (HTTP {status}). Try again in a moment."
        )
    return ColabError(
        f"GitHub answered {status} while {what}: {github_message(error)}.", status=502
    )


def retry_write(write: Callable[[], T], landed: Callable[[], T | None], attempts: int = 2) -> T:
    """Do a write that must happen once: after a transient failure, ask ``landed`` whether it
    happened (returning its result) before trying again."""
    for attempt in range(attempts):
        try:
            return write()
        except Exception as error:
            if not is_transient(error):
                raise
            found = landed()
            if found is not None:
                return found
            if attempt == attempts - 1:
                raise
    raise AssertionError("unreachable")
