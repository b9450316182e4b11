"""A share page renders within a size budget, once per notebook version, off the event loop."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import nbformat
import pytest

MIB = 1 << 20


@pytest.fixture
def colab_config(clock: Any) -> dict[str, Any]:
    return {"share_clock": clock, "share_max_output_mb": 0.25, "share_max_page_mb": 0.5}


def outputs_notebook(root: Path, path: str, outputs: list[dict[str, Any]], **cells: str) -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell(cells.get("markdown", "# Outputs")),
        nbformat.v4.new_code_cell("show()", execution_count=1, outputs=outputs),
    ]
    (root / path).write_text(nbformat.writes(nb))


def text_output(marker: str, size: int) -> dict[str, Any]:
    return nbformat.v4.new_output("stream", name="stdout", text=marker + "x" * size)


def html_table(size: int) -> str:
    rows, total, i = [], 0, 0
    while total < size:
        row = f"<tr><th>{i}</th><td>{i * 0.5}</td><td>value {i}</td></tr>\n"
        rows.append(row)
        total += len(row)
        i += 1
    return '<table class="dataframe"><tbody>' + "".join(rows) + "</tbody></table>"


async def test_an_output_over_budget_is_replaced_by_a_note(
    jp_root_dir: Path, create_link: Any, visit: Any
) -> None:
    outputs_notebook(
        jp_root_dir,
        "big.ipynb",
        [text_output("huge-one", MIB // 2), text_output("small-after", 100)],
    )
    link = await create_link("big.ipynb")
    response = await visit(link["page"])
    assert response.code == 200
    text = response.body.decode()
    assert "huge-one" not in text and len(response.body) < MIB // 2
    assert "This output is too large to show here (0.5 MiB" in text
    assert "Download the .ipynb</a> to see it" in text
    assert "small-after" in text  # the outputs that fit are shown
    # The download has everything.
    saved = json.loads((await visit(link["page"] + "/download")).body)
    assert saved["cells"][1]["outputs"][0]["text"].startswith("huge-one")


async def test_past_the_page_budget_the_rest_is_left_out(
    jp_root_dir: Path, create_link: Any, visit: Any
) -> None:
    # Each fits the 0.25 MiB budget of an output; together they pass the page's 0.5 MiB.
    outputs_notebook(
        jp_root_dir,
        "many.ipynb",
        [text_output(f"part-{i}-", MIB // 5) for i in range(4)] + [text_output("tiny", 10)],
    )
    link = await create_link("many.ipynb")
    text = (await visit(link["page"])).body.decode()
    assert "part-0-" in text and "part-1-" in text
    assert "part-2-" not in text and "part-3-" not in text
    assert text.count("reached its size limit (0.5 MiB in all)") == 2
    assert "tiny" in text  # what still fits is shown


async def test_a_page_is_rendered_once_per_notebook_version(
    notebook: Any, create_link: Any, visit: Any, share_links: Any, jp_fetch: Any
) -> None:
    notebook("kept.ipynb", marker="v1")
    link = await create_link("kept.ipynb")
    renders = share_links.renderer.renders
    first = await visit(link["page"])
    second = await visit(link["page"])
    assert first.code == second.code == 200 and first.body == second.body
    assert share_links.renderer.renders == renders + 1  # the second visit got the kept page
    listed = json.loads((await jp_fetch("colab", "share", "links")).body)["links"]
    assert listed[0]["visits"] == 2  # both visits count

    notebook("kept.ipynb", marker="v2-changed")  # saved again: a new version
    third = (await visit(link["page"])).body.decode()
    assert "output-v2-changed" in third and "output-v1" not in third
    assert share_links.renderer.renders == renders + 2

    await jp_fetch("colab", "share", "links", link["id"], method="DELETE")
    assert (await visit(link["page"])).code == 404  # a kept page never outlives its link


async def test_pages_render_off_the_event_loop_once_for_many_visitors(
    jp_root_dir: Path, notebook: Any, create_link: Any, visit: Any, share_links: Any
) -> None:
    # A table that takes the renderer a few seconds (within budget: no note).
    outputs_notebook(
        jp_root_dir,
        "table.ipynb",
        [nbformat.v4.new_output("display_data", data={"text/html": html_table(MIB // 3)})],
    )
    share_links.budget = type(share_links.budget)(max_item=MIB, max_page=MIB)
    big = await create_link("table.ipynb")
    notebook("small.ipynb", marker="small")
    small = await create_link("small.ipynb")
    renderer = share_links.renderer
    renders = renderer.renders

    visitors = [asyncio.ensure_future(visit(big["page"])) for _ in range(3)]
    # This loop is the server's: if a render ran on it, nothing here would run until it ended.
    while renderer.in_progress == 0:
        await asyncio.sleep(0.005)
    other = await visit(small["page"])
    assert other.code == 200 and "output-small" in other.body.decode()
    assert not any(v.done() for v in visitors), "the big page finished first: make it bigger"

    pages = await asyncio.gather(*visitors)
    assert {p.code for p in pages} == {200}
    assert len({p.body for p in pages}) == 1 and b"value 100" in pages[0].body
    # Three visitors of the big page waited for one render; the small page had its own.
    assert renderer.renders == renders + 2
