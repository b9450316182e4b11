"""Helpers for the runtime-type tests: the REST calls a browser makes, and the truth from /proc."""

from __future__ import annotations

import json
import os
from typing import Any

from tornado.httpclient import HTTPClientError

H100 = {"name": "NVIDIA H100 80GB HBM3", "uuid": "GPU-h100", "mem_total": 80 << 30, "mem_used": 0}
A100 = {"name": "NVIDIA A100-SXM4-40GB", "uuid": "GPU-a100", "mem_total": 40 << 30, "mem_used": 0}
T4 = {"name": "Tesla T4", "uuid": "GPU-t4", "mem_total": 16 << 30, "mem_used": 0}


async def switch(jp_fetch: Any, kernel_id: str, type_id: Any, **extra: Any) -> dict[str, Any]:
    response = await jp_fetch(
        "colab",
        "runtime",
        "kernels",
        kernel_id,
        "type",
        method="PUT",
        body=json.dumps({"type": type_id, **extra}),
    )
    return json.loads(response.body)


async def refused(jp_fetch: Any, kernel_id: str, body: Any) -> tuple[int, str]:
    """A switch that must fail: its status and message."""
    try:
        await jp_fetch(
            "colab", "runtime", "kernels", kernel_id, "type", method="PUT", body=json.dumps(body)
        )
    except HTTPClientError as error:
        assert error.response is not None
        return error.code, json.loads(error.response.body)["message"]
    raise AssertionError(f"the switch {body} was accepted")


async def current(jp_fetch: Any, kernel_id: str) -> dict[str, Any]:
    response = await jp_fetch("colab", "runtime", "kernels", kernel_id, "type")
    return json.loads(response.body)


async def types(jp_fetch: Any, **params: str) -> dict[str, Any]:
    response = await jp_fetch("colab", "runtime", "types", params=params)
    return json.loads(response.body)


def kernel_pid(serverapp: Any, kernel_id: str) -> int:
    """Straight from jupyter_client, not through colab-ext."""
    return int(serverapp.kernel_manager.get_kernel(kernel_id).provisioner.process.pid)


def proc_environ(serverapp: Any, kernel_id: str) -> dict[str, str]:
    """What the kernel process really runs with, as the OS sees it."""
    with open(f"/proc/{kernel_pid(serverapp, kernel_id)}/environ", "rb") as environ:
        raw = environ.read()
    pairs = (item.split(b"=", 1) for item in raw.split(b"\0") if b"=" in item)
    return {os.fsdecode(key): os.fsdecode(value) for key, value in pairs}
