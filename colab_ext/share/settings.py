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
        help="How many wrong share-link tokens one client address may send within "
        "share_throttle_window seconds before all its share-page requests are refused (429).",
    )

    share_throttle_window = Float(
        60.0,
        config=True,
        help="The window, in seconds, over which wrong share-link tokens are counted.",
    )

    share_clock = Callable(
        time.time,
        config=True,
        help="The clock (seconds since the epoch) that link expiry and throttling read. Only "
        "tests change it, to move time forward.",
    )
