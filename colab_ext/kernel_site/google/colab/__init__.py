"""``google.colab`` for kernels started by a Jupyter server with colab-ext.

colab-ext puts the folder above ``google/`` first on the ``PYTHONPATH`` of the Python kernels it
starts. ``google/`` there has no ``__init__.py``: it is a namespace package, so ``google.auth``,
``google.protobuf`` and the other ``google.*`` packages installed in the kernel's Python still
import.

What works: ``drive``, ``files.upload``, ``files.download`` and ``files.view``,
``output.eval_js``, ``output.register_callback`` and ``output.clear``, ``auth`` (the machine's
Google Cloud credentials), and ``userdata`` where installed.
Every other name Colab has is importable but raises :class:`UnsupportedInColabExt` on use, naming
what is missing. Only the standard library is used here: the kernel may run another Python than
the server's.
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import Any

from . import _content
from ._unsupported import UnsupportedInColabExt, has_real_module, install_stand_ins, unsupported

__all__ = ["UnsupportedInColabExt", "auth", "drive", "files", "output"]

install_stand_ins(sys.modules[__name__])
_content.install_cd_translation()


def __getattr__(name: str) -> Any:
    if name.startswith("_"):
        raise AttributeError(name)
    if has_real_module(os.path.dirname(__file__), name):
        return importlib.import_module(f"{__name__}.{name}")
    raise unsupported(name)


def __dir__() -> list[str]:
    return sorted(set(globals()) | {"auth", "drive", "files", "output"})
