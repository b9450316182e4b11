"""The lifetime calls a page makes, and a notebook kernel that may go away under the test."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from typing import Any

from tornado.httpclient import HTTPClientError


async def lifetime(jp_fetch: Any, kernel_id: str) -> dict[str, Any]:
    response = await jp_fetch("colab", "runtime", "kernels", kernel_id, "lifetime")
    return json.loads(response.body)


async def keep(jp_fetch: Any, kernel_id: str) -> dict[str, Any]:
    response = await jp_fetch(
        "colab", "runtime", "kernels", kernel_id, "lifetime", "keep", method="POST", body=""
    )
    return json.loads(response.body)


async def failure(call: Any) -> tuple[int, dict[str, Any]]:
    """A call that must fail: its status and JSON body."""
    try:
        await call
    except HTTPClientError as error:
        assert error.response is not None
        return error.code, json.loads(error.response.body)
    raise AssertionError("the call succeeded")


async def kernel_ids(jp_fetch: Any) -> set[str]:
    response = await jp_fetch("api", "kernels")
    return {kernel["id"] for kernel in json.loads(response.body)}


async def wait_gone(jp_fetch: Any, kernel_id: str, timeout: float = 30) -> None:
    """Until the server no longer lists the kernel (something else shuts it down)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while kernel_id in await kernel_ids(jp_fetch):
        assert loop.time() < deadline, f"kernel {kernel_id} still runs after {timeout} s"
        await asyncio.sleep(0.2)


@asynccontextmanager
async def notebook_kernel(jp_fetch: Any, path: str) -> AsyncIterator[str]:
    """A notebook session's kernel id; the session is deleted on exit, whether or not its
    kernel was shut down meanwhile (then jupyter's delete may fail, and that is fine here)."""
    response = await jp_fetch(
        "api",
        "sessions",
        method="POST",
        body=json.dumps({"path": path, "type": "notebook", "kernel": {"name": "python3"}}),
    )
    session = json.loads(response.body)
    try:
        yield session["kernel"]["id"]
    finally:
        with suppress(HTTPClientError):
            await jp_fetch("api", "sessions", session["id"], method="DELETE")
