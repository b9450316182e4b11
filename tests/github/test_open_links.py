"""Open-in links through the real server: the confirmation page, the POST that copies and
redirects, the login round trip, the url form's download, and files never overwritten."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from tornado.httpclient import HTTPResponse
from tornado.httpserver import HTTPServer
from tornado.testing import bind_unused_port
from tornado.web import Application, RequestHandler

from colab_ext.core.errors import ColabError
from colab_ext.github import link_opener
from tests.github.conftest import connect, notebook_bytes, read_notebook, source
from tests.github.fake_github import FakeGitHub

XSRF = "deadbeef"
LINK = "colab/open/github/octo/notebooks/blob/main/nb/analysis.ipynb"


async def get(client: Any, base_url: str, path: str, headers: dict[str, str]) -> HTTPResponse:
    response: HTTPResponse = await client.fetch(
        base_url + path, headers=headers, follow_redirects=False, raise_error=False
    )
    return response


async def post_form(
    client: Any, base_url: str, fields: dict[str, str], headers: dict[str, str]
) -> HTTPResponse:
    """What the confirmation page's form sends: the fields and the XSRF token, as a browser."""
    response: HTTPResponse = await client.fetch(
        base_url + "colab/open",
        method="POST",
        body=urlencode({**fields, "_xsrf": XSRF}),
        headers={**headers, "Cookie": f"_xsrf={XSRF}"},
        follow_redirects=False,
        raise_error=False,
    )
    return response


async def test_the_link_shows_a_confirmation_and_fetches_nothing(
    jp_fetch: Any,
    http_server_client: Any,
    jp_base_url: str,
    jp_auth_header: dict[str, str],
    jp_root_dir: Path,
    fake_github: FakeGitHub,
) -> None:
    await connect(jp_fetch)
    page = await get(http_server_client, jp_base_url, LINK, jp_auth_header)
    assert page.code == 200
    assert page.headers["Content-Type"].startswith("text/html")
    text = page.body.decode()
    assert "octo/notebooks, main/nb/analysis.ipynb" in text
    assert "name='source' value='github/octo/notebooks/blob/main/nb/analysis.ipynb'" in text
    assert "method='post'" in text and 'name="_xsrf"' in text
    assert "default-src 'none'" in page.headers["Content-Security-Policy"]
    assert list(jp_root_dir.glob("*.ipynb")) == []


async def test_confirming_copies_the_notebook_and_opens_it(
    jp_fetch: Any,
    http_server_client: Any,
    jp_base_url: str,
    jp_auth_header: dict[str, str],
    jp_root_dir: Path,
) -> None:
    await connect(jp_fetch)
    fields = {"source": "github/octo/notebooks/blob/main/nb/analysis.ipynb", "folder": ""}
    response = await post_form(http_server_client, jp_base_url, fields, jp_auth_header)
    assert response.code == 303, response.body
    assert response.headers["Location"] == f"{jp_base_url}lab/tree/analysis.ipynb"
    opened = read_notebook(jp_root_dir, "analysis.ipynb")
    assert source(opened) == "1 + 1"
    assert opened["metadata"]["colab_ext"]["github"]["file"]["path"] == "nb/analysis.ipynb"
    assert opened["cells"][0]["outputs"] == []  # only opened: nothing ran

    # The same link again opens the same copy; a different file of that name is kept, and the
    # copy gets a new name.
    again = await post_form(http_server_client, jp_base_url, fields, jp_auth_header)
    assert again.headers["Location"] == f"{jp_base_url}lab/tree/analysis.ipynb"
    (jp_root_dir / "analysis.ipynb").write_bytes(notebook_bytes("'mine'"))
    third = await post_form(http_server_client, jp_base_url, fields, jp_auth_header)
    assert third.headers["Location"] == f"{jp_base_url}lab/tree/analysis-1.ipynb"
    assert source(read_notebook(jp_root_dir, "analysis.ipynb")) == "'mine'"


async def test_a_new_folder_is_created_inside_the_root_only(
    jp_fetch: Any,
    http_server_client: Any,
    jp_base_url: str,
    jp_auth_header: dict[str, str],
    jp_root_dir: Path,
) -> None:
    await connect(jp_fetch)
    fields = {"source": "github/octo/notebooks/blob/main/nb/analysis.ipynb"}
    made = await post_form(
        http_server_client, jp_base_url, {**fields, "folder": "from links/octo"}, jp_auth_header
    )
    assert made.code == 303
    assert made.headers["Location"].endswith("lab/tree/from%20links/octo/analysis.ipynb")
    assert (jp_root_dir / "from links" / "octo" / "analysis.ipynb").is_file()
    for folder in ("../outside", "/etc", "a/../../x"):
        refused = await post_form(
            http_server_client, jp_base_url, {**fields, "folder": folder}, jp_auth_header
        )
        assert refused.code == 400, folder
        assert refused.headers["Content-Type"].startswith("text/html")
    assert not (jp_root_dir.parent / "outside").exists()


