"""Build and configure the stand-in ``libnvidia-ml.so.1`` that the tests drive NVML through."""

from __future__ import annotations

import ctypes
import os
import subprocess
from pathlib import Path

SOURCE = Path(__file__).with_name("nvml_standin.c")


def build(out_dir: Path) -> Path:
    """Compile the stand-in into ``out_dir/libnvidia-ml.so.1`` (once per source change)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    library = out_dir / "libnvidia-ml.so.1"
    if not library.exists() or library.stat().st_mtime < SOURCE.stat().st_mtime:
        subprocess.run(
            [
                "gcc",
                "-shared",
                "-fPIC",
                "-O1",
                "-Wall",
                "-Werror",
                "-Wl,-soname,libnvidia-ml.so.1",
                "-o",
                str(library),
                str(SOURCE),
            ],
            check=True,
        )
    return library


def preload(library: Path) -> None:
    """Load the stand-in into this process under the driver's soname.

    nvidia-ml-py opens ``libnvidia-ml.so.1`` by name; once a library with that soname is loaded,
    the dynamic loader hands back the same one, so the bindings run unchanged against it.
    Child processes (kernels) find it through ``LD_LIBRARY_PATH`` instead.
    """
    ctypes.CDLL(str(library), mode=ctypes.RTLD_GLOBAL)
    os.environ["LD_LIBRARY_PATH"] = os.pathsep.join(
        filter(None, [str(library.parent), os.environ.get("LD_LIBRARY_PATH")])
    )


def configure(config_file: Path, **settings: object) -> None:
    """Write what the stand-in reports from now on: ``init``, ``driver``, ``delay_ms``, ``gpus``."""
    lines = []
    for key, value in settings.items():
        if key == "gpus":
            lines += [f"gpu {name}" for name in value]  # type: ignore[attr-defined]
        else:
            lines.append(f"{key} {value}")
    config_file.write_text("\n".join(lines) + "\n")
    os.environ["NVML_STANDIN_CONFIG"] = str(config_file)
