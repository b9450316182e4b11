"""A share page runs no script, opens nothing but its own notebook, and throttles guessing."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import nbformat

from colab_ext.share.throttle import GuessThrottle, client_key

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


async def test_many_wrong_guesses_are_throttled(
    notebook: Any, create_link: Any, visit: Any, clock: Any
) -> None:
    notebook("t.ipynb")
    link = await create_link("t.ipynb")
    view = link["page"].rsplit("/", 1)[0]
    wrong = f"{view}/{'A' * 43}"
    for _ in range(5):  # share_max_failures in these tests
        assert (await visit(wrong)).code == 404
    throttled = await visit(wrong)
    assert throttled.code == 429 and int(throttled.headers["Retry-After"]) > 0
    # While throttled, even the right token is refused: answers teach a guesser nothing.
    assert (await visit(link["page"])).code == 429
    clock.advance(61)
    assert (await visit(link["page"])).code == 200


def test_throttling_counts_each_client_address_apart(clock: Any) -> None:
    # Behind a proxy with trust_xheaders, tornado's remote_ip is the forwarded client address.
    throttle = GuessThrottle(clock, max_failures=3, window_s=60)
    for _ in range(3):
        throttle.failed("203.0.113.9")
    assert throttle.retry_after("203.0.113.9") == 60
    assert throttle.retry_after("198.51.100.7") is None
    clock.advance(30)
    assert throttle.retry_after("203.0.113.9") == 30
    clock.advance(30)
    assert throttle.retry_after("203.0.113.9") is None


def test_ipv6_clients_are_counted_by_their_64_network() -> None:
    assert client_key("2001:db8:1:2:aaaa::1") == client_key("2001:db8:1:2:bbbb::9")
    assert client_key("2001:db8:1:3::1") != client_key("2001:db8:1:2::1")
    assert client_key("203.0.113.9") == "203.0.113.9"
    assert client_key("unknown") == "unknown"


def test_the_throttle_forgets_the_oldest_clients_first(clock: Any) -> None:
    throttle = GuessThrottle(clock, max_failures=1, window_s=60, max_clients=2)
    for client in ("a", "b", "c"):
        throttle.failed(client)
    assert throttle.retry_after("a") is None
    assert throttle.retry_after("b") and throttle.retry_after("c")
