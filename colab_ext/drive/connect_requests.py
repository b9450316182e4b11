"""``drive.mount()`` calls in kernels that wait for the user to connect Google Drive.

As in Colab, a notebook that mounts Drive before it is connected asks the user in the page (the
kernel announces the request on IOPub, see ``kernel_site/google/colab/drive.py``) and waits for
the answer: connected (the OAuth callback completed, for anyone: the server has one Drive
connection) or declined ("No thanks" in the page). Each request from the kernel is held at most
``c.ColabExt.drive_connect_wait_s`` and then asked again, so no request is held open for long and
the stop button ends the wait at once.
"""

from __future__ import annotations

import asyncio
import re
from collections import OrderedDict
from typing import Literal

from ..core.errors import BadRequest

#: Declines remembered before (or without) a waiting call: a bounded few.
REMEMBERED = 256

Answer = Literal["connected", "declined", "waiting"]

# The 409 messages: google/colab/drive.py in kernels tells them apart by these words.
NOT_CONNECTED = "Connect to Google Drive before mounting it."
DECLINED = "The user declined to connect Google Drive (No thanks)."
STILL_WAITING = "Still waiting for Google Drive to be connected; ask again."


#: What the kernel makes (``uuid4().hex``); anything else is refused.
REQUEST_ID = re.compile(r"[0-9a-f]{32}")


def valid_request_id(request_id: str) -> str:
    """``request_id`` if it is one a kernel makes, else a 400."""
    if not REQUEST_ID.fullmatch(request_id):
        raise BadRequest("A connect request id is 32 lowercase hexadecimal characters.")
    return request_id


class ConnectRequests:
    """The waiting requests, by the id the kernel made for each (random, unguessable)."""

    def __init__(self) -> None:
        self._waiting: dict[str, asyncio.Future[Answer]] = {}
        self._declined: OrderedDict[str, None] = OrderedDict()

    async def wait(self, request_id: str, is_connected: bool, wait_s: float) -> Answer:
        """What became of ``request_id`` within ``wait_s`` seconds."""
        if request_id in self._declined:
            return "declined"
        if is_connected:
            return "connected"
        future = self._waiting.get(request_id)
        if future is None or future.done():
            future = asyncio.get_running_loop().create_future()
            self._waiting[request_id] = future
        try:
            return await asyncio.wait_for(asyncio.shield(future), wait_s)
        except TimeoutError:
            return "waiting"
        finally:
            if future.done():
                self._waiting.pop(request_id, None)

    def decline(self, request_id: str) -> None:
        """The user said no: the waiting call (now or next) fails with Colab's error."""
        self._declined[request_id] = None
        while len(self._declined) > REMEMBERED:
            self._declined.popitem(last=False)
        self._answer(request_id, "declined")

    def connected(self) -> None:
        """Drive is connected now: every waiting ``drive.mount()`` goes on."""
        for request_id in list(self._waiting):
            self._answer(request_id, "connected")

    def _answer(self, request_id: str, answer: Answer) -> None:
        future = self._waiting.pop(request_id, None)
        if future is not None and not future.done():
            future.set_result(answer)
