"""Slowing down anyone who guesses link tokens.

A token has 256 random bits, so guessing cannot succeed; throttling keeps a guesser from costing
the server work and keeps the logs readable. Each client address may fail a few times in a window;
past that, every request from it (right or wrong) is refused until the window has passed, so a
guesser learns nothing from answers while throttled.
"""

from __future__ import annotations

import ipaddress
from collections import OrderedDict, deque

from .store import Clock


def client_key(address: str) -> str:
    """What guesses are counted against: an IPv4 address, or an IPv6 address's /64 network
    (one machine usually holds a whole /64, so counting single IPv6 addresses would not slow it).
    """
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


class GuessThrottle:
    """Counts failed link lookups per client address over a sliding window."""

    def __init__(
        self,
        clock: Clock,
        *,
        max_failures: int = 20,
        window_s: float = 60.0,
        max_clients: int = 10_000,
    ) -> None:
        self.clock = clock
        self.max_failures = max_failures
        self.window_s = window_s
        # Bounded, oldest client first: a flood of addresses cannot grow memory without end.
        self.max_clients = max_clients
        self._failures: OrderedDict[str, deque[float]] = OrderedDict()

    def _recent(self, client: str) -> deque[float]:
        failures = self._failures.get(client)
        if failures is None:
            return deque()
        cutoff = self.clock() - self.window_s
        while failures and failures[0] <= cutoff:
            failures.popleft()
        if not failures:
            del self._failures[client]
        return failures

    def retry_after(self, client: str) -> float | None:
        """Seconds ``client`` must wait before trying again, or None when it may try now."""
        failures = self._recent(client)
        if len(failures) < self.max_failures:
            return None
        return max(1.0, failures[-self.max_failures] + self.window_s - self.clock())

    def failed(self, client: str) -> None:
        """Record one failed lookup from ``client``."""
        failures = self._failures.setdefault(client, deque())
        self._failures.move_to_end(client)
        failures.append(self.clock())
        # Keep only as many as can matter to the decision.
        while len(failures) > self.max_failures:
            failures.popleft()
        while len(self._failures) > self.max_clients:
            self._failures.popitem(last=False)
