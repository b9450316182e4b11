"""What a kernel's ``userdata.get`` gets, and the "grant this notebook access?" prompts.

A kernel names itself by its id; the server maps it to its notebook through the sessions
(:class:`..runtime.kernels.KernelDirectory`), so access is per notebook path whatever the kernel
claims about its notebook. When the notebook may not read the secret and a page is connected to
the kernel, a pending :class:`AccessRequest` is recorded: the kernel tells the page on IOPub, the
page (or one opened later, which asks :meth:`SecretGrants.pending`) shows the prompt, and the
kernel waits in :meth:`SecretGrants.wait` for the answer or the timeout.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from ..core.errors import NotFound
from ..runtime.kernels import KernelDirectory
from .store import SecretStore, check_name

#: How the kernel learns what to do (the ``state`` of a lookup or a wait).
GRANTED, MISSING, DENIED, PENDING, TIMEOUT = "granted", "missing", "denied", "pending", "timeout"


@dataclass
class AccessRequest:
    """One notebook asking for one secret, waiting for the user's answer."""

    id: str
    name: str
    notebook: str
    kernel_id: str
    deadline: float
    #: True granted, False refused, None timed out or cancelled.
    answer: asyncio.Future[bool | None] = field(repr=False)

    def public(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "path": self.notebook,
            "kernel_id": self.kernel_id,
        }


class SecretGrants:
    """Answers kernels' lookups and keeps the prompts that wait for the user."""

    def __init__(self, store: SecretStore, kernels: KernelDirectory, prompt_timeout: float) -> None:
        self.store = store
        self.kernels = kernels
        self.prompt_timeout = prompt_timeout
        self._requests: dict[str, AccessRequest] = {}

    async def lookup(self, kernel_id: Any, name: Any) -> dict[str, Any]:
        """What ``userdata.get(name)`` in kernel ``kernel_id`` gets (see the module docstring)."""
        name = check_name(name)
        if not isinstance(kernel_id, str) or not kernel_id:
            return _denied("the kernel did not say which kernel it is")
        try:
            kernel = await self.kernels.get(kernel_id)
        except NotFound:
            return _denied("this kernel is not one of this Jupyter server's kernels")
        if not await asyncio.to_thread(self.store.exists, name):
            return {"state": MISSING}
        notebook = kernel.notebook_path
        if notebook is None:
            return _denied(
                "this kernel serves no notebook (a console or a kernel started on its own), and "
                "access is granted per notebook"
            )
        if await asyncio.to_thread(self.store.has_access, name, notebook):
            return {"state": GRANTED, "value": await asyncio.to_thread(self.store.value, name)}
        if kernel.connections == 0:
            return _denied(
                "no page has this notebook open to ask you; open it in JupyterLab, or switch on "
                f"its access to {name} in the Secrets panel (the key icon in the left sidebar)"
            )
        request = self._open(kernel_id, notebook, name)
        return {
            "state": PENDING,
            "request": request.public(),
            "timeout_s": max(0.0, request.deadline - time.monotonic()),
        }

    def _open(self, kernel_id: str, notebook: str, name: str) -> AccessRequest:
        for request in self._requests.values():
            if (request.kernel_id, request.notebook, request.name) == (kernel_id, notebook, name):
                return request
        request = AccessRequest(
            id=uuid.uuid4().hex,
            name=name,
            notebook=notebook,
            kernel_id=kernel_id,
            deadline=time.monotonic() + self.prompt_timeout,
            answer=asyncio.get_running_loop().create_future(),
        )
        self._requests[request.id] = request
        return request

    def pending(self, notebook: str | None = None) -> list[dict[str, Any]]:
        """The prompts still waiting for the user (for ``notebook`` only, when given)."""
        self._expire()
        return [
            request.public()
            for request in self._requests.values()
            if notebook is None or request.notebook == notebook
        ]

    async def answer(self, request_id: str, grant: Any) -> dict[str, Any]:
        """The user's answer to a prompt: grant (the notebook may read the secret from now on,
        as when its switch is turned on in the panel) or not."""
        self._expire()
        request = self._requests.pop(request_id, None)
        if request is None:
            raise NotFound("That request is no longer waiting (it was answered or timed out).")
        granted = grant is True
        if granted:
            await asyncio.to_thread(self.store.set_access, request.name, request.notebook, True)
        if not request.answer.done():
            request.answer.set_result(granted)
        return {**request.public(), "granted": granted}

    async def wait(self, request_id: str, kernel_id: Any) -> dict[str, Any]:
        """Wait for the user's answer to the kernel's prompt: the value, or why not."""
        request = self._requests.get(request_id)
        if request is None or request.kernel_id != kernel_id:
            return _denied("the request was already answered or timed out")
        try:
            granted = await asyncio.wait_for(
                asyncio.shield(request.answer), max(0.0, request.deadline - time.monotonic())
            )
        except asyncio.TimeoutError:
            self._requests.pop(request_id, None)
            return {"state": TIMEOUT}
        if granted is None:
            return {"state": TIMEOUT}
        if not granted:
            return _denied("you did not grant it access")
        try:
            return {
                "state": GRANTED,
                "value": await asyncio.to_thread(self.store.value, request.name),
            }
        except NotFound:
            return {"state": MISSING}

    def cancel(self, request_id: str, kernel_id: Any) -> None:
        """The kernel stopped waiting (interrupted): the prompt goes away."""
        request = self._requests.get(request_id)
        if request is not None and request.kernel_id == kernel_id:
            del self._requests[request_id]
            if not request.answer.done():
                request.answer.set_result(None)

    def _expire(self) -> None:
        now = time.monotonic()
        for request_id, request in list(self._requests.items()):
            if request.deadline <= now:
                del self._requests[request_id]
                if not request.answer.done():
                    request.answer.set_result(None)

    def close(self) -> None:
        """Server stopping: every waiting kernel gets its answer (no)."""
        for request in self._requests.values():
            if not request.answer.done():
                request.answer.set_result(None)
        self._requests.clear()


def _denied(why: str) -> dict[str, Any]:
    return {"state": DENIED, "reason": why}
