"""The gateway browser test's process proxy: Enterprise Gateway's local one, except that no two
kernels are handed the same port.

Enterprise Gateway 3.3 picks a local kernel's five ports by binding port 0 and closing the socket
(``LocalProcessProxy.select_ports``); the kernel binds them a second or two later. Kernels started
together can be handed the same port in between (of batches of ten on this kind of machine, about
one in 13), and the one that binds second dies with ``ZMQError: Address already in use``; the
gateway's auto-restarts keep its ports, so that notebook's kernel never comes up. jupyter_client 7
and later keep a cache of the ports they handed out for this reason; the gateway runs on
jupyter_client 6. On a cluster each kernel has its own pod or host, so only this loopback stand-in
needs it.

launch.py puts this module on the gateway's path and names the class in its python3 kernelspec.
"""

from __future__ import annotations

from enterprise_gateway.services.processproxies.processproxy import LocalProcessProxy

#: Every port handed out in this gateway's life (it lives for one test run): never handed twice.
_HANDED_OUT: set[int] = set()


class DistinctPortsProcessProxy(LocalProcessProxy):
    """Selects ports as Enterprise Gateway does, skipping any already handed to a kernel."""

    def select_ports(self, count: int) -> list[int]:
        """``count`` free ports that no other kernel of this gateway was given."""
        sockets = []
        ports: list[int] = []
        try:
            for _ in range(count + 1000):  # (a bound: a test run hands out a hundred or so)
                sock = self.select_socket()
                sockets.append(sock)  # held until all are chosen, so the draws differ
                port = sock.getsockname()[1]
                if port not in _HANDED_OUT:
                    ports.append(port)
                    if len(ports) == count:
                        break
            else:
                raise RuntimeError(f"No {count} ports left that no kernel was given.")
        finally:
            for sock in sockets:
                sock.close()
        _HANDED_OUT.update(ports)
        return ports
