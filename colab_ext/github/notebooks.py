"""Preparing a notebook for GitHub, and the record of its GitHub origin kept in its metadata.

The record lives in ``metadata.colab_ext.github``: ``file`` (repository, branch, path and blob
sha it was opened from or last saved to) and ``gist`` (the id of the gist it was saved as).
It is stripped from the copies that go to GitHub: it only makes sense on this server.
"""

from __future__ import annotations

import copy
import hashlib
import json
from typing import Any

METADATA_KEY = "colab_ext"


def blob_sha(data: bytes) -> str:
    """Git's object id for a file with these bytes (what GitHub reports as a file's ``sha``)."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()  # noqa: S324 (git's id)


def github_record(notebook: dict[str, Any]) -> dict[str, Any]:
    """The notebook's GitHub record (a copy; empty when it has none)."""
    record = notebook.get("metadata", {}).get(METADATA_KEY, {}).get("github", {})
    return copy.deepcopy(record) if isinstance(record, dict) else {}


def with_record(notebook: dict[str, Any], **parts: dict[str, Any]) -> dict[str, Any]:
    """The notebook with parts of its GitHub record replaced."""
    result = copy.deepcopy(notebook)
    ours = result.setdefault("metadata", {}).setdefault(METADATA_KEY, {})
    ours.setdefault("github", {}).update(parts)
    return result


def cleared(notebook: dict[str, Any]) -> dict[str, Any]:
    """The notebook without outputs and execution counts."""
    result = copy.deepcopy(notebook)
    for cell in result.get("cells", []):
        if cell.get("cell_type") == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
    return result


def colab_url(owner: str, repo: str, branch: str, path: str) -> str:
    return f"https://colab.research.google.com/github/{owner}/{repo}/blob/{branch}/{path}"


def badge_markdown(url: str) -> str:
    return (
        f'<a href="{url}" target="_parent"><img '
        'src="https://colab.research.google.com/assets/colab-badge.svg" '
        'alt="Open In Colab"/></a>'
    )


def with_badge(notebook: dict[str, Any], url: str) -> dict[str, Any]:
    """The notebook with an "Open in Colab" badge cell first (replacing an earlier one)."""
    result = copy.deepcopy(notebook)
    cells = [
        c
        for c in result.get("cells", [])
        if not c.get("metadata", {}).get(METADATA_KEY, {}).get("badge")
    ]
    badge = {
        "cell_type": "markdown",
        "metadata": {METADATA_KEY: {"badge": True}},
        "source": badge_markdown(url),
    }
    if result.get("nbformat", 4) >= 4 and result.get("nbformat_minor", 0) >= 5:
        badge["id"] = "colab-badge"
    result["cells"] = [badge, *cells]
    return result


def for_github(notebook: dict[str, Any]) -> dict[str, Any]:
    """The copy that goes to GitHub: without colab-ext's record of this server, nor the
    per-server trust flags and signature Jupyter adds when it reads a notebook."""
    result = copy.deepcopy(notebook)
    metadata = result.get("metadata", {})
    for key in (METADATA_KEY, "signature", "orig_nbformat"):
        metadata.pop(key, None)
    for cell in result.get("cells", []):
        cell.get("metadata", {}).pop("trusted", None)
    return result


def serialize(notebook: dict[str, Any]) -> bytes:
    """The notebook as Jupyter writes it (one-space indent, sorted keys, final newline)."""
    return (json.dumps(notebook, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode()


def parse(data: bytes, name: str) -> dict[str, Any]:
    """A notebook read from GitHub, or a message saying it is not one."""
    from ..core.errors import BadRequest

    try:
        notebook = json.loads(data)
    except (ValueError, UnicodeDecodeError):
        raise BadRequest(f"{name} is not a notebook (it is not valid JSON).") from None
    if not isinstance(notebook, dict) or "cells" not in notebook:
        raise BadRequest(f"{name} is not a Jupyter notebook (it has no cells).")
    return notebook
