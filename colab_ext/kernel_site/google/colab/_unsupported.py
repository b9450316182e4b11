"""Names of Colab's ``google.colab`` that colab-ext does not provide (yet).

Each is importable, so ``from google.colab import drive, sheets`` still gives a working ``drive``,
and using one of its names raises :class:`UnsupportedInColabExt` saying what is missing and what to
do instead. The error is a ``NotImplementedError`` and also an ``ImportError``: code that probes
Colab with ``try: from google.colab import sheets; sheets.InteractiveSheet() except ImportError:``
then takes its non-Colab path instead of failing.
"""

from __future__ import annotations

import os
import sys
import types
from typing import Any

PROJECT = "colab-ext"

#: Submodules of Colab's ``google.colab`` missing here, and what to use meanwhile.
MISSING: dict[str, str] = {
    "ai": "call a model provider's own client library",
    "autoviz": "plot with your usual library",
    "data_table": "JupyterLab shows DataFrames as tables already",
    # files.download, view and upload are there (files.py); only upload_file is missing.
    "files": "use files.upload(), which saves the chosen file in the current folder, or "
    "JupyterLab's file browser (drag files in, or its Upload button)",
    "html": "use IPython.display.HTML",
    # output.eval_js, register_callback and clear are there (output.py); output areas, tags and
    # serving a kernel port are not.
    "output": "JupyterLab lays out outputs itself; display them in order, and clear with "
    "output.clear()",
    "patches": "show images with IPython.display or matplotlib instead of cv2_imshow",
    "runtime": "use JupyterLab's Runtime menu (Restart runtime, Disconnect and delete runtime)",
    "sheets": "use the gspread library with your own credentials",
    "snippets": "there is no snippet panel in JupyterLab",
    "sql": "use your database's client library",
    "syntax": "plain strings work wherever these markers were used",
    "userdata": "read secrets from environment variables for now",
    "widgets": "use ipywidgets, which JupyterLab supports",
    "_message": "this private Colab API talks to Colab's own page",
}


#: What colab-ext implements (each once its module is there), named in the errors.
PROVIDED = ("drive", "userdata", "files", "output", "auth")


class UnsupportedInColabExt(NotImplementedError, ImportError):
    """A ``google.colab`` name that colab-ext does not provide."""


def unsupported(name: str) -> UnsupportedInColabExt:
    """The error for ``google.colab.<name>`` (``name`` may be dotted: ``files.upload``)."""
    module = name.split(".", 1)[0]
    hint = MISSING.get(module)
    here = os.path.dirname(__file__)
    provided = [f"google.colab.{m}" for m in PROVIDED if has_real_module(here, m)]
    return UnsupportedInColabExt(
        f"google.colab.{name} is not available in {PROJECT} yet"
        + (f"; meanwhile {hint}." if hint else ".")
        + (f" It provides {' and '.join(provided)}." if provided else "")
    )


class MissingModule(types.ModuleType):
    """A stand-in for a missing submodule: importable, every public name raises on use."""

    def __getattr__(self, attribute: str) -> Any:
        if attribute.startswith("_"):  # introspection (IPython, pickle, pydoc) asks for these
            raise AttributeError(attribute)
        short = self.__name__.split("google.colab.", 1)[-1]
        raise unsupported(f"{short}.{attribute}")


def has_real_module(package_dir: str, name: str) -> bool:
    """True when ``google.colab.<name>`` exists as a file or folder of this package."""
    return os.path.exists(os.path.join(package_dir, name + ".py")) or os.path.isfile(
        os.path.join(package_dir, name, "__init__.py")
    )


def install_stand_ins(package: types.ModuleType) -> None:
    """Register a :class:`MissingModule` for each missing name that has no real module, so
    ``import google.colab.sheets`` and ``from google.colab.sheets import InteractiveSheet``
    import."""
    package_dir = os.path.dirname(package.__file__ or "")
    for name in MISSING:
        full = f"{package.__name__}.{name}"
        if full in sys.modules or has_real_module(package_dir, name):
            continue
        stand_in = MissingModule(full, f"Not available in colab-ext: {MISSING[name]}.")
        stand_in.__package__ = package.__name__
        sys.modules[full] = stand_in
        setattr(package, name, stand_in)