async def test_a_gist_link(
    jp_fetch: Any,
    http_server_client: Any,
    jp_base_url: str,
    jp_auth_header: dict[str, str],
    jp_root_dir: Path,
    fake_github: FakeGitHub,
) -> None:
    await connect(jp_fetch)
    fake_github.gists["abc123def456"] = {
        "id": "abc123def456",
        "owner": "someone",
        "public": True,
        "description": "shared",
        "files": {"sub/../evil.ipynb": notebook_bytes("'from a gist'").decode()},
        "created_at": "2026-01-01T00:00:00Z",
        "updated_at": "2026-01-01T00:00:00Z",
        "history": [],
    }
    page = await get(http_server_client, jp_base_url, "colab/open/gist/someone/abc123def456", {})
    assert page.code == 302  # no credentials: to the login page first
    page = await get(
        http_server_client, jp_base_url, "colab/open/gist/someone/abc123def456", jp_auth_header
    )
    assert page.code == 200
    fields = {"source": "gist/someone/abc123def456", "folder": ""}
    response = await post_form(http_server_client, jp_base_url, fields, jp_auth_header)
    assert response.code == 303, response.body
    # A gist's file name becomes one safe name in the chosen folder.
    assert response.headers["Location"] == f"{jp_base_url}lab/tree/sub_.._evil.ipynb"
    assert source(read_notebook(jp_root_dir, "sub_.._evil.ipynb")) == "'from a gist'"


async def test_a_logged_out_link_comes_back_after_login(
    http_server_client: Any, jp_base_url: str, jp_auth_header: dict[str, str]
) -> None:
    link = "colab/open?" + urlencode(
        {"url": "https://raw.githubusercontent.com/octo/notebooks/main/nb/a b.ipynb"}
    )
    login = await get(http_server_client, jp_base_url, link, {})
    assert login.code == 302
    location = urlsplit(login.headers["Location"])
    assert location.path == f"{jp_base_url}login"
    after = parse_qs(location.query)["next"][0]
    assert after == jp_base_url + link  # the whole link, query and all

    token = jp_auth_header["Authorization"].split(" ", 1)[1]
    logged_in = await http_server_client.fetch(
        location.path + "?" + location.query,
        method="POST",
        body=urlencode({"password": token, "_xsrf": XSRF}),
        headers={"Cookie": f"_xsrf={XSRF}"},
        follow_redirects=False,
        raise_error=False,
    )
    assert logged_in.code == 302
    assert logged_in.headers["Location"] == after


async def test_without_github_connected_the_page_says_so(
    http_server_client: Any, jp_base_url: str, jp_auth_header: dict[str, str]
) -> None:
    fields = {"source": "github/octo/notebooks/blob/main/nb/analysis.ipynb", "folder": ""}
    response = await post_form(http_server_client, jp_base_url, fields, jp_auth_header)
    assert response.code == 401
    assert "not connected to GitHub" in response.body.decode()


async def test_a_notebook_over_the_size_limit_is_refused(
    jp_fetch: Any,
    http_server_client: Any,
    jp_base_url: str,
    jp_auth_header: dict[str, str],
    jp_root_dir: Path,
    fake_github: FakeGitHub,
) -> None:
    await connect(jp_fetch)
    huge = notebook_bytes("'" + "x" * 3000 + "'")
    fake_github.repos["octo/notebooks"].commit_files("main", {"huge.ipynb": huge}, "big", None)
    fields = {"source": "github/octo/notebooks/blob/main/huge.ipynb", "folder": ""}
    response = await post_form(http_server_client, jp_base_url, fields, jp_auth_header)
    assert response.code == 400
    assert "more than the 2,000" in response.body.decode()
    assert not (jp_root_dir / "huge.ipynb").exists()


@pytest.fixture
def colab_config(colab_config: dict[str, Any]) -> dict[str, Any]:
    return {**colab_config, "open_max_bytes": 2000}


# The url form: the server's download, refused from hosts not on the list, limited in size.


