"""The Drive mount: a FUSE filesystem run in its own process by the server's supervisor.

``python -m colab_ext.drive.fusefs CONFIG.json``. Layout: ``MyDrive/`` and, when there are any,
``Shareddrives/<name>/``. Google Docs/Sheets/Slides are read-only exports (``.docx`` ...).
Deleting moves to Drive's trash. A slow Drive stalls only this process, never JupyterLab.

The operations are layered by concern, each module building on the one before: ``tree``
(paths to Drive files, attributes, listings), ``handles`` (open, read, write, close),
``namespace`` (unlink, mkdir, rmdir, rename), ``filesystem`` (life cycle and ``main``). Under
them: ``streams`` (reads), ``transfers`` (uploads and the status file the server reads),
``fusebind`` and ``fuse_direct`` (libfuse glue). The server never imports this package; it
reaches Drive through ``..client``, as the server does.
"""
