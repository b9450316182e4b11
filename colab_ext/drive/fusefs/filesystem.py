"""The whole Drive filesystem with its life cycle, and ``main``, which mounts it."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import mfusepy

from .fusebind import READ_AHEAD_KIB, DriveFuse, raise_read_ahead
from .namespace import DriveNamespace


class DriveFs(DriveNamespace):
    """Drive as a folder tree."""

    def init_with_config(self, conn_info: Any, config_3: Any) -> None:
        if conn_info is not None:
            # Let the kernel read ahead further: fewer, larger reads reach this process.
            conn_info.max_readahead = READ_AHEAD_KIB * 1024
        self.direct_io.request(conn_info)
        # The mount answers only once init returns: raise the kernel's cap from another thread.
        threading.Thread(target=self._announce_mounted, name="drive-mounted", daemon=True).start()

    def _announce_mounted(self) -> None:
        raise_read_ahead(self.config["mountpoint"], READ_AHEAD_KIB)
        self.status.update(state="mounted", direct_reads=self.direct_io.granted)

    def destroy(self, path: str) -> None:
        self.status.update(state="flushing")
        self.uploader.drain()
        for local_file in self.local_files.values():
            local_file.unlink(missing_ok=True)
        self.cache_files.clear()
        self.status.update(state="unmounted")


def main(argv: list[str]) -> int:
    config = json.loads(Path(argv[1]).read_text())
    operations = DriveFs(config)
    options: dict[str, Any] = {
        "foreground": True,
        "nothreads": False,
        "fsname": "colab-drive",
        "attr_timeout": 1.0,
        "entry_timeout": 1.0,
    }
    if config["readonly"]:
        options["ro"] = True
    if mfusepy.fuse_version_major == 2:
        options["big_writes"] = True  # else libfuse 2 passes writes on 4 KiB at a time
    DriveFuse(operations, config["mountpoint"], raw_fi=True, **options)
    return 0
