"""Runtime lifetime: each kernel's uptime, when the idle culler or its type's maximum lifetime
would shut it down, and why a kernel went away."""

from .service import LifetimeLimits, RuntimeLifetime

__all__ = ["LifetimeLimits", "RuntimeLifetime"]
