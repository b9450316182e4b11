"""Admin settings of the resource monitor (``c.ColabExt.resources_*``)."""

from __future__ import annotations

from traitlets import Float, Int
from traitlets.config import Configurable


class ResourcesSettings(Configurable):
    """How often the shared resource sampler looks, and how much it remembers."""

    resources_interval = Float(
        1.0,
        config=True,
        help="Seconds between two samples of RAM, CPU, disk and GPUs. One sampler serves every "
        "open tab, so more tabs do not mean more sampling.",
    )
    resources_history_seconds = Int(
        300,
        config=True,
        help="How many seconds of samples the server keeps for the history charts.",
    )
    resources_idle_after = Float(
        30.0,
        config=True,
        help="Seconds with no browser subscribed to the pushed samples and no one asking over "
        "HTTP after which the sampler stops (and releases the NVIDIA driver) until the next "
        "subscriber or request.",
    )
