"""Create, open, list, revoke and expire share links through the real server."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest

from tests.core.test_openapi import load_spec, schema_of


async def list_links(jp_fetch: Any) -> dict[str, Any]:
    return json.loads((await jp_fetch("colab", "share", "links")).body)


async def test_a_link_opens_the_notebook_for_a_visitor_without_credentials(
    notebook: Any, create_link: Any, visit: Any, jp_fetch: Any
) -> None:
    notebook("work/analysis.ipynb", marker="m1")
    link = await create_link("work/analysis.ipynb", label="for Bob")
    jsonschema.validate(link, schema_of(load_spec(), "NewShareLink"))
    assert link["active"] and link["visits"] == 0 and link["label"] == "for Bob"
    assert "/colab/share/view/" in link["url"]

    page = await visit(link["page"])
    assert page.code == 200
    assert page.headers["Content-Type"].startswith("text/html")
    text = page.body.decode()
    assert "Notebook m1" in text and "output-m1" in text and "analysis.ipynb" in text

    listed = await list_links(jp_fetch)
    jsonschema.validate(listed, schema_of(load_spec(), "ShareLinkList"))
    (only,) = listed["links"]
    assert only["id"] == link["id"] and only["visits"] == 1 and only["last_visit_at"]
    # The owner's list never carries the token or its hash.
    token = link["page"].rsplit("/", 1)[1]
    assert token not in json.dumps(listed) and "token_sha256" not in only


async def test_the_page_shows_the_notebook_as_saved_at_the_visit(
    notebook: Any, create_link: Any, visit: Any
) -> None:
    notebook("live.ipynb", marker="early7")
    link = await create_link("live.ipynb")
    notebook("live.ipynb", marker="late7")
    text = (await visit(link["page"])).body.decode()
    assert "output-late7" in text and "early7" not in text


async def test_outputs_are_left_out_when_chosen(
    notebook: Any, create_link: Any, visit: Any
) -> None:
    notebook("quiet.ipynb", marker="q")
    link = await create_link("quiet.ipynb", include_outputs=False)
    text = (await visit(link["page"])).body.decode()
    assert "Notebook q" in text and "output-q" not in text
    download = await visit(link["page"] + "/download")
    saved = json.loads(download.body)
    assert saved["cells"][1]["outputs"] == [] and saved["cells"][1]["execution_count"] is None


async def test_the_download_is_the_notebook(notebook: Any, create_link: Any, visit: Any) -> None:
    notebook("dl.ipynb", marker="d")
    link = await create_link("dl.ipynb")
    response = await visit(link["page"] + "/download")
    assert response.code == 200
    assert response.headers["Content-Disposition"] == "attachment; filename*=UTF-8''dl.ipynb"
    saved = json.loads(response.body)
    assert saved["cells"][1]["outputs"][0]["text"] == "output-d\n"
    # The page offers the download by a relative link, so it works behind any proxy.
    assert (
        'href="' + link["page"].rsplit("/", 1)[1] + '/download"'
        in (await visit(link["page"])).body.decode()
    )


async def test_a_revoked_link_is_gone_at_once(
    notebook: Any, create_link: Any, visit: Any, jp_fetch: Any
) -> None:
    notebook("r.ipynb")
    link = await create_link("r.ipynb")
    assert (await visit(link["page"])).code == 200
    response = await jp_fetch("colab", "share", "links", link["id"], method="DELETE")
    revoked = json.loads(response.body)
    assert revoked["active"] is False and revoked["end_reason"] == "revoked"
    for path in (link["page"], link["page"] + "/download"):
        gone = await visit(path)
        assert gone.code == 404
        assert "does not exist, has expired" in gone.body.decode()
    (listed,) = (await list_links(jp_fetch))["links"]
    assert listed["active"] is False and listed["revoked_at"] is not None


async def test_forgetting_a_link_removes_it(notebook: Any, create_link: Any, jp_fetch: Any) -> None:
    notebook("f.ipynb")
    link = await create_link("f.ipynb")
    response = await jp_fetch(
        "colab", "share", "links", link["id"], method="DELETE", params={"forget": "1"}
    )
    assert response.code == 204
    assert (await list_links(jp_fetch))["links"] == []


async def test_revoking_an_unknown_link_is_a_404(jp_fetch: Any) -> None:
    with pytest.raises(Exception) as caught:
        await jp_fetch("colab", "share", "links", "nope", method="DELETE")
    assert caught.value.code == 404  # type: ignore[attr-defined]


async def test_a_link_expires(notebook: Any, create_link: Any, visit: Any, clock: Any) -> None:
    notebook("e.ipynb")
    link = await create_link("e.ipynb", expires_in_s=3600)
    assert link["expires_at"] == pytest.approx(clock.now + 3600)
    clock.advance(3599)
    assert (await visit(link["page"])).code == 200
    clock.advance(2)
    assert (await visit(link["page"])).code == 404
    assert (await visit(link["page"] + "/download")).code == 404


async def test_a_link_without_expiry_keeps_working(
    notebook: Any, create_link: Any, visit: Any, clock: Any
) -> None:
    notebook("forever.ipynb")
    link = await create_link("forever.ipynb", expires_in_s=None)
    clock.advance(5 * 365 * 24 * 3600)
    assert (await visit(link["page"])).code == 200


@pytest.mark.parametrize(
    ("body", "status", "words"),
    [
        ({"path": "../outside.ipynb"}, 400, "inside the server root"),
        ({"path": "/etc/passwd.ipynb"}, 400, "inside the server root"),
        ({"path": "data.csv"}, 400, "Only notebooks"),
        ({"path": "missing.ipynb"}, 404, "no notebook"),
        ({"path": "ok.ipynb", "expires_in_s": -5}, 400, "expires_in_s"),
        ({"path": "ok.ipynb", "include_outputs": "yes"}, 400, "include_outputs"),
        ({}, 400, "path"),
    ],
)
async def test_bad_requests_say_what_is_wrong(
    notebook: Any, jp_fetch: Any, body: dict[str, Any], status: int, words: str
) -> None:
    notebook("ok.ipynb")
    with pytest.raises(Exception) as caught:
        await jp_fetch("colab", "share", "links", method="POST", body=json.dumps(body))
    assert caught.value.code == status  # type: ignore[attr-defined]
    assert words in json.loads(caught.value.response.body)["message"]  # type: ignore[attr-defined]


async def test_a_symlink_out_of_the_root_cannot_be_shared(
    jp_root_dir: Any, tmp_path_factory: Any, jp_fetch: Any
) -> None:
    from tests.share.conftest import write_notebook

    outside = tmp_path_factory.mktemp("outside")
    write_notebook(outside, "secret.ipynb")
    (jp_root_dir / "escape.ipynb").symlink_to(outside / "secret.ipynb")
    with pytest.raises(Exception) as caught:
        await jp_fetch(
            "colab", "share", "links", method="POST", body=json.dumps({"path": "escape.ipynb"})
        )
    assert caught.value.code == 404  # type: ignore[attr-defined]


async def test_a_link_stops_when_its_notebook_becomes_a_symlink_out(
    notebook: Any, jp_root_dir: Any, tmp_path_factory: Any, create_link: Any, visit: Any
) -> None:
    from tests.share.conftest import write_notebook

    notebook("swap.ipynb")
    link = await create_link("swap.ipynb")
    outside = tmp_path_factory.mktemp("outside")
    write_notebook(outside, "secret.ipynb", marker="secret")
    (jp_root_dir / "swap.ipynb").unlink()
    (jp_root_dir / "swap.ipynb").symlink_to(outside / "secret.ipynb")
    response = await visit(link["page"])
    assert response.code == 404 and b"secret" not in response.body
