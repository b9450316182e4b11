"""colab-ext: the conveniences people use Google Colab for, in any JupyterLab 4."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import Any

try:
    # The one source of the version is package.json; the build writes it into the package's
    # metadata. No generated module and no fallback: a tree that was never installed fails here,
    # loudly, instead of running as a server extension with a made-up version.
    __version__ = version("colab-ext")
except PackageNotFoundError as error:  # pragma: no cover - only in a tree that was never installed
    raise ImportError(
        "colab_ext is imported from a source tree that was never installed: run "
        "`pip install -e .` (or `pip install .`) in the repository first."
    ) from error


def _jupyter_labextension_paths() -> list[dict[str, str]]:
    """Where JupyterLab finds the prebuilt frontend when installed in develop mode."""
    return [{"src": "labextension", "dest": "colab-ext"}]


def _jupyter_server_extension_points() -> list[dict[str, Any]]:
    """The one server extension this package provides."""
    from .app import ColabExt

    return [{"module": "colab_ext", "app": ColabExt}]
