"""Slowing down anyone who guesses link tokens, without ever refusing a right one.

What protects a link is its token: 256 random bits. At a million guesses a second, finding one
live link among a thousand takes over 10^60 years; no throttle adds to that. What a throttle
can do is keep wrong tokens from costing the server work and flooding its log.

Why one allowance for the whole server, not one per client address: behind a proxy every visitor
has the proxy's address, so 20 wrong tokens from anyone locked every visitor out of every link;
and with ``trust_xheaders`` the address is whatever ``X-Forwarded-For`` says, so a guesser just
sends a new one each time. Per-address counting was a lockout lever that slowed no one.

So: wrong tokens draw from one bucket of ``burst`` that refills at ``burst`` per ``window_s``.
While it is empty, wrong tokens are answered 429 at once, without a lookup's worth of waiting.
A right token is looked up and served whatever the bucket holds: it never draws from it, and no
one else's wrong tokens can refuse it. (A guesser learns nothing from a 429 that a 404 would not
have told: either way, the token was wrong.)
"""

from __future__ import annotations

from .store import Clock


class GuessThrottle:
    """A server-wide token bucket that wrong link tokens draw from."""

    def __init__(self, clock: Clock, *, burst: int = 20, window_s: float = 60.0) -> None:
        self.clock = clock
        self.burst = max(1, burst)
        self.rate = self.burst / max(window_s, 1e-3)
        self._tokens = float(self.burst)
        self._at = clock()

    def _refill(self) -> None:
        now = self.clock()
        self._tokens = min(self.burst, self._tokens + max(0.0, now - self._at) * self.rate)
        self._at = now

    def failed(self) -> float | None:
        """Record one wrong token: None when the allowance had room for it, else the seconds
        until it has (that request is answered 429 and not counted)."""
        self._refill()
        if self._tokens >= 1:
            self._tokens -= 1
            return None
        return (1 - self._tokens) / self.rate
