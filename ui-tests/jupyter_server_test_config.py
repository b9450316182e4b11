"""The JupyterLab server that the Galata tests drive."""

import os

from jupyterlab.galata import configure_jupyter_server

configure_jupyter_server(c)  # type: ignore[name-defined] # noqa: F821

# CI runs as root in a container.
c.ServerApp.allow_root = True  # type: ignore[name-defined] # noqa: F821
c.ServerApp.port = int(os.environ.get("COLAB_EXT_UI_PORT", "8888"))  # type: ignore[name-defined] # noqa: F821
c.ServerApp.jpserver_extensions = {"colab_ext": True}  # type: ignore[name-defined] # noqa: F821

# Opt-in stand-in NVIDIA driver (tests/nvml_standin), so the GPU parts of the UI have GPUs to show:
# COLAB_EXT_UI_NVML_GPUS is a comma-separated list of GPU names. The server loads the stand-in
# under the driver's soname, and kernels find it through LD_LIBRARY_PATH.
if os.environ.get("COLAB_EXT_UI_NVML_GPUS"):
    import importlib.util
    import tempfile
    from pathlib import Path

    _spec = importlib.util.spec_from_file_location(
        "nvml_standin", Path(__file__).parent.parent / "tests" / "nvml_standin" / "__init__.py"
    )
    assert _spec and _spec.loader
    _standin = importlib.util.module_from_spec(_spec)
    _spec.loader.exec_module(_standin)
    _nvml_dir = Path(tempfile.mkdtemp(prefix="colab-ext-ui-nvml-"))
    _standin.preload(_standin.build(_nvml_dir))
    _standin.configure(
        _nvml_dir / "nvml.conf",
        gpus=[
            {"name": name.strip(), "mem_total": 80 << 30, "mem_used": index << 30}
            for index, name in enumerate(os.environ["COLAB_EXT_UI_NVML_GPUS"].split(","))
        ],
    )
