"""colab-ext: the conveniences people use Google Colab for, in any JupyterLab 4."""

from __future__ import annotations

from typing import Any

try:
    from ._version import __version__
except ImportError:  # pragma: no cover - only in a source tree that was never built
    import warnings

    warnings.warn(
        "colab_ext was imported from a source tree that has not been built: "
        "run `pip install -e .` first.",
        stacklevel=2,
    )
    __version__ = "dev"


def _jupyter_labextension_paths() -> list[dict[str, str]]:
    """Where JupyterLab finds the prebuilt frontend when installed in develop mode."""
    return [{"src": "labextension", "dest": "colab-ext"}]


def _jupyter_server_extension_points() -> list[dict[str, Any]]:
    """The one server extension this package provides."""
    from .app import ColabExt

    return [{"module": "colab_ext", "app": ColabExt}]
