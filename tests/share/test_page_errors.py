"""Share pages fail cleanly: no token in any log line, no traceback for a wrong method, and no
500 for notebooks that JupyterLab opens but nbconvert would refuse."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import nbformat
import pytest

from tests.share.conftest import write_json_notebook


def token_of(link: dict[str, Any]) -> str:
    return str(link["page"].rsplit("/", 1)[1])


def log_lines(caplog: pytest.LogCaptureFixture) -> str:
    """Every record as a handler would write it: message, and traceback when there is one."""
    formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
    return "\n".join(formatter.format(record) for record in caplog.records)


async def test_a_page_that_fails_logs_no_token(
    notebook: Any,
    create_link: Any,
    visit: Any,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from nbconvert.exporters.templateexporter import TemplateExporter

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("template engine exploded")

    # The outside boundary fails (nbconvert), not our code.
    monkeypatch.setattr(TemplateExporter, "from_notebook_node", broken)
    caplog.set_level(logging.DEBUG)
    notebook("boom.ipynb")
    link = await create_link("boom.ipynb")
    response = await visit(link["page"])
    assert response.code == 500
    body = response.body.decode()
    assert "could not be shown" in body and "Traceback" not in body and "exploded" not in body
    logged = log_lines(caplog)
    # The failure is logged, with its traceback, for the admin; the token is not.
    assert "template engine exploded" in logged and "Traceback" in logged
    assert "<token>" in logged
    assert token_of(link) not in logged


async def test_notebooks_nbconvert_refuses_are_shown_as_jupyterlab_shows_them(
    jp_root_dir: Path, create_link: Any, visit: Any
) -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Title-ok\n\n![diagram](attachment:missing.png)"),
        nbformat.v4.new_code_cell("print('code-ok')"),
        nbformat.v4.new_markdown_cell("![fine](attachment:here.png) second-ok"),
    ]
    raw = nbformat.v4.new_raw_cell("raw-ok")
    notebook = dict(nb)
    cells = [dict(cell) for cell in nb.cells] + [dict(raw)]
    cells[0]["id"] = "an id with spaces!"  # nbformat's schema: [a-zA-Z0-9-_]{1,64}
    cells[1]["id"] = cells[3]["id"] = "same-id"  # and unique
    cells[2]["attachments"] = {"here.png": {"image/png": "iVBORw0KGgo="}}
    notebook["cells"] = cells
    notebook["metadata"] = {"language_info": "python"}  # should be an object
    write_json_notebook(jp_root_dir, "odd.ipynb", notebook)

    link = await create_link("odd.ipynb")
    response = await visit(link["page"])
    assert response.code == 200, response.body.decode()[:500]
    text = response.body.decode()
    for shown in ("Title-ok", "code-ok", "second-ok", "raw-ok"):
        assert shown in text
    assert "[Image not loaded: diagram]" in text
    assert 'src="data:image/png;base64,iVBORw0KGgo="' in text
    # The download is the notebook as saved, not the normalised copy.
    saved = (await visit(link["page"] + "/download")).body.decode()
    assert "an id with spaces!" in saved


@pytest.mark.parametrize("method", ["TRACE", "PROPFIND", "POST", "PUT", "DELETE", "OPTIONS"])
async def test_other_methods_get_a_clean_405(
    notebook: Any, create_link: Any, visit: Any, caplog: pytest.LogCaptureFixture, method: str
) -> None:
    notebook("m.ipynb")
    link = await create_link("m.ipynb")
    caplog.set_level(logging.DEBUG)
    for path in (link["page"], link["page"] + "/download"):
        response = await visit(
            path,
            method=method,
            body=None if method in ("TRACE", "OPTIONS") else b"",
            allow_nonstandard_methods=True,
        )
        assert response.code == 405, path
        assert response.headers["Allow"] == "GET, HEAD"
        assert "'none'" in response.headers["Content-Security-Policy"]
    logged = log_lines(caplog)
    assert "Traceback" not in logged and not any(r.exc_info for r in caplog.records)
    assert token_of(link) not in logged


async def test_head_answers_like_get_without_a_body(
    notebook: Any, create_link: Any, visit: Any, share_links: Any
) -> None:
    notebook("h.ipynb")
    link = await create_link("h.ipynb")
    renders = share_links.renderer.renders
    page = await visit(link["page"], method="HEAD")
    assert page.code == 200 and page.body == b""
    assert page.headers["Content-Type"].startswith("text/html")
    assert share_links.renderer.renders == renders  # nothing rendered for a HEAD
    download = await visit(link["page"] + "/download", method="HEAD")
    assert download.code == 200 and download.headers["Content-Type"] == "application/x-ipynb+json"
    gone = await visit(link["page"][:-3] + "AAA", method="HEAD")
    assert gone.code == 404
