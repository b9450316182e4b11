"""The JupyterLab server that the Galata tests drive."""

import os

from jupyterlab.galata import configure_jupyter_server

configure_jupyter_server(c)  # type: ignore[name-defined] # noqa: F821

# CI runs as root in a container.
c.ServerApp.allow_root = True  # type: ignore[name-defined] # noqa: F821
c.ServerApp.port = int(os.environ.get("COLAB_EXT_UI_PORT", "8888"))  # type: ignore[name-defined] # noqa: F821
c.ServerApp.jpserver_extensions = {"colab_ext": True}  # type: ignore[name-defined] # noqa: F821

# NVML for the browser tests: the stand-in driver of tests/nvml_standin/, loaded into this server
# before anything asks for NVML (kernels find it through LD_LIBRARY_PATH). A spec says what it
# reports by writing .nvml-standin/nvml.conf; it starts as a machine without a working driver,
# like the CI machine itself, so the other specs see what they would without the stand-in.
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

_repo = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(_repo))
from tests import nvml_standin  # noqa: E402

_nvml_dir = Path(__file__).resolve().parent / ".nvml-standin"
nvml_standin.preload(nvml_standin.build(_nvml_dir))
nvml_standin.configure(_nvml_dir / "nvml.conf", init=9)  # NVML_ERROR_DRIVER_NOT_LOADED
