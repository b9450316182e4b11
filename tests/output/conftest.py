"""Output fixtures: the secrets feature's kernels that import google.colab, reused."""

from __future__ import annotations

from tests.secrets.conftest import kernel_site

__all__ = ["kernel_site"]
