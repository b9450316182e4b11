"""A kernel launcher for Enterprise Gateway's remote process proxies, run on the kernel's host.

Enterprise Gateway starts a remote kernel with the kernelspec's ``argv`` (over SSH for its
DistributedProcessProxy) and then waits for the launcher to send back, encrypted, the kernel's
connection info. Its own ``launch_ipykernel.py`` ships in the kernelspecs tarball of its GitHub
releases, not in the PyPI package, so ``test_gateway_ssh.py`` uses this small launcher instead:
the same ``--RemoteProcessProxy.*`` options and the same payload (version 1: the connection info
under a fresh AES key, that key under the gateway's RSA public key). It has no comm port, so the
gateway interrupts and stops the kernel with signals sent over SSH.

Needs ipykernel and pycryptodomex (the gateway's own venv has both); runs as a script, not imported.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import json
import os
import socket
from typing import Any

from Cryptodome.Cipher import AES, PKCS1_v1_5
from Cryptodome.PublicKey import RSA
from Cryptodome.Random import get_random_bytes
from Cryptodome.Util.Padding import pad
from ipykernel.kernelapp import IPKernelApp


def sealed(connection_info: dict[str, Any], public_key: str) -> bytes:
    """The payload Enterprise Gateway's response manager decrypts."""
    aes_key = get_random_bytes(16)
    info = AES.new(aes_key, AES.MODE_ECB).encrypt(pad(json.dumps(connection_info).encode(), 16))
    # The gateway passes its public key as the PEM body: base64 of the DER.
    rsa_key = RSA.import_key(base64.b64decode(public_key))
    key = PKCS1_v1_5.new(rsa_key).encrypt(aes_key)
    payload = {
        "version": 1,
        "key": base64.b64encode(key).decode(),
        "conn_info": base64.b64encode(info).decode(),
    }
    return base64.b64encode(json.dumps(payload).encode())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--RemoteProcessProxy.kernel-id", dest="kernel_id", required=True)
    parser.add_argument("--RemoteProcessProxy.response-address", dest="response", required=True)
    parser.add_argument("--RemoteProcessProxy.public-key", dest="public_key", required=True)
    parser.add_argument(
        "--ip",
        help="the address the kernel listens on; default: the one the gateway's SSH session "
        "reached this host on, which is where the gateway will connect to the kernel",
    )
    # Other options of Enterprise Gateway's launcher (port range, Spark) do not apply here.
    args, _ = parser.parse_known_args()
    ip = args.ip or os.environ["SSH_CONNECTION"].split()[2]

    # A process group of its own: the gateway's signals (kill -SIG -pgid over SSH) reach the
    # kernel and whatever it started, nothing else of the SSH session.
    with contextlib.suppress(OSError):  # already a group leader
        os.setsid()

    app = IPKernelApp.instance(ip=ip, connection_file=f"kernel-{args.kernel_id}.json")
    app.initialize([])  # binds the kernel's ports and writes its connection file
    with open(app.abs_connection_file) as file:
        connection_info = json.load(file)
    connection_info.update(kernel_id=args.kernel_id, pid=os.getpid(), pgid=os.getpgid(0))

    host, port = args.response.rsplit(":", 1)
    with socket.create_connection((host, int(port)), timeout=30) as response:
        response.sendall(sealed(connection_info, args.public_key))
    app.start()


if __name__ == "__main__":
    main()
