"""Build and configure the stand-in ``libnvidia-ml.so.1`` that the tests drive NVML through.

See ``nvml_standin.c`` for what it can report. In tests, use the ``nvml`` fixture:

    nvml(driver="550.54.15", gpus=[{"name": "NVIDIA H100 80GB HBM3", "mem_used": 2 << 30}],
         procs=[(0, kernel_pid, 11 << 30)], fail={"nvmlDeviceGetTemperature": 3})
"""

from __future__ import annotations

import ctypes
import os
import subprocess
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

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


def _gpu_line(gpu: str | Mapping[str, Any], kind: str = "gpu") -> str:
    if isinstance(gpu, str):
        gpu = {"name": gpu}
    return f"{kind} " + ";".join(f"{key}={value}" for key, value in gpu.items())


def configure(
    config_file: Path,
    *,
    gpus: Iterable[str | Mapping[str, Any]] = (),
    procs: Iterable[tuple[int, ...]] = (),
    migs: Iterable[Mapping[str, Any]] = (),
    fail: Mapping[str, int] | None = None,
    **settings: object,
) -> None:
    """Write what the stand-in reports from the next nvmlInit on.

    ``gpus``: names, or dicts of name, uuid, mem_total, mem_used, util, mem_util, temp, power,
    power_limit, mig. ``procs``: (gpu index, pid, bytes used[, MIG slot]). ``migs``: MIG
    instances of GPUs with ``mig=1``, dicts of gpu (index), slot, name, uuid, mem_total,
    mem_used, gi, ci.
    ``fail``: function name to NVML return code. Other keywords: init, driver, cuda, delay_ms.
    """
    lines = [f"{key} {value}" for key, value in settings.items()]
    lines += [_gpu_line(gpu) for gpu in gpus]
    lines += [_gpu_line(mig, "mig") for mig in migs]
    lines += ["proc " + " ".join(str(value) for value in proc) for proc in procs]
    lines += [f"fail {function} {code}" for function, code in (fail or {}).items()]
    config_file.write_text("\n".join(lines) + "\n")
    os.environ["NVML_STANDIN_CONFIG"] = str(config_file)
