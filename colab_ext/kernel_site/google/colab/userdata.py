"""``google.colab.userdata``: read a secret kept in JupyterLab's Secrets panel, as in Colab.

``get(key)`` asks the Jupyter server that started this kernel. The server knows the kernel's
notebook (from its sessions) and answers with the value when that notebook has been granted
access to the secret. When it has not and the notebook is open in a page, the page asks the user
("grant access?"; the kernel announces the request on IOPub, so the page shows it at once) and
this call waits for the answer, up to the server's ``c.ColabExt.secrets_prompt_timeout``.

Standard library (and the running ipykernel, when there is one) only.
"""

from __future__ import annotations

import contextlib
from typing import Any

from . import _iopub, _server
from ._error_base import colab_error_base

_ColabError = colab_error_base()

__all__ = ["NotebookAccessError", "SecretNotFoundError", "TimeoutException", "get"]

#: The IOPub message that tells the page a prompt opened (``state: open``) or closed.
REQUEST_MESSAGE = "colab_ext_secret_request"


class NotebookAccessError(Exception):
    """Exception thrown when the current notebook doesn't have access to the requested secret."""

    def __init__(self, key: str, reason: str = "") -> None:
        message = f"Notebook does not have access to secret {key}"
        super().__init__(f"{message}: {reason}" if reason else message)


class SecretNotFoundError(_ColabError):  # type: ignore[misc,valid-type]
    """Exception thrown when the requested secret is not found."""

    def __init__(self, key: str) -> None:
        super().__init__(f"Secret {key} does not exist.")


class TimeoutException(_ColabError):  # type: ignore[misc,valid-type]
    """Exception thrown when requesting a secret times out."""

    def __init__(self, key: str) -> None:
        super().__init__(f"Requesting secret {key} timed out.")


class _PromptTimedOut(NotebookAccessError, TimeoutException):
    """Nobody answered the prompt in time: both Colab's errors catch it."""

    def __init__(self, key: str) -> None:
        # Exception's own __init__: the two bases would each wrap the message otherwise.
        Exception.__init__(
            self,
            f"Notebook does not have access to secret {key}: nobody answered the prompt to grant "
            "access in time; switch on the notebook access of this secret in the Secrets panel "
            "(the key icon in the left sidebar) and run again",
        )


def _announce(state: str, request: dict[str, Any]) -> None:
    """Tell the pages connected to this kernel that a prompt opened or closed. Best effort: a
    page opened later finds the prompt on the server itself."""
    _iopub.announce(REQUEST_MESSAGE, {"state": state, **request})


def get(key: str) -> str:
    """Fetches the value of the secret ``key`` from the Secrets panel.

    Raises:
      SecretNotFoundError: no secret of that name.
      NotebookAccessError: this notebook has not been granted access to it (and the user did not
        grant it when asked).
    """
    if not isinstance(key, str):
        raise TypeError(f"A secret's name is a str, not {type(key).__name__}.")
    kernel_id = _server.kernel_id()
    proof = {"kernel_id": kernel_id, "kernel_key": _server.kernel_key()}
    answer = _server.call("secrets/kernel/lookup", {**proof, "name": key}, 30)
    if answer.get("state") == "pending":
        answer = _wait(key, kernel_id, answer)
    state = answer.get("state")
    if state == "granted":
        return str(answer.get("value", ""))
    if state == "missing":
        raise SecretNotFoundError(key)
    if state == "timeout":
        raise _PromptTimedOut(key)
    raise NotebookAccessError(key, str(answer.get("reason") or ""))


def _wait(key: str, kernel_id: str, pending: dict[str, Any]) -> dict[str, Any]:
    request = dict(pending.get("request") or {})
    body = {
        "kernel_id": kernel_id,
        "kernel_key": _server.kernel_key(),
        "request_id": request.get("id"),
    }
    _announce("open", request)
    try:
        return _server.call("secrets/kernel/wait", body, float(pending.get("timeout_s", 120)) + 15)
    except _server.ServerTimeout:
        raise _PromptTimedOut(key) from None
    except KeyboardInterrupt:
        with contextlib.suppress(_server.ServerError):
            _server.call("secrets/kernel/wait", {**body, "cancel": True}, 10)
        raise
    finally:
        _announce("closed", request)
