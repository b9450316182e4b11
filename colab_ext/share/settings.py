"""Admin settings of share links, read as ``c.ColabExt.share_*``."""

from __future__ import annotations

import time

from traitlets import Bool, Callable, Float, Int, Unicode
from traitlets.config import Configurable


class ShareSettings(Configurable):
    """Whether users may share read-only links, and how the links are built and guarded."""

    share_enabled = Bool(
        True,
        config=True,
        help="Let users create read-only share links to notebooks. When False, no link can be "
        "created and every existing link answers 404 (links come back if it is turned on again).",
    )

    share_public_url = Unicode(
        "",
        config=True,
        help="The public base URL of this server that share links start with, such as "
        "'https://hub.example.org/user/alice/' behind JupyterHub or a reverse proxy. Empty: the "
        "address the browser used to reach JupyterLab.",
    )

    share_max_failures = Int(
        20,
        config=True,
        help="Wrong share-link tokens the whole server answers (404) in a burst; past it, wrong "
        "tokens are answered 429 until the allowance refills (share_max_failures per "
        "share_throttle_window seconds). A right token is never refused, whatever others send.",
    )

    share_throttle_window = Float(
        60.0,
        config=True,
        help="Seconds in which the allowance of wrong share-link tokens refills completely.",
    )

    share_max_output_mb = Float(
        2.0,
        config=True,
        help="The largest output (or cell source) a share page shows, in MiB; a larger one is "
        "replaced by a note that the .ipynb download has it.",
    )

    share_max_page_mb = Float(
        16.0,
        config=True,
        help="The most a share page shows of outputs and sources together, in MiB; past it, "
        "outputs and cells are replaced by a note that the .ipynb download has them.",
    )

    share_render_workers = Int(
        2,
        config=True,
        help="How many share pages may render at once (each in a worker thread, never on the "
        "event loop); more wait their turn.",
    )

    share_page_cache_mb = Float(
        64.0,
        config=True,
        help="Memory, in MiB, for rendered share pages kept until their notebook changes (least "
        "recently visited first out).",
    )

    share_clock = Callable(
        time.time,
        config=True,
        help="The clock (seconds since the epoch) that link expiry and throttling read. Only "
        "tests change it, to move time forward.",
    )
