"""Kernel-side ``mount`` / ``flush_and_unmount``: the same functions as ``google.colab.drive``.

They live in the standard-library-only ``google.colab`` package that colab-ext gives its kernels
(``colab_ext/kernel_site/``); this name stays for notebooks written as
``from colab_ext import drive`` before ``google.colab`` existed.
"""

from __future__ import annotations

from ..kernel_site.google.colab.drive import flush_and_unmount, mount

__all__ = ["flush_and_unmount", "mount"]
