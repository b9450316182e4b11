"""GitHub failing: every fault gives a clear message, and a retried write lands exactly once."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from tests.github.conftest import TOKEN, call, connect, notebook_bytes, write_notebook
from tests.github.fake_github import FakeGitHub
from tests.github.test_save import save_body

PUT_FILE = r"/repos/octo/notebooks/contents/saved/work\.ipynb"


def commits_on_main(fake: FakeGitHub) -> int:
    return len(fake.repos["octo/notebooks"].history("main"))


@pytest.mark.parametrize(
    "fault",
    [
        {"status": 502, "when": "after"},
        {"drop": True, "when": "after"},
        {"status": 502, "when": "before"},
        {"drop": True, "when": "before"},
    ],
    ids=["5xx-after-write", "dropped-after-write", "5xx-before-write", "dropped-before-write"],
)
async def test_a_commit_whose_answer_is_lost_lands_once(
    fault: dict[str, Any], jp_fetch: Any, jp_root_dir: Path, fake_github: FakeGitHub
) -> None:
    write_notebook(jp_root_dir, "work.ipynb")
    await connect(jp_fetch)
    before = commits_on_main(fake_github)
    fake_github.fail("PUT", PUT_FILE, **fault)
    status, answer = await call(jp_fetch, "POST", "save", save_body())
    assert status == 200, answer
    assert commits_on_main(fake_github) == before + 1
    repo = fake_github.repos["octo/notebooks"]
    assert answer["commit_sha"] == repo.branches["main"]
    expected_puts = 1 if fault["when"] == "after" else 2
    assert fake_github.count("PUT", PUT_FILE) == expected_puts


async def test_a_large_commit_whose_ref_update_is_lost_lands_once(
    jp_fetch: Any, jp_root_dir: Path, fake_github: FakeGitHub
) -> None:
    write_notebook(jp_root_dir, "work.ipynb", notebook_bytes("z" * (1024 * 1024 + 1)))
    await connect(jp_fetch)
    before = commits_on_main(fake_github)
    fake_github.fail("PATCH", r"/repos/octo/notebooks/git/refs/heads/main", drop=True, when="after")
    status, answer = await call(jp_fetch, "POST", "save", save_body())
    assert status == 200, answer
    assert commits_on_main(fake_github) == before + 1
    assert fake_github.count("POST", r"/repos/octo/notebooks/git/commits") == 1


@pytest.mark.parametrize(
    "fault",
    [{"status": 502, "when": "after"}, {"drop": True, "when": "after"}, {"status": 503}],
    ids=["5xx-after-create", "dropped-after-create", "5xx-before-create"],
)
async def test_a_gist_whose_answer_is_lost_is_made_once(
    fault: dict[str, Any], jp_fetch: Any, jp_root_dir: Path, fake_github: FakeGitHub
) -> None:
    write_notebook(jp_root_dir, "share.ipynb")
    await connect(jp_fetch)
    fake_github.fail("POST", r"/gists", **fault)
    status, answer = await call(jp_fetch, "POST", "gist", {"path": "share.ipynb", "public": True})
    assert status == 200, answer
    assert list(fake_github.gists) == [answer["id"]]


async def test_a_gist_update_whose_answer_is_lost_is_not_repeated(
    jp_fetch: Any, jp_root_dir: Path, fake_github: FakeGitHub
) -> None:
    write_notebook(jp_root_dir, "share.ipynb")
    await connect(jp_fetch)
    body = {"path": "share.ipynb", "public": True}
    first = (await call(jp_fetch, "POST", "gist", body))[1]
    fake_github.fail("PATCH", r"/gists/.*", drop=True, when="after")
    status, again = await call(jp_fetch, "POST", "gist", body)
    assert status == 200 and again["id"] == first["id"]
    assert len(fake_github.gists) == 1
    assert fake_github.count("PATCH", r"/gists/.*") == 1


async def test_github_down_is_a_clear_error_and_nothing_is_made(
    jp_fetch: Any, jp_root_dir: Path, fake_github: FakeGitHub
) -> None:
    write_notebook(jp_root_dir, "share.ipynb")
    await connect(jp_fetch)
    fake_github.fail("POST", r"/gists", status=503, times=5)
    status, answer = await call(jp_fetch, "POST", "gist", {"path": "share.ipynb", "public": True})
    assert status == 503
    assert "Try again" in answer["message"]
    assert fake_github.gists == {}


async def test_reads_are_retried_after_a_5xx_or_a_dropped_connection(
    jp_fetch: Any, jp_root_dir: Path, fake_github: FakeGitHub
) -> None:
    await connect(jp_fetch)
    fake_github.fail("GET", r"/repos/octo/notebooks", status=502)
    fake_github.fail("GET", r"/repos/octo/notebooks/contents/.*", drop=True)
    url = "https://github.com/octo/notebooks/blob/main/nb/analysis.ipynb"
    status, answer = await call(jp_fetch, "POST", "open", {"url": url, "folder": ""})
    assert status == 200, answer


async def test_rate_limit_says_when_it_resets(jp_fetch: Any, fake_github: FakeGitHub) -> None:
    await connect(jp_fetch)
    reset = int(time.time()) + 600
    fake_github.rate_limit("GET", r"/repos/octo/notebooks", reset)
    url = "https://github.com/octo/notebooks/blob/main/nb/analysis.ipynb"
    status, answer = await call(jp_fetch, "POST", "open", {"url": url, "folder": ""})
    assert status == 429
    clock = time.strftime("%H:%M UTC", time.gmtime(reset))
    assert "rate limit" in answer["message"] and clock in answer["message"]
    assert "in about 10 min" in answer["message"]


async def test_a_stale_sha_is_a_conflict(
    jp_fetch: Any, jp_root_dir: Path, fake_github: FakeGitHub
) -> None:
    write_notebook(jp_root_dir, "work.ipynb")
    await connect(jp_fetch)
    fake_github.fail(
        "PUT", PUT_FILE, status=409, body={"message": "saved/work.ipynb does not match abc"}
    )
    status, answer = await call(jp_fetch, "POST", "save", save_body())
    assert status == 409
    assert "changed meanwhile" in answer["message"]


async def test_a_refused_pull_request_says_why(
    jp_fetch: Any, jp_root_dir: Path, fake_github: FakeGitHub
) -> None:
    write_notebook(jp_root_dir, "work.ipynb")
    await connect(jp_fetch)
    fake_github.fail(
        "POST",
        r"/repos/octo/notebooks/pulls",
        status=422,
        body={"message": "Validation Failed", "errors": [{"message": "No commits between"}]},
    )
    status, answer = await call(jp_fetch, "POST", "save", save_body(pull_request=True))
    assert status == 422
    assert "Validation Failed (No commits between)" in answer["message"]


async def test_a_revoked_token_says_to_connect_again(
    jp_fetch: Any, jp_root_dir: Path, fake_github: FakeGitHub
) -> None:
    write_notebook(jp_root_dir, "work.ipynb")
    await connect(jp_fetch)
    fake_github.tokens.pop(TOKEN)
    status, answer = await call(jp_fetch, "POST", "save", save_body())
    assert status == 401
    assert "Connect again" in answer["message"]
    status, account = await call(jp_fetch, "GET", "account")
    assert status == 200 and account["connected"] is False
    assert "Connect again" in account["problem"]


async def test_missing_repository_is_a_404_message(jp_fetch: Any, jp_root_dir: Path) -> None:
    write_notebook(jp_root_dir, "work.ipynb")
    await connect(jp_fetch)
    status, answer = await call(jp_fetch, "POST", "save", save_body(repo="octo/gone"))
    assert status == 404
    assert "Check the owner, repository" in answer["message"]


async def test_secondary_rate_limit_says_when_to_retry(
    jp_fetch: Any, fake_github: FakeGitHub
) -> None:
    await connect(jp_fetch)
    fake_github.fail(
        "GET",
        r"/repos/octo/notebooks",
        status=403,
        headers={"Retry-After": "42"},
        body={"message": "You have exceeded a secondary rate limit. Please wait a few minutes."},
    )
    url = "https://github.com/octo/notebooks/blob/main/nb/analysis.ipynb"
    status, answer = await call(jp_fetch, "POST", "open", {"url": url, "folder": ""})
    assert status == 429
    assert "Try again in 42 s" in answer["message"]


async def test_a_forbidden_write_names_the_missing_scope(
    jp_fetch: Any, jp_root_dir: Path, fake_github: FakeGitHub
) -> None:
    write_notebook(jp_root_dir, "share.ipynb")
    await connect(jp_fetch)
    fake_github.fail("POST", r"/gists", status=403, body={"message": "Resource not accessible"})
    status, answer = await call(jp_fetch, "POST", "gist", {"path": "share.ipynb", "public": True})
    assert status == 403
    assert "'gist' for gists" in answer["message"]
