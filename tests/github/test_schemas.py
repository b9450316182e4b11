"""The GitHub routes answer what colab_ext/openapi.yaml says they do."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jsonschema

from tests.core.test_openapi import load_spec, schema_of
from tests.github.conftest import call, connect, write_notebook
from tests.github.test_save import save_body


def check(answer: Any, name: str) -> None:
    jsonschema.validate(answer, schema_of(load_spec(), name))


async def test_answers_match_the_openapi_schemas(jp_fetch: Any, jp_root_dir: Path) -> None:
    check((await call(jp_fetch, "GET", "account"))[1], "GitHubAccount")
    check(await connect(jp_fetch), "GitHubAccount")
    check((await call(jp_fetch, "GET", "browse", owner="octo"))[1], "GitHubBrowse")
    url = "https://github.com/octo/notebooks/blob/main/nb/analysis.ipynb"
    opened = (await call(jp_fetch, "POST", "open", {"url": url, "folder": ""}))[1]
    check(opened, "GitHubOpenResult")
    write_notebook(jp_root_dir, "work.ipynb")
    check((await call(jp_fetch, "POST", "save", save_body()))[1], "GitHubSaveResult")
    conflict = save_body(path=opened["path"], target_path="README.md.ipynb")
    check((await call(jp_fetch, "POST", "save", conflict))[1], "GitHubSaveResult")
    clash = save_body(target_path="nb/analysis.ipynb")
    status, answer = await call(jp_fetch, "POST", "save", clash)
    assert status == 409
    check(answer, "GitHubSaveConflict")
    gist = (await call(jp_fetch, "POST", "gist", {"path": "work.ipynb", "public": False}))[1]
    check(gist, "GitHubGistResult")
    check((await call(jp_fetch, "DELETE", "account"))[1], "GitHubAccount")
