"""Pieces every feature shares: the base handler, user-facing errors, routing and blocking calls."""
