"""A link follows its notebook through renames made in JupyterLab and stops when it is deleted."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Any


async def eventually(check: Callable[[], Awaitable[bool]], timeout: float = 5.0) -> None:
    """Wait for ``check`` (event listeners run as tasks after the REST call has answered)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not await check():
        assert asyncio.get_running_loop().time() < deadline, "the link did not follow in time"
        await asyncio.sleep(0.05)


async def link_paths(jp_fetch: Any) -> dict[str, tuple[str, bool]]:
    body = json.loads((await jp_fetch("colab", "share", "links")).body)
    return {link["id"]: (link["path"], link["active"]) for link in body["links"]}


async def rename(jp_fetch: Any, old: str, new: str) -> None:
    await jp_fetch("api", "contents", old, method="PATCH", body=json.dumps({"path": new}))


async def test_a_link_follows_a_rename(
    notebook: Any, create_link: Any, visit: Any, jp_fetch: Any
) -> None:
    notebook("draft.ipynb", marker="renamed1")
    link = await create_link("draft.ipynb")
    await rename(jp_fetch, "draft.ipynb", "final.ipynb")

    async def followed() -> bool:
        return (await link_paths(jp_fetch))[link["id"]] == ("final.ipynb", True)

    await eventually(followed)
    page = await visit(link["page"])
    assert page.code == 200 and "output-renamed1" in page.body.decode()
    # A new notebook at the old name is not what was shared.
    notebook("draft.ipynb", marker="impostor")
    assert "impostor" not in (await visit(link["page"])).body.decode()


async def test_a_link_follows_its_folder_being_renamed(
    notebook: Any, create_link: Any, visit: Any, jp_fetch: Any
) -> None:
    notebook("project/deep/nb.ipynb", marker="folder1")
    notebook("projectile.ipynb", marker="sibling")
    inside = await create_link("project/deep/nb.ipynb")
    beside = await create_link("projectile.ipynb")
    await rename(jp_fetch, "project", "project-2024")

    async def followed() -> bool:
        return (await link_paths(jp_fetch))[inside["id"]][0] == "project-2024/deep/nb.ipynb"

    await eventually(followed)
    assert (await link_paths(jp_fetch))[beside["id"]][0] == "projectile.ipynb"
    assert "output-folder1" in (await visit(inside["page"])).body.decode()


async def test_deleting_the_notebook_stops_the_link(
    notebook: Any, create_link: Any, visit: Any, jp_fetch: Any
) -> None:
    notebook("gone.ipynb", marker="gone1")
    link = await create_link("gone.ipynb")
    await jp_fetch("api", "contents", "gone.ipynb", method="DELETE")

    async def stopped() -> bool:
        return (await link_paths(jp_fetch))[link["id"]] == ("gone.ipynb", False)

    await eventually(stopped)
    assert (await visit(link["page"])).code == 404
    listed = json.loads((await jp_fetch("colab", "share", "links")).body)["links"]
    assert listed[0]["end_reason"] == "deleted"
    # A new notebook of the same name later does not bring the link back.
    notebook("gone.ipynb", marker="reborn")
    assert (await visit(link["page"])).code == 404


async def test_deleting_a_folder_stops_the_links_inside(
    notebook: Any, create_link: Any, visit: Any, jp_fetch: Any, jp_root_dir: Any
) -> None:
    notebook("old/a.ipynb")
    link = await create_link("old/a.ipynb")
    (jp_root_dir / "old" / "a.ipynb").unlink()  # the contents API deletes empty folders only
    await jp_fetch("api", "contents", "old", method="DELETE")

    async def stopped() -> bool:
        return not (await link_paths(jp_fetch))[link["id"]][1]

    await eventually(stopped)


async def test_a_notebook_deleted_outside_jupyterlab_answers_404(
    notebook: Any, create_link: Any, visit: Any, jp_root_dir: Any, jp_fetch: Any
) -> None:
    notebook("rm.ipynb")
    link = await create_link("rm.ipynb")
    (jp_root_dir / "rm.ipynb").unlink()  # e.g. `rm` in a terminal: no event, but nothing to show
    assert (await visit(link["page"])).code == 404
    # A visit that showed nothing is not counted.
    listed = json.loads((await jp_fetch("colab", "share", "links")).body)["links"]
    assert listed[0]["visits"] == 0
