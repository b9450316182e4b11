"""An admin's maximum lifetime per runtime type, enforced by colab-ext; extending it once; and
who may read or keep a kernel's lifetime."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from traitlets import TraitError
from traitlets.config import Config

from colab_ext.app import ColabExt
from tests.permissions import COLAB_ONLY, READER, refused, with_test_users
from tests.runtime.lifetime_client import (
    failure,
    keep,
    kernel_ids,
    lifetime,
    notebook_kernel,
    wait_gone,
)

MAX_S = 8


@pytest.fixture
def colab_config() -> dict[str, Any]:
    return {
        "default_runtime_type": "cpu",  # a notebook that asks for nothing runs as 'cpu'
        "runtime_max_lifetime_s": {"cpu": MAX_S},
        "runtime_lifetime_warning_s": 30,
        "runtime_lifetime_extendable": True,
        "runtime_lifetime_check_s": 0.5,
    }


@pytest.fixture
def jp_server_config(jp_server_config: dict[str, Any]) -> dict[str, Any]:
    return with_test_users(jp_server_config)


async def test_max_lifetime_extends_once_then_shuts_down_with_the_reason(
    jp_serverapp: Any, jp_fetch: Any
) -> None:
    await jp_serverapp.extension_manager.start_all_extensions()
    async with notebook_kernel(jp_fetch, "short.ipynb") as kernel_id:
        view = await lifetime(jp_fetch, kernel_id)
        assert (view["type"], view["max_lifetime_s"]) == ("cpu", MAX_S)
        assert 0 < view["lifetime_ends_in_s"] <= MAX_S
        # The culler is off on this server: no idle shutdown to announce.
        assert view["idle_shutdown_in_s"] is None and view["idle_timeout_s"] is None
        assert view["can_extend"] is True and view["can_keep"] is True

        kept = await keep(jp_fetch, kernel_id)  # within the 30 s warning: extends, once
        assert kept["extended"] is True and kept["can_extend"] is False
        assert kept["can_keep"] is False
        assert MAX_S < kept["lifetime_ends_in_s"] <= 2 * MAX_S
        status, body = await failure(keep(jp_fetch, kernel_id))
        assert status == 409
        assert (
            "Nothing would shut this kernel down that keeping it could put off" in body["message"]
        )

        await wait_gone(jp_fetch, kernel_id, timeout=3 * MAX_S)
        status, body = await failure(lifetime(jp_fetch, kernel_id))
        assert status == 404 and body["gone_reason"] == "lifetime"
        assert "cpu runtimes may run 8 s at most on this server (extended once)." in body["message"]
        assert kernel_id not in await kernel_ids(jp_fetch)


async def test_a_kernel_without_a_limit_is_left_alone(jp_serverapp: Any, jp_fetch: Any) -> None:
    await jp_serverapp.extension_manager.start_all_extensions()
    # Started straight through jupyter's kernels API: no runtime type, so no maximum.
    response = await jp_fetch("api", "kernels", method="POST", body="{}")
    kernel_id = json.loads(response.body)["id"]
    try:
        view = await lifetime(jp_fetch, kernel_id)
        assert view["type"] is None and view["lifetime_ends_in_s"] is None
        assert view["can_keep"] is False
        status, _ = await failure(keep(jp_fetch, kernel_id))
        assert status == 409
        await asyncio.sleep(1.5)  # a few checks go by
        assert kernel_id in await kernel_ids(jp_fetch)
    finally:
        await jp_fetch("api", "kernels", kernel_id, method="DELETE")


async def test_reading_needs_kernel_read_and_keeping_kernel_write(
    jp_serverapp: Any, jp_fetch: Any
) -> None:
    async with notebook_kernel(jp_fetch, "who.ipynb") as kernel_id:
        route = ("colab", "runtime", "kernels", kernel_id, "lifetime")
        message = await refused(jp_fetch, *route, headers=COLAB_ONLY)
        assert "'read' permission on 'kernels'" in message
        assert (await jp_fetch(*route, headers=dict(READER))).code == 200
        message = await refused(jp_fetch, *route, "keep", method="POST", body="", headers=READER)
        assert "'write' permission on 'kernels'" in message
        assert (await lifetime(jp_fetch, kernel_id))["extended"] is False  # nothing was kept


def test_a_limit_for_an_unknown_type_or_not_above_zero_is_refused() -> None:
    app = ColabExt(config=Config({"ColabExt": {"runtime_max_lifetime_s": {"gpu-x": 60}}}))
    with pytest.raises(TraitError, match="runtime_max_lifetime_s names gpu-x, which is not"):
        app.check_default_runtime_type()
    with pytest.raises(TraitError, match=r"runtime_max_lifetime_s\['cpu'\] is 0"):
        ColabExt(config=Config({"ColabExt": {"runtime_max_lifetime_s": {"cpu": 0}}}))
