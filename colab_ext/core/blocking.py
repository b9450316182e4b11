"""Running calls that may block (drivers, system probes) off the event loop, with a deadline.

A slow or hung driver must never stall JupyterLab: the call runs in a small thread pool of its own,
and the caller gets :class:`~colab_ext.core.errors.Unavailable` when the deadline passes.
A call that never returns keeps its worker, which is why the pool is separate from the
loop's default executor.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from .errors import Unavailable

T = TypeVar("T")

_pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="colab-ext-blocking")


async def call_with_deadline(what: str, func: Callable[[], T], timeout: float) -> T:
    """Run ``func`` in a worker thread and wait at most ``timeout`` seconds for it."""
    loop = asyncio.get_running_loop()
    future = loop.run_in_executor(_pool, func)
    try:
        return await asyncio.wait_for(future, timeout)
    except asyncio.TimeoutError:
        raise Unavailable(f"{what} did not answer within {timeout:g} s.") from None
