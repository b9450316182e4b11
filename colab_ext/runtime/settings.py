"""Admin settings of the runtime-type picker (``c.ColabExt.*``)."""

from __future__ import annotations

from typing import Any

from traitlets import Bool, Dict, List, TraitError, Unicode, validate
from traitlets.config import Configurable

from .types import BUILTIN_TYPES, parse_admin_types


class RuntimeSettings(Configurable):
    """Runtime types offered in Runtime > Change runtime type, and how GPUs are shared."""

    runtime_types = List(
        Dict(),
        default_value=[],
        config=True,
        help="""Extra runtime types, added to the built-in CPU, GPU and TPU (an entry with the id
        'cpu', 'gpu' or 'tpu' replaces the built-in one). Each is a dict:
        id (lower-case, e.g. 'gpu-2x'), label (shown in the picker), accelerator ('cpu', 'gpu' or
        'tpu', default 'cpu'), gpus (how many GPUs a 'gpu' type takes, default 1), env (extra
        variables for the kernel), kernelspec (the kernel it must run, optional), resources
        (sent to Enterprise Gateway as KERNEL_* variables: {'memory': '16G'} becomes
        KERNEL_MEMORY=16G) and description. Checked when the server starts.""",
    )

    gpu_exclusive = Bool(
        False,
        config=True,
        help="""Give each GPU runtime its GPU(s) alone: a GPU already placed with another
        runtime is not offered, and 'Any free GPU' fails when none is free.""",
    )

    default_runtime_type = Unicode(
        None,
        allow_none=True,
        config=True,
        help="""The type a notebook's kernel starts as when its metadata asks for none. None
        (the default) keeps the server's own environment (every GPU visible); 'cpu' behaves as
        Colab does.""",
    )

    content_dir = Unicode(
        "",
        config=True,
        help="""The folder Colab's /content stands for in kernels: empty (the default) for the
        server root itself, so /content/drive is the file browser's Drive folder and files a
        notebook writes under /content show in the file browser; or a path relative to the root
        (say 'content') or absolute. Keep it inside the root: Drive mounts only there. Where the
        server may, /content becomes a symlink to it; otherwise google.colab and %cd translate
        /content paths.""",
    )

    content_link = Bool(
        True,
        config=True,
        help="""Make /content a symlink to content_dir where the server may (run as root, or /
        writable), as long as nothing else is there. False leaves / alone: google.colab and %cd
        then translate /content paths, but a plain open('/content/...') or a ! command does not
        see them.""",
    )

    @validate("runtime_types")
    def _check_runtime_types(self, proposal: dict[str, Any]) -> list[dict[str, Any]]:
        try:
            parse_admin_types(proposal["value"])
        except ValueError as error:
            raise TraitError(f"colab-ext: {error}") from None
        return list(proposal["value"])

    def check_default_runtime_type(self) -> None:
        """The default type must exist; checked once every type is known."""
        known = {t.id for t in BUILTIN_TYPES} | {
            t.id for t in parse_admin_types(self.runtime_types)
        }
        if self.default_runtime_type is not None and self.default_runtime_type not in known:
            raise TraitError(
                f"colab-ext: c.ColabExt.default_runtime_type is {self.default_runtime_type!r}, "
                f"which is not a runtime type; known: {', '.join(sorted(known))}."
            )