class _Notebooks(RequestHandler):
    def get(self, name: str) -> None:
        if name == "big.ipynb":
            self.write(b"{" + b" " * 5000 + b"}")
        elif name == "moved.ipynb":
            self.redirect("/nb/small.ipynb")
        elif name == "text.ipynb":
            self.write("not json")
        elif name == "small.ipynb":
            self.write(notebook_bytes("'from a URL'"))
        else:
            self.send_error(404)


@pytest.fixture
def notebook_host() -> Iterator[str]:
    sock, port = bind_unused_port()
    server = HTTPServer(Application([(r"/nb/(.*)", _Notebooks)]))
    server.add_sockets([sock])
    yield f"http://127.0.0.1:{port}"
    server.stop()


async def test_download_is_limited_and_follows_no_redirect(notebook_host: str) -> None:
    assert b"from a URL" in await link_opener.download(f"{notebook_host}/nb/small.ipynb", 2000)
    for name, status in (("big.ipynb", 400), ("moved.ipynb", 502), ("gone.ipynb", 404)):
        with pytest.raises(ColabError) as refused:
            await link_opener.download(f"{notebook_host}/nb/{name}", 2000)
        assert refused.value.status == status, name


async def test_the_url_form_end_to_end(
    notebook_host: str,
    monkeypatch: pytest.MonkeyPatch,
    http_server_client: Any,
    jp_base_url: str,
    jp_auth_header: dict[str, str],
    jp_root_dir: Path,
) -> None:
    fetched: list[str] = []
    real_download = link_opener.download

    async def from_the_test_host(url: str, max_bytes: int) -> bytes:
        # The allow-listed host, served from loopback (https is the parser's rule, tested there).
        fetched.append(url)
        path = urlsplit(url).path.rsplit("/", 1)[1]
        return await real_download(f"{notebook_host}/nb/{path}", max_bytes)

    monkeypatch.setattr(link_opener, "download", from_the_test_host)
    url = "https://raw.githubusercontent.com/octo/notebooks/main/small.ipynb"
    page = await get(http_server_client, jp_base_url, "colab/open?url=" + url, jp_auth_header)
    assert page.code == 200 and fetched == []
    response = await post_form(
        http_server_client, jp_base_url, {"source": f"?url={url}"}, jp_auth_header
    )
    assert response.code == 303, response.body
    opened = read_notebook(jp_root_dir, "small.ipynb")
    assert source(opened) == "'from a URL'"
    assert "colab_ext" not in opened["metadata"]  # no GitHub origin: not read through GitHub
    bad = "https://raw.githubusercontent.com/octo/notebooks/main/text.ipynb"
    response = await post_form(
        http_server_client, jp_base_url, {"source": f"?url={bad}"}, jp_auth_header
    )
    assert response.code == 400 and "not a notebook" in response.body.decode()
    other = "https://evil.example/a.ipynb"
    page = await get(http_server_client, jp_base_url, "colab/open?url=" + other, jp_auth_header)
    assert page.code == 403
    assert fetched == [url, bad]


async def test_the_post_needs_the_xsrf_token_from_a_browser(
    jp_fetch: Any,
    http_server_client: Any,
    jp_base_url: str,
    jp_auth_header: dict[str, str],
    jp_root_dir: Path,
) -> None:
    # A logged-in browser (a cookie session): a cross-site form cannot know the XSRF token.
    await connect(jp_fetch)
    token = jp_auth_header["Authorization"].split(" ", 1)[1]
    login = await http_server_client.fetch(
        jp_base_url + "login",
        method="POST",
        body=urlencode({"password": token, "_xsrf": XSRF}),
        headers={"Cookie": f"_xsrf={XSRF}"},
        follow_redirects=False,
        raise_error=False,
    )
    session = "; ".join(c.split(";", 1)[0] for c in login.headers.get_list("Set-Cookie"))
    fields = {"source": "github/octo/notebooks/blob/main/nb/analysis.ipynb", "folder": ""}
    forged = await http_server_client.fetch(
        jp_base_url + "colab/open",
        method="POST",
        body=urlencode(fields),
        headers={"Cookie": session},
        follow_redirects=False,
        raise_error=False,
    )
    assert forged.code == 403
    assert not (jp_root_dir / "analysis.ipynb").exists()
    confirmed = await http_server_client.fetch(
        jp_base_url + "colab/open",
        method="POST",
        body=urlencode({**fields, "_xsrf": XSRF}),
        headers={"Cookie": f"{session}; _xsrf={XSRF}"},
        follow_redirects=False,
        raise_error=False,
    )
    assert confirmed.code == 303
