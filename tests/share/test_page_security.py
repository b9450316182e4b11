"""A share page runs no script, opens nothing but its own notebook, loads nothing from elsewhere,
and keeps its read-only bar out of the notebook's reach."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import nbformat

HOSTILE_HTML = (
    "<b>bold-ok</b><script>window.pwned = 1</script>"
    "<img src=x onerror='window.pwned = 2'>"
    "<a href='javascript:window.pwned=3'>click</a>"
    "<iframe src='/api/contents'></iframe>"
    "<svg onload='window.pwned=4'></svg>"
    "<form action='/api/kernels' method='post'><input name=x></form>"
)


def hostile_notebook(root: Path, path: str) -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Hostile <script>window.pwned=5</script>"),
        nbformat.v4.new_code_cell(
            "display(HTML(...))",
            outputs=[
                nbformat.v4.new_output("display_data", data={"text/html": HOSTILE_HTML}),
                nbformat.v4.new_output(
                    "display_data",
                    data={"application/javascript": "window.pwned = 6", "text/plain": "<JS>"},
                ),
                nbformat.v4.new_output(
                    "display_data",
                    data={
                        "image/svg+xml": "<svg xmlns='http://www.w3.org/2000/svg'>"
                        "<script>window.pwned=7</script><circle r='4'/></svg>"
                    },
                ),
            ],
        ),
    ]
    nb.metadata["widgets"] = {
        "application/vnd.jupyter.widget-state+json": {"state": {}, "version_major": 2}
    }
    (root / path).write_text(nbformat.writes(nb))


async def test_no_script_from_outputs_reaches_the_page(
    jp_root_dir: Path, create_link: Any, visit: Any
) -> None:
    hostile_notebook(jp_root_dir, "hostile.ipynb")
    link = await create_link("hostile.ipynb")
    response = await visit(link["page"])
    assert response.code == 200
    text = response.body.decode()
    assert "bold-ok" in text  # harmless HTML output is still shown
    assert "pwned" not in text  # not even as text
    assert "<script" not in text.lower()
    assert "<iframe" not in text.lower() and "<form" not in text.lower()
    assert not re.search(r"\son\w+\s*=", text, re.IGNORECASE), "an event handler survived"
    assert "javascript:" not in text.lower()
    # The SVG output is shown as an image, where browsers never run its scripts.
    assert 'src="data:image/svg+xml;base64,' in text


async def test_the_page_forbids_scripts_and_everything_else(
    notebook: Any, create_link: Any, visit: Any
) -> None:
    notebook("h.ipynb")
    link = await create_link("h.ipynb")
    response = await visit(link["page"])
    csp = {
        part.split()[0]: part.split()[1:]
        for part in response.headers["Content-Security-Policy"].split(";")
    }
    assert csp["default-src"] == ["'none'"] and csp["script-src"] == ["'none'"]
    assert "allow-scripts" not in csp["sandbox"] and "allow-same-origin" not in csp["sandbox"]
    assert csp["frame-ancestors"] == ["'none'"] and csp["form-action"] == ["'none'"]
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    # The 404 page is as strict.
    gone = await visit(link["page"][:-3] + "AAA")
    assert gone.code == 404 and "'none'" in gone.headers["Content-Security-Policy"]


async def test_every_trick_on_the_page_url_is_a_404(
    notebook: Any, create_link: Any, visit: Any, clock: Any
) -> None:
    notebook("shared.ipynb", marker="mine")
    notebook("other.ipynb", marker="theirs")
    link = await create_link("shared.ipynb")
    page = link["page"]
    token = page.rsplit("/", 1)[1]
    view = page.rsplit("/", 1)[0]
    tricks = [
        f"{view}/{token[:-1]}",  # a wrong token
        f"{view}/{token}x",
        f"{view}/{token.upper() if token.upper() != token else token.lower()}",
        f"{view}/",
        f"{page}/../other.ipynb",
        f"{page}/..%2Fother.ipynb",
        f"{page}%2F..%2Fother.ipynb",
        f"{page}%2Fdownload",
        f"{page}/other.ipynb",
        f"{page}/download/../../other.ipynb",
        f"{page}/download%2F..%2F..%2Fother.ipynb",
        f"{view}/other.ipynb",
        f"{view}/shared.ipynb",
        f"{view}/..%2F..%2F..%2Fapi%2Fcontents",
        f"{view}/{token}/api/contents",
        f"{view}/{token}/files/other.ipynb",
        f"{view}/%00{token}",
        f"{page}?path=other.ipynb",
    ]
    for url in tricks:
        clock.advance(61)  # each trick on its own, not throttled by the ones before
        try:
            response = await visit(url)
        except Exception as error:
            raise AssertionError(f"{url}: {error}") from error
        body = response.body.decode(errors="replace")
        assert "theirs" not in body, url
        if url.endswith("?path=other.ipynb"):
            # A query string is ignored: the page is still only the shared notebook.
            assert response.code == 200 and "mine" in body
            continue
        assert "mine" not in body, url
        if response.code in (302, 200) and _is_login(response, url):
            # Not a share route at all: jupyter_server answers with its login, as for any
            # unknown URL without credentials.
            continue
        assert response.code == 404, f"{url} -> {response.code}"


def _is_login(response: Any, url: str) -> bool:
    location = response.headers.get("Location", "")
    # jupyter_server drops a trailing slash by a redirect (to an unknown URL: its login again).
    trailing = url.endswith("/") and location == url.rstrip("/")
    return "/login" in location or "/login" in response.effective_url or trailing


async def test_the_token_opens_no_api(
    notebook: Any, create_link: Any, visit: Any, jp_base_url: str
) -> None:
    notebook("s.ipynb")
    link = await create_link("s.ipynb")
    token = link["page"].rsplit("/", 1)[1]
    for api in ("api/contents", "api/kernels", "api/sessions", "colab/share/links"):
        for how in (
            {"headers": {"Authorization": f"token {token}"}},
            {"headers": {}, "query": f"?token={token}"},
        ):
            url = f"{jp_base_url}{api}{how.get('query', '')}"
            response = await visit(url, headers=how["headers"])
            assert response.code == 403, f"{api} with the link token -> {response.code}"


def html_notebook(root: Path, path: str, markdown: str, html: str) -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell(markdown),
        nbformat.v4.new_code_cell(
            "HTML(...)", outputs=[nbformat.v4.new_output("display_data", data={"text/html": html})]
        ),
    ]
    (root / path).write_text(nbformat.writes(nb))


async def test_a_notebook_cannot_hide_cover_or_fake_the_read_only_bar(
    jp_root_dir: Path, create_link: Any, visit: Any
) -> None:
    html_notebook(
        jp_root_dir,
        "bar.ipynb",
        "<style>header { opacity: 0.01 }</style>md-ok",
        "<style>.colab-share-bar { visibility: hidden !important }</style>"
        "<div class='colab-share-bar'>Log in again to keep reading</div>"
        "<div style='position: fixed; z-index: 99999; top: 0; height: 100px'>cover-me</div>"
        "<b>html-ok</b>",
    )
    link = await create_link("bar.ipynb")
    text = (await visit(link["page"])).body.decode()
    assert "md-ok" in text and "html-ok" in text and "Log in again" in text
    # The notebook's style sheets are gone, content and all.
    assert "visibility: hidden !important" not in text and "opacity: 0.01" not in text
    # Only the page's own bar has the bar's class; the fake one is plain text.
    assert text.count('class="colab-share-bar"') == 1
    # Nothing the notebook writes can be positioned over the bar, which is above everything.
    (cover,) = re.findall(r"<div[^>]*>cover-me", text)
    assert "position" not in cover and "z-index" not in cover and "height: 100px" in cover
    assert "z-index: 2147483647" in text


async def test_remote_images_are_not_loaded(
    jp_root_dir: Path, create_link: Any, visit: Any
) -> None:
    html_notebook(
        jp_root_dir,
        "img.ipynb",
        "![tracking pixel](https://tracker.example/md.png)",
        "<img src='https://tracker.example/out.png' alt='chart'>"
        "<img src='data:image/png;base64,iVBORw0KGgo=' alt='inline'>",
    )
    link = await create_link("img.ipynb")
    response = await visit(link["page"])
    text = response.body.decode()
    images = re.findall(r"<img\b[^>]*>", text)
    assert images and all('src="data:' in image for image in images), images
    # Each remote image is a link the visitor may follow, saying it was not loaded.
    assert (
        '<a href="https://tracker.example/md.png" rel="noopener noreferrer nofollow"'
        ' class="colab-share-remote-image">[Image not loaded: tracking pixel]</a>' in text
    )
    assert 'href="https://tracker.example/out.png"' in text and "[Image not loaded: chart]" in text
    policy = response.headers["Content-Security-Policy"]
    csp = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert csp["img-src"] == "data:"
