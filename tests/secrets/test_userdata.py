"""``from google.colab import userdata; userdata.get(...)`` in a real kernel, as in Colab."""

from __future__ import annotations

import asyncio
import json
import logging
import stat
from pathlib import Path
from typing import Any

import pytest

from tests.secrets.conftest import run_code
from tests.sessions import notebook_session

VALUE = "hf_s3cr3t-value-never-logged"


async def add(jp_fetch: Any, name: str, value: str, **extra: Any) -> None:
    body = json.dumps({"name": name, "value": value, **extra})
    response = await jp_fetch("colab", "secrets", "names", method="POST", body=body)
    assert response.code == 201


async def grant(jp_fetch: Any, name: str, path: str, granted: bool = True) -> None:
    body = json.dumps({"path": path, "granted": granted})
    await jp_fetch("colab", "secrets", "names", name, "access", method="PUT", body=body)


GET = (
    "from google.colab import userdata\n"
    "try:\n"
    "    print('VALUE', userdata.get({name!r}))\n"
    "except userdata.SecretNotFoundError as e:\n"
    "    print('NOTFOUND', e)\n"
    "except userdata.NotebookAccessError as e:\n"
    "    print('NOACCESS', e)\n"
)


async def test_get_with_access_without_access_and_missing(
    jp_fetch: Any, jp_serverapp: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    await jp_serverapp.extension_manager.start_all_extensions()
    await add(jp_fetch, "HF_TOKEN", VALUE)
    await add(jp_fetch, "OTHER", "other-value", path="nb.ipynb", access=True)
    async with notebook_session(jp_fetch, "nb.ipynb") as session:
        kernel_id = session["kernel"]["id"]
        # No page has the notebook open (this test talks to the kernel over ZMQ), so there is
        # nobody to ask: the error says how to grant access instead.
        out, error = await run_code(jp_serverapp, kernel_id, GET.format(name="HF_TOKEN"))
        assert error is None, out + str(error)
        assert "NOACCESS Notebook does not have access to secret HF_TOKEN" in out
        assert "Secrets panel" in out

        await grant(jp_fetch, "HF_TOKEN", "nb.ipynb")
        out, error = await run_code(jp_serverapp, kernel_id, GET.format(name="HF_TOKEN"))
        assert error is None and out.strip() == f"VALUE {VALUE}", out + str(error)

        out, _ = await run_code(jp_serverapp, kernel_id, GET.format(name="OTHER"))
        assert out.strip() == "VALUE other-value"

        out, _ = await run_code(jp_serverapp, kernel_id, GET.format(name="NO_SUCH"))
        assert out.strip() == "NOTFOUND Secret NO_SUCH does not exist."

        # Uncaught, as a notebook sees them; SecretNotFoundError keeps Colab's base class.
        _, error = await run_code(
            jp_serverapp,
            kernel_id,
            "from google.colab import userdata, errors\n"
            "assert issubclass(userdata.SecretNotFoundError, errors.Error)\n"
            "userdata.get('NO_SUCH')"
            if _has_errors_module()
            else "from google.colab import userdata\nuserdata.get('NO_SUCH')",
        )
        assert error == "SecretNotFoundError: Secret NO_SUCH does not exist."

        await grant(jp_fetch, "HF_TOKEN", "nb.ipynb", granted=False)
        _, error = await run_code(
            jp_serverapp, kernel_id, "from google.colab import userdata\nuserdata.get('HF_TOKEN')"
        )
        assert error and error.startswith("NotebookAccessError: Notebook does not have access")

    # Another notebook never reads what nb.ipynb was granted.
    async with notebook_session(jp_fetch, "other.ipynb") as session:
        out, _ = await run_code(jp_serverapp, session["kernel"]["id"], GET.format(name="OTHER"))
        assert out.startswith("NOACCESS")

    assert VALUE not in caplog.text
    assert "other-value" not in caplog.text


def _has_errors_module() -> bool:
    from tests.secrets.conftest import KERNEL_SITE

    return (KERNEL_SITE / "google" / "colab" / "errors.py").exists()


async def test_the_file_is_owner_only_and_listings_carry_no_value(
    jp_fetch: Any, jp_serverapp: Any, jp_data_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    await add(jp_fetch, "API_KEY", VALUE, path="a/nb.ipynb", access=True)
    path = jp_data_dir / "colab_ext" / "secrets.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700

    listing = await jp_fetch("colab", "secrets", "names", params={"path": "a/nb.ipynb"})
    assert VALUE.encode() not in listing.body
    assert listing.headers["Cache-Control"] == "no-store"
    secrets = json.loads(listing.body)["secrets"]
    assert secrets == [
        {"name": "API_KEY", "access": True, "notebooks": 1, "updated": secrets[0]["updated"]}
    ]
    other = json.loads(
        (await jp_fetch("colab", "secrets", "names", params={"path": "b.ipynb"})).body
    )
    assert other["secrets"][0]["access"] is False

    shown = await jp_fetch("colab", "secrets", "names", "API_KEY", "value")
    assert json.loads(shown.body)["value"] == VALUE

    # Rename keeps access; a new value replaces the old one; the file stays 0600.
    await jp_fetch(
        "colab",
        "secrets",
        "names",
        "API_KEY",
        method="PATCH",
        body=json.dumps({"name": "API_KEY_2", "value": "new-value"}),
    )
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    listing = json.loads(
        (await jp_fetch("colab", "secrets", "names", params={"path": "a/nb.ipynb"})).body
    )
    assert [(s["name"], s["access"]) for s in listing["secrets"]] == [("API_KEY_2", True)]
    await jp_fetch("colab", "secrets", "names", "API_KEY_2", method="DELETE")
    listing = json.loads((await jp_fetch("colab", "secrets", "names")).body)
    assert listing["secrets"] == []
    assert VALUE not in caplog.text and "new-value" not in caplog.text
    assert VALUE not in path.read_text()


@pytest.mark.parametrize(
    "name", ["", "1ABC", "with space", "dash-name", "dot.name", "ünï", "x" * 129]
)
async def test_bad_names_are_refused_with_a_reason(jp_fetch: Any, name: str) -> None:
    from tornado.httpclient import HTTPClientError

    with pytest.raises(HTTPClientError) as raised:
        await add(jp_fetch, name, "v")
    assert raised.value.code == 400
    assert raised.value.response is not None
    message = json.loads(raised.value.response.body)["message"]
    assert "name" in message


async def test_a_taken_name_is_a_conflict(jp_fetch: Any) -> None:
    from tornado.httpclient import HTTPClientError

    await add(jp_fetch, "TOKEN", "one")
    with pytest.raises(HTTPClientError) as raised:
        await add(jp_fetch, "TOKEN", "two")
    assert raised.value.code == 409


@pytest.fixture
def colab_config() -> dict[str, Any]:
    return {"secrets_prompt_timeout": 10.0}


async def _pending(jp_fetch: Any, path: str, timeout: float = 30) -> list[dict[str, Any]]:
    deadline = asyncio.get_running_loop().time() + timeout
    while asyncio.get_running_loop().time() < deadline:
        answer = json.loads(
            (await jp_fetch("colab", "secrets", "requests", params={"path": path})).body
        )
        if answer["requests"]:
            return list(answer["requests"])
        await asyncio.sleep(0.2)
    raise AssertionError("no prompt was recorded")


async def test_a_notebook_open_in_a_page_prompts_and_the_grant_answers_the_waiting_get(
    jp_fetch: Any, jp_serverapp: Any, jp_ws_fetch: Any
) -> None:
    await jp_serverapp.extension_manager.start_all_extensions()
    await add(jp_fetch, "HF_TOKEN", VALUE)
    async with notebook_session(jp_fetch, "prompted.ipynb") as session:
        kernel_id = session["kernel"]["id"]
        # What a JupyterLab page holds while the notebook is open: the kernel's websocket.
        page = await jp_ws_fetch("api", "kernels", kernel_id, "channels")
        try:
            running = asyncio.ensure_future(
                run_code(jp_serverapp, kernel_id, GET.format(name="HF_TOKEN"))
            )
            request = (await _pending(jp_fetch, "prompted.ipynb"))[0]
            assert request["name"] == "HF_TOKEN" and request["path"] == "prompted.ipynb"
            assert "value" not in request
            await jp_fetch(
                "colab",
                "secrets",
                "requests",
                request["id"],
                method="POST",
                body=json.dumps({"grant": True}),
            )
            out, error = await asyncio.wait_for(running, 60)
            assert error is None and out.strip() == f"VALUE {VALUE}", out + str(error)
            # Granted from the prompt is granted from now on, as the panel's switch.
            listing = await jp_fetch("colab", "secrets", "names", params={"path": "prompted.ipynb"})
            assert json.loads(listing.body)["secrets"][0]["access"] is True

            # Refused: NotebookAccessError, and access stays off for another secret.
            await add(jp_fetch, "OTHER", "x")
            running = asyncio.ensure_future(
                run_code(jp_serverapp, kernel_id, GET.format(name="OTHER"))
            )
            request = (await _pending(jp_fetch, "prompted.ipynb"))[0]
            await jp_fetch(
                "colab",
                "secrets",
                "requests",
                request["id"],
                method="POST",
                body=json.dumps({"grant": False}),
            )
            out, _ = await asyncio.wait_for(running, 60)
            assert out.startswith("NOACCESS Notebook does not have access to secret OTHER")
        finally:
            page.close()


async def test_an_unanswered_prompt_times_out_as_notebook_access_error(
    jp_fetch: Any, jp_serverapp: Any, jp_ws_fetch: Any
) -> None:
    await jp_serverapp.extension_manager.start_all_extensions()
    await add(jp_fetch, "SLOW", "v")
    async with notebook_session(jp_fetch, "slow.ipynb") as session:
        kernel_id = session["kernel"]["id"]
        page = await jp_ws_fetch("api", "kernels", kernel_id, "channels")
        try:
            started = asyncio.get_running_loop().time()
            out, _ = await run_code(
                jp_serverapp,
                kernel_id,
                GET.format(name="SLOW")
                + "try:\n    userdata.get('SLOW')\nexcept userdata.TimeoutException:\n"
                "    print('ALSO A TIMEOUT')\n",
            )
            assert out.startswith("NOACCESS Notebook does not have access to secret SLOW")
            assert "ALSO A TIMEOUT" in out
            assert asyncio.get_running_loop().time() - started >= 10
        finally:
            page.close()


async def test_only_the_kernel_itself_reads_values_through_the_kernel_routes(
    jp_fetch: Any, jp_serverapp: Any
) -> None:
    # A page knows the kernel's id and has the user's token; it never has the kernel's message
    # key, so it cannot read a granted secret through the routes userdata.get uses.
    from tornado.httpclient import HTTPClientError

    await jp_serverapp.extension_manager.start_all_extensions()  # the kernels' server file
    async with notebook_session(jp_fetch, "nb.ipynb") as session:
        kernel_id = session["kernel"]["id"]
        await add(jp_fetch, "API_KEY", VALUE, path="nb.ipynb", access=True)
        for route, extra in (("lookup", {"name": "API_KEY"}), ("wait", {"request_id": "x"})):
            for proof in ({}, {"kernel_key": ""}, {"kernel_key": "guessed"}):
                body = json.dumps({"kernel_id": kernel_id, **proof, **extra})
                with pytest.raises(HTTPClientError) as refused:
                    await jp_fetch("colab", "secrets", "kernel", route, method="POST", body=body)
                assert refused.value.code in (400, 403)
                assert VALUE.encode() not in (refused.value.response.body or b"")
        out, error = await run_code(jp_serverapp, kernel_id, GET.format(name="API_KEY"))
    assert error is None and out == f"VALUE {VALUE}\n"  # the kernel itself still does
