"""Real notebook sessions (and their kernels) for tests, through the server's own REST API."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any


@asynccontextmanager
async def notebook_session(
    jp_fetch: Any, path: str, kernel_name: str = "python3"
) -> AsyncIterator[dict[str, Any]]:
    """A session for the notebook at ``path`` with a running kernel; deleted on exit.

    (pytest-jupyter runs async tests but not async fixtures, hence a context manager.)
    """
    response = await jp_fetch(
        "api",
        "sessions",
        method="POST",
        body=json.dumps({"path": path, "type": "notebook", "kernel": {"name": kernel_name}}),
    )
    session = json.loads(response.body)
    try:
        yield session
    finally:
        await jp_fetch("api", "sessions", session["id"], method="DELETE")


async def wait_until_ready(jp_serverapp: Any, kernel_id: str, timeout: float = 60) -> None:
    """Wait for the kernel to answer ``kernel_info``.

    A kernel's process exists before it has installed its SIGINT handler: an interrupt sent
    in that window kills it instead (seen in CI), so tests that interrupt wait for this first.
    """
    client = jp_serverapp.kernel_manager.get_kernel(kernel_id).client()
    client.start_channels()
    try:
        await client.wait_for_ready(timeout=timeout)
    finally:
        client.stop_channels()
