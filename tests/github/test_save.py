"""Save a copy in GitHub: new and existing files, branches, conflicts, pull requests, big files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.github.conftest import (
    call,
    connect,
    notebook_bytes,
    read_notebook,
    source,
    write_notebook,
)
from tests.github.fake_github import FakeGitHub

OUTPUT = [{"output_type": "stream", "name": "stdout", "text": "hello\n"}]


def save_body(**changes: Any) -> dict[str, Any]:
    body = {
        "path": "work.ipynb",
        "repo": "octo/notebooks",
        "branch": "main",
        "target_path": "saved/work.ipynb",
        "message": "Add work notebook",
    }
    body.update(changes)
    return body


def on_github(fake: FakeGitHub, path: str, ref: str = "main") -> dict[str, Any]:
    data = fake.repos["octo/notebooks"].read(ref, path)
    assert data is not None, f"{path} is not on {ref}"
    result: dict[str, Any] = json.loads(data)
    return result


async def test_save_a_new_file(jp_fetch: Any, jp_root_dir: Path, fake_github: FakeGitHub) -> None:
    write_notebook(jp_root_dir, "work.ipynb", notebook_bytes("print('hello')", OUTPUT))
    await connect(jp_fetch)
    status, answer = await call(jp_fetch, "POST", "save", save_body())
    assert status == 200, answer
    repo = fake_github.repos["octo/notebooks"]
    head = repo.commits[repo.branches["main"]]
    assert head.message == "Add work notebook"
    assert answer["commit_sha"] == head.sha
    assert answer["blob_sha"] == repo.files_at("main")["saved/work.ipynb"]
    saved = on_github(fake_github, "saved/work.ipynb")
    assert source(saved) == "print('hello')"
    assert saved["cells"][0]["outputs"][0]["text"] == "hello\n"
    assert "colab_ext" not in saved["metadata"]
    assert "trusted" not in saved["cells"][0]["metadata"]
    local = read_notebook(jp_root_dir, "work.ipynb")["metadata"]["colab_ext"]["github"]["file"]
    assert local["sha"] == answer["blob_sha"] and local["path"] == "saved/work.ipynb"


async def test_save_again_updates_the_file_it_came_from(
    jp_fetch: Any, jp_root_dir: Path, fake_github: FakeGitHub
) -> None:
    write_notebook(jp_root_dir, "work.ipynb")
    await connect(jp_fetch)
    await call(jp_fetch, "POST", "save", save_body())
    write_notebook(jp_root_dir, "changed.ipynb", notebook_bytes("'v2'"))
    # the same notebook, edited: keep its record, change its cell
    notebook = read_notebook(jp_root_dir, "work.ipynb")
    notebook["cells"][0]["source"] = "'v2'"
    (jp_root_dir / "work.ipynb").write_text(json.dumps(notebook))
    status, answer = await call(jp_fetch, "POST", "save", save_body(message="Second"))
    assert status == 200, answer
    assert source(on_github(fake_github, "saved/work.ipynb")) == "'v2'"
    assert [c.message for c in fake_github.repos["octo/notebooks"].history("main")][:2] == [
        "Second",
        "Add work notebook",
    ]


async def test_saving_unchanged_content_makes_no_commit(
    jp_fetch: Any, jp_root_dir: Path, fake_github: FakeGitHub
) -> None:
    write_notebook(jp_root_dir, "work.ipynb")
    await connect(jp_fetch)
    first = (await call(jp_fetch, "POST", "save", save_body()))[1]
    status, second = await call(jp_fetch, "POST", "save", save_body(message="again"))
    assert status == 200 and second["unchanged"] is True
    assert second["commit_sha"] == first["commit_sha"]
    assert fake_github.count("PUT", r"/repos/octo/notebooks/contents/.*") == 1


async def test_a_file_changed_upstream_is_a_conflict_never_overwritten(
    jp_fetch: Any, jp_root_dir: Path, fake_github: FakeGitHub
) -> None:
    await connect(jp_fetch)
    url = "https://github.com/octo/notebooks/blob/main/nb/analysis.ipynb"
    opened = (await call(jp_fetch, "POST", "open", {"url": url, "folder": ""}))[1]["path"]
    repo = fake_github.repos["octo/notebooks"]
    repo.commit_files("main", {"nb/analysis.ipynb": notebook_bytes("'theirs'")}, "Theirs", None)
    body = save_body(path=opened, target_path="nb/analysis.ipynb", message="Mine")
    status, answer = await call(jp_fetch, "POST", "save", body)
    assert status == 409
    assert "changed on GitHub since this notebook was opened" in answer["message"]
    assert answer["conflict"]["current_sha"] == repo.files_at("main")["nb/analysis.ipynb"]
    # Every error's JSON (message, reason), with the conflict beside them for the dialog.
    assert set(answer) == {"message", "reason", "conflict"} and answer["reason"] == "Conflict"
    assert set(answer["conflict"]) == {"current_sha", "remembered_sha", "file_url"}
    assert source(on_github(fake_github, "nb/analysis.ipynb")) == "'theirs'"
    # The user chooses: overwrite.
    status, answer = await call(jp_fetch, "POST", "save", {**body, "overwrite": True})
    assert status == 200, answer
    assert source(on_github(fake_github, "nb/analysis.ipynb")) == "1 + 1"


async def test_an_unrelated_existing_file_is_a_conflict(
    jp_fetch: Any, jp_root_dir: Path, fake_github: FakeGitHub
) -> None:
    write_notebook(jp_root_dir, "work.ipynb")
    await connect(jp_fetch)
    status, answer = await call(
        jp_fetch, "POST", "save", save_body(target_path="nb/analysis.ipynb")
    )
    assert status == 409
    assert "already exists" in answer["message"]


async def test_save_to_a_new_branch(
    jp_fetch: Any, jp_root_dir: Path, fake_github: FakeGitHub
) -> None:
    write_notebook(jp_root_dir, "work.ipynb")
    await connect(jp_fetch)
    body = save_body(branch="experiments", new_branch=True, base_branch="main")
    status, answer = await call(jp_fetch, "POST", "save", body)
    assert status == 200, answer
    repo = fake_github.repos["octo/notebooks"]
    assert "saved/work.ipynb" in repo.files_at("experiments")
    assert "saved/work.ipynb" not in repo.files_at("main")


async def test_a_pull_request_instead_of_a_commit(
    jp_fetch: Any, jp_root_dir: Path, fake_github: FakeGitHub
) -> None:
    write_notebook(jp_root_dir, "work.ipynb")
    await connect(jp_fetch)
    body = save_body(pull_request=True, pr_title="Please review", branch="main")
    status, answer = await call(jp_fetch, "POST", "save", body)
    assert status == 200, answer
    repo = fake_github.repos["octo/notebooks"]
    assert "saved/work.ipynb" not in repo.files_at("main")
    [pull] = repo.pulls
    assert pull["title"] == "Please review" and pull["base"]["ref"] == "main"
    assert answer["pull_request_url"] == pull["html_url"]
    assert "saved/work.ipynb" in repo.files_at(pull["head"]["ref"])
    assert answer["branch"] == pull["head"]["ref"] != "main"


async def test_clear_outputs_and_colab_badge(
    jp_fetch: Any, jp_root_dir: Path, fake_github: FakeGitHub
) -> None:
    write_notebook(jp_root_dir, "work.ipynb", notebook_bytes("print('hello')", OUTPUT))
    await connect(jp_fetch)
    body = save_body(clear_outputs=True, badge=True)
    status, answer = await call(jp_fetch, "POST", "save", body)
    assert status == 200, answer
    saved = on_github(fake_github, "saved/work.ipynb")
    assert saved["cells"][0]["cell_type"] == "markdown"
    assert "colab.research.google.com/github/octo/notebooks/blob/main/saved/work.ipynb" in source(
        saved
    )
    code = saved["cells"][1]
    assert code["outputs"] == [] and code["execution_count"] is None
    # The local notebook keeps its outputs.
    assert read_notebook(jp_root_dir, "work.ipynb")["cells"][0]["outputs"]


async def test_a_large_notebook_goes_through_the_git_data_api(
    jp_fetch: Any, jp_root_dir: Path, fake_github: FakeGitHub
) -> None:
    big = "y" * (1024 * 1024 + 100)
    write_notebook(jp_root_dir, "work.ipynb", notebook_bytes(big))
    await connect(jp_fetch)
    status, answer = await call(jp_fetch, "POST", "save", save_body())
    assert status == 200, answer
    assert source(on_github(fake_github, "saved/work.ipynb")) == big
    assert fake_github.count("PUT", r"/repos/.*/contents/.*") == 0
    assert fake_github.count("POST", r"/repos/octo/notebooks/git/blobs") == 1
    assert fake_github.count("POST", r"/repos/octo/notebooks/git/commits") == 1
    assert fake_github.count("PATCH", r"/repos/octo/notebooks/git/refs/heads/main") == 1
    repo = fake_github.repos["octo/notebooks"]
    assert answer["commit_sha"] == repo.branches["main"]
    assert "README.md" in repo.files_at("main")  # the rest of the tree is kept


async def test_no_push_rights_is_said_plainly(jp_fetch: Any, jp_root_dir: Path) -> None:
    write_notebook(jp_root_dir, "work.ipynb")
    await connect(jp_fetch)
    status, answer = await call(jp_fetch, "POST", "save", save_body(repo="someone/readonly"))
    assert status == 403
    assert "cannot push to someone/readonly" in answer["message"]


async def test_the_local_path_stays_inside_the_root(jp_fetch: Any) -> None:
    await connect(jp_fetch)
    status, answer = await call(jp_fetch, "POST", "save", save_body(path="../../etc/x.ipynb"))
    assert status == 400
    assert "inside the server root" in answer["message"]
