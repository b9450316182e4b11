"""Admin settings of the runtime-type picker (``c.ColabExt.*``)."""

from __future__ import annotations

from typing import Any

from traitlets import Bool, Dict, Float, Int, List, TraitError, Unicode, validate
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

    runtime_max_lifetime_s = Dict(
        value_trait=Float(),
        default_value={},
        config=True,
        help="""The longest a kernel of a runtime type may run, in seconds, by type id: {'gpu':
        12 * 3600} shuts a GPU kernel down 12 hours after it started (or restarted), busy or not,
        as Colab limits a runtime's life, so a forgotten notebook cannot hold a GPU for days. Types
        not listed run as long as they like. The page warns runtime_lifetime_warning_s before.""",
    )

    runtime_lifetime_warning_s = Float(
        300.0,
        config=True,
        help="""How long before an idle shutdown (MappingKernelManager.cull_idle_timeout) or the
        end of a maximum lifetime the page warns, with a 'Keep running' button where keeping is
        allowed.""",
    )

    runtime_lifetime_extendable = Bool(
        False,
        config=True,
        help="""Whether a user may extend a kernel's maximum lifetime, once, by one more
        period (from the warning's 'Keep running'). Idle shutdowns can always be put off: keeping
        counts as activity, as running a cell does.""",
    )

    runtime_lifetime_check_s = Float(
        10.0,
        config=True,
        help="""How often colab-ext checks kernels against their maximum lifetime and notes the
        ones the idle culler shut down (so the page can say why its kernel went away).""",
    )

    hub_idle_timeout_s = Int(
        None,
        allow_none=True,
        config=True,
        help="""Under JupyterHub: the idle timeout of the hub's culler (jupyterhub-idle-culler
        --timeout), to show users when their whole server would be stopped. The hub's culler is
        a hub service that this server cannot ask, so colab-ext shows it only when set here, and
        counts idleness from this server's own activity (the hub may also count proxy traffic,
        so the real stop can come later, not sooner).""",
    )

    @validate("runtime_max_lifetime_s")
    def _check_max_lifetimes(self, proposal: dict[str, Any]) -> dict[str, float]:
        lifetimes = dict(proposal["value"])
        for type_id, seconds in lifetimes.items():
            if seconds <= 0:
                raise TraitError(
                    f"colab-ext: c.ColabExt.runtime_max_lifetime_s[{type_id!r}] is {seconds}; "
                    "give a number of seconds above 0, or leave the type out for no limit."
                )
        return lifetimes

    @validate("runtime_types")
    def _check_runtime_types(self, proposal: dict[str, Any]) -> list[dict[str, Any]]:
        try:
            parse_admin_types(proposal["value"])
        except ValueError as error:
            raise TraitError(f"colab-ext: {error}") from None
        return list(proposal["value"])

    def check_default_runtime_type(self) -> None:
        """The default type, and every type given a maximum lifetime, must exist; checked once
        every type is known."""
        known = {t.id for t in BUILTIN_TYPES} | {
            t.id for t in parse_admin_types(self.runtime_types)
        }
        if self.default_runtime_type is not None and self.default_runtime_type not in known:
            raise TraitError(
                f"colab-ext: c.ColabExt.default_runtime_type is {self.default_runtime_type!r}, "
                f"which is not a runtime type; known: {', '.join(sorted(known))}."
            )
        unknown = sorted(set(self.runtime_max_lifetime_s) - known)
        if unknown:
            raise TraitError(
                f"colab-ext: c.ColabExt.runtime_max_lifetime_s names {', '.join(unknown)}, "
                f"which is not a runtime type; known: {', '.join(sorted(known))}."
            )
