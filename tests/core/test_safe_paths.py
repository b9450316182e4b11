"""The one place names and paths from outside are made safe: names, relative paths, the root."""

from __future__ import annotations

import os
from pathlib import Path
from types import SimpleNamespace

import pytest

from colab_ext.core.errors import BadRequest, NotFound
from colab_ext.core.safe_paths import (
    SAFE_NAME_BYTES,
    ServerRoot,
    clean_relative,
    fit_name,
    refuse_nul,
    safe_name,
)


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("analysis.ipynb", "analysis.ipynb"),
        ("../../x.txt", ".._.._x.txt"),
        ("/abs/path", "_abs_path"),
        ("..", "__"),
        (".", "_"),
        ("", "untitled"),
        ("a\x00b.txt", "a_b.txt"),
        ("a\\b", "a_b"),
        ("line\nbreak\x7f\x9b.txt", "line_break__.txt"),
        ("lone\ud800surrogate", "lone_surrogate"),
        (".bashrc", ".bashrc"),  # hidden or not is the server's rule, not the name's
        ("résumé 2024.pdf", "résumé 2024.pdf"),
    ],
)
def test_safe_name(name: str, safe: str) -> None:
    assert safe_name(name) == safe
    assert safe_name(safe) == safe  # already safe names stay as they are


@pytest.mark.parametrize("stem", ["a" * 300, "é" * 200, "😀" * 100], ids=["ascii", "é", "emoji"])
def test_long_names_are_cut_keeping_the_extension(stem: str) -> None:
    # 255 bytes is a file system's limit; 11 are left for the "-checkpoint" Jupyter adds.
    assert SAFE_NAME_BYTES == 244
    name = safe_name(stem + ".ipynb")
    assert name.endswith(".ipynb") and stem.startswith(name[: -len(".ipynb")])
    assert SAFE_NAME_BYTES - 4 < len(name.encode()) <= SAFE_NAME_BYTES  # never mid-character
    assert safe_name("x." + "y" * 300) == ("x." + "y" * 300)[:SAFE_NAME_BYTES]  # no extension
    assert fit_name(stem, " (12).txt").endswith(" (12).txt")
    assert len(fit_name(stem, " (12).txt").encode()) <= SAFE_NAME_BYTES
    assert 251 < len(fit_name(stem, ".part-0123456789abcdef", 255).encode()) <= 255


@pytest.mark.parametrize(
    ("path", "says"),
    [
        ("a\x00b", "NUL character"),
        ("/etc/passwd", "must be relative"),
        ("\\x", "must be relative"),
        ("C:x", "must be relative"),
        ("~/x", "must be relative"),
        ("a/../../b", "may not contain '..'"),
        ("a\\..\\b", "may not contain '..'"),
        ("d/" + "n" * 256, "longer than 255 bytes"),
        ("/".join(["d" * 200] * 21), "longer than 4095 bytes"),
    ],
)
def test_bad_relative_paths_are_400s_that_say_why(path: str, says: str) -> None:
    with pytest.raises(BadRequest) as refused:
        clean_relative(path)
    assert says in refused.value.message
    assert "\x00" not in refused.value.message  # shown escaped, never raw


def test_clean_relative_normalises() -> None:
    assert clean_relative(" ./a//b/./c.ipynb ") == "a/b/c.ipynb"
    assert clean_relative("") == ""


def test_refuse_nul() -> None:
    refuse_nul("echo fine", "The command")
    with pytest.raises(BadRequest, match=r"The command 'echo a\\x00b' contains a NUL"):
        refuse_nul("echo a\x00b", "The command")


def test_server_root_resolves_inside_and_refuses_links_out(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    outside = tmp_path_factory.mktemp("outside")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "inner").symlink_to(tmp_path / "sub")
    (tmp_path / "out").symlink_to(outside)
    root = ServerRoot(str(tmp_path))
    assert root.resolve("sub/inner", must_exist=True) == Path(os.path.realpath(tmp_path / "sub"))
    assert root.resolve("") == root.root
    with pytest.raises(BadRequest, match="leads outside the server root"):
        root.resolve("out/x")
    with pytest.raises(NotFound):
        root.resolve("sub/missing", must_exist=True)


@pytest.mark.parametrize("allow_hidden", [False, True])
def test_child_names_hidden_files_and_links(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, allow_hidden: bool
) -> None:
    outside = tmp_path_factory.mktemp("outside")
    (tmp_path / "dangling.txt").symlink_to(outside / "nothing-yet.txt")
    (tmp_path / ".hidden").mkdir()
    root = ServerRoot(str(tmp_path), SimpleNamespace(allow_hidden=allow_hidden))
    folder = root.resolve("")
    assert root.child(folder, "../../x.ipynb" if allow_hidden else "a/b.ipynb").parent == folder
    with pytest.raises(BadRequest, match="leads outside the server root"):
        root.child(folder, "dangling.txt")
    if allow_hidden:
        assert root.child(folder, ".bashrc").name == ".bashrc"
        assert root.child(root.resolve(".hidden"), "x").name == "x"
    else:
        for parent, name in ((folder, ".bashrc"), (root.resolve(".hidden"), "x")):
            with pytest.raises(BadRequest, match="allow_hidden is False"):
                root.child(parent, name)
