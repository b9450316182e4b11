"""Why kernels went away: remembered so a page can tell its user after the fact."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime

#: Reasons a page may see (``gone_reason``).
IDLE = "idle"
LIFETIME = "lifetime"


@dataclass(frozen=True)
class GoneKernel:
    """One kernel shut down by the idle culler or at the end of its maximum lifetime."""

    reason: str
    message: str
    at: datetime

    def json(self) -> dict[str, str]:
        """The members a 404 for this kernel carries beside ``message``."""
        return {
            "gone_reason": self.reason,
            "gone_message": self.message,
            "gone_at": self.at.isoformat(),
        }


class GoneKernels:
    """Kernel id to why it went away, in memory and bounded: the oldest are forgotten first,
    so a server that runs for months does not grow with every kernel it ever shut down. A
    restarted server forgets them all (its kernels went with it anyway)."""

    def __init__(self, capacity: int = 500) -> None:
        self.capacity = capacity
        self._gone: OrderedDict[str, GoneKernel] = OrderedDict()

    def remember(self, kernel_id: str, gone: GoneKernel) -> None:
        """Note why ``kernel_id`` went; an earlier note for it is kept (it was first)."""
        if kernel_id in self._gone:
            return
        self._gone[kernel_id] = gone
        while len(self._gone) > self.capacity:
            self._gone.popitem(last=False)

    def get(self, kernel_id: str) -> GoneKernel | None:
        """Why ``kernel_id`` went away, if colab-ext knows."""
        return self._gone.get(kernel_id)

    def __contains__(self, kernel_id: object) -> bool:
        return kernel_id in self._gone
