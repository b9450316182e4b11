"""Switching a runtime type restarts a kernel with a new environment: it needs Jupyter's own
permissions on kernels, not only ``colab.runtime``."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.permissions import COLAB_ONLY, READER, refused, with_test_users
from tests.runtime.runtime_client import H100, current, kernel_pid, proc_environ
from tests.sessions import notebook_session


@pytest.fixture
def jp_server_config(jp_server_config: dict[str, Any]) -> dict[str, Any]:
    return with_test_users(jp_server_config)


@pytest.mark.parametrize("who", [COLAB_ONLY, READER], ids=["colab-only", "reader"])
async def test_a_switch_needs_jupyters_kernel_permissions(
    who: dict[str, str], jp_serverapp: Any, jp_fetch: Any, nvml: Any
) -> None:
    nvml(gpus=[H100])
    async with notebook_session(jp_fetch, "switch.ipynb") as session:
        kernel_id = session["kernel"]["id"]
        pid, env = kernel_pid(jp_serverapp, kernel_id), proc_environ(jp_serverapp, kernel_id)
        route = ("colab", "runtime", "kernels", kernel_id, "type")
        for restart in (True, False):
            body = json.dumps({"type": "gpu", "restart": restart})
            message = await refused(jp_fetch, *route, method="PUT", body=body, headers=who)
            assert "'write' permission on 'kernels'" in message
        assert kernel_pid(jp_serverapp, kernel_id) == pid  # never restarted
        assert proc_environ(jp_serverapp, kernel_id) == env
        # Nor prepared for the next restart: the kernel is still of no colab-ext type.
        assert (await current(jp_fetch, kernel_id))["type"] is None
        if who is COLAB_ONLY:
            message = await refused(jp_fetch, *route, headers=who)
            assert "'read' permission on 'kernels'" in message
            message = await refused(jp_fetch, "colab", "runtime", "about", headers=who)
            assert "'read' permission on 'kernels'" in message
        else:  # a reader may look
            assert (await jp_fetch(*route, headers=dict(who))).code == 200
