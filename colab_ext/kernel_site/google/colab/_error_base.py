"""The base class of the errors this package raises in Colab's name (``MessageError``,
``SecretNotFoundError``, ...): Colab's ``google.colab.errors.Error`` where this package has that
module, else ``Exception``. Standard library only."""

from __future__ import annotations

import importlib


def colab_error_base() -> type[Exception]:
    """Colab's ``google.colab.errors.Error`` where this package has that module, else Exception."""
    try:
        base = getattr(importlib.import_module(".errors", __package__), "Error", Exception)
    except ImportError:
        return Exception
    return base if isinstance(base, type) and issubclass(base, Exception) else Exception
