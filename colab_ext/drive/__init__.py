"""Google Drive: connect, mount as a real folder, open and save copies.

In kernel code, as in Colab (``google.colab`` is colab-ext's own, in ``kernel_site/``)::

    from google.colab import drive
    drive.mount('/content/drive')
    drive.flush_and_unmount()

``from colab_ext import drive`` gives the same two functions.

The server side (``setup``) is imported only by the server, so kernels import little.

Which code runs where:

- this folder's modules run in the Jupyter server: routes (``handlers``), the service behind
  them, copies, and ``mount``, which starts and stops one mount process per mounted folder;
- ``fusefs/`` runs only in that mount process (``python -m colab_ext.drive.fusefs``): the FUSE
  filesystem with its reads, uploads and libfuse glue;
- ``client/``, the Drive API client, runs in both, and so do ``oauth`` and ``store`` (the
  mount process reads the same credentials).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .kernel import flush_and_unmount, mount

if TYPE_CHECKING:
    from ..app import ColabExt
    from ..core.routing import Route

__all__ = ["flush_and_unmount", "mount", "setup"]


def setup(app: ColabExt) -> list[Route]:
    """Build the Drive service and return its REST routes."""
    from ..core.routing import route
    from . import handlers as h
    from .service import DriveService

    server = app.serverapp
    assert server is not None
    drive = DriveService(app, server.root_dir, app.log, server.contents_manager)
    # Only once the server listens: a server that never comes up must leave no file behind.
    app.on_start(
        lambda: drive.write_server_file(server.connection_url, server.identity_provider.token)
    )
    app.on_stop(drive.stop)
    routes = {
        "drive/status": h.DriveStatusHandler,
        "drive/client": h.DriveClientHandler,
        "drive/connect": h.DriveConnectHandler,
        "drive/oauth/callback": h.DriveCallbackHandler,
        "drive/disconnect": h.DriveDisconnectHandler,
        "drive/files": h.DriveFilesHandler,
        "drive/open": h.DriveOpenHandler,
        "drive/save": h.DriveSaveHandler,
        "drive/jobs/{job_id}": h.DriveJobHandler,
        "drive/mount": h.DriveMountHandler,
        "drive/unmount": h.DriveUnmountHandler,
        "drive/connect-requests/{request_id}/decline": h.DriveConnectRequestHandler,
        "drive/kernel-credentials": h.DriveKernelCredentialsHandler,
    }
    return [route(path, handler, drive=drive) for path, handler in routes.items()]
