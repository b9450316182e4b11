"""The JupyterLab server that the Galata tests drive."""

import json
import os
import sys
import tempfile
from pathlib import Path

from jupyterlab.galata import configure_jupyter_server

configure_jupyter_server(c)  # type: ignore[name-defined] # noqa: F821

# CI runs as root in a container.
c.ServerApp.allow_root = True  # type: ignore[name-defined] # noqa: F821
c.ServerApp.port = int(os.environ.get("COLAB_EXT_UI_PORT", "8888"))  # type: ignore[name-defined] # noqa: F821
c.ServerApp.jpserver_extensions = {"colab_ext": True}  # type: ignore[name-defined] # noqa: F821

# NVML for the browser tests: the stand-in driver of tests/nvml_standin/, loaded into this server
# before anything asks for NVML (kernels find it through LD_LIBRARY_PATH). It starts with the GPUs
# named in COLAB_EXT_UI_NVML_GPUS (comma-separated; playwright.config.js defaults it to an H100 and
# an A100 for the runtime-type spec), or, when that is empty, as a machine without a working driver.
# That start is kept in .nvml-standin/baseline.conf; a spec changes what the driver reports by
# writing .nvml-standin/nvml.conf (re-read when it changes) and puts the baseline back afterwards.
_repo = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(_repo))
from tests import nvml_standin  # noqa: E402

_nvml_dir = Path(__file__).resolve().parent / ".nvml-standin"
nvml_standin.preload(nvml_standin.build(_nvml_dir))
_ui_gpus = [name.strip() for name in os.environ.get("COLAB_EXT_UI_NVML_GPUS", "").split(",")]
if any(_ui_gpus):
    nvml_standin.configure(
        _nvml_dir / "baseline.conf",
        gpus=[
            {"name": name, "mem_total": 80 << 30, "mem_used": index << 30}
            for index, name in enumerate(filter(None, _ui_gpus))
        ],
    )
else:
    nvml_standin.configure(_nvml_dir / "baseline.conf", init=9)  # NVML_ERROR_DRIVER_NOT_LOADED
(_nvml_dir / "nvml.conf").write_text((_nvml_dir / "baseline.conf").read_text())
os.environ["NVML_STANDIN_CONFIG"] = str(_nvml_dir / "nvml.conf")
# The GitHub spec starts a fake GitHub on this port (tests/github/fake_github.py); the server
# talks to it instead of github.com, and keeps the token in a folder of its own.
_github_fake = int(os.environ.get("COLAB_EXT_FAKE_GITHUB_PORT", c.ServerApp.port + 1000))  # type: ignore[name-defined] # noqa: F821
c.ColabExt.github_api_url = f"http://127.0.0.1:{_github_fake}"  # type: ignore[name-defined] # noqa: F821
c.ColabExt.github_web_url = f"http://127.0.0.1:{_github_fake}"  # type: ignore[name-defined] # noqa: F821
c.ColabExt.github_token_path = os.path.join(tempfile.mkdtemp(), "github_token.json")  # type: ignore[name-defined] # noqa: F821
c.ColabExt.github_seconds_between_writes = 0.0  # type: ignore[name-defined] # noqa: F821
c.ColabExt.github_seconds_between_requests = 0.0  # type: ignore[name-defined] # noqa: F821
c.ColabExt.github_oauth_client_id = "Iv1.galata"  # type: ignore[name-defined] # noqa: F821
# Google Drive (ui-tests/tests/drive.spec.ts): a fake Drive + OAuth server on loopback (UI port
# + 2000; the fake GitHub takes + 1000), an
# admin-configured OAuth client pointing at it, and a throw-away data dir for the tokens.
from tests.drive.fake_drive import FakeDrive  # noqa: E402

_ui_port = int(os.environ.get("COLAB_EXT_UI_PORT", "8888"))
_fake_drive = FakeDrive(port=int(os.environ.get("COLAB_EXT_FAKE_DRIVE_PORT", _ui_port + 2000)))
_fake_drive.start()
_folder = _fake_drive.add_folder("Colab Notebooks")
_fake_drive.add_file(
    "analysis.ipynb",
    json.dumps(
        {
            "cells": [
                {
                    "cell_type": "markdown",
                    "metadata": {},
                    "source": ["# Analysis from Drive"],
                }
            ],
            "metadata": {
                "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
            },
            "nbformat": 4,
            "nbformat_minor": 5,
        }
    ).encode(),
    parent=_folder,
)
_fake_drive.add_file("Quarterly plan", mime="application/vnd.google-apps.document")
_drive_dir = Path(tempfile.mkdtemp(prefix="colab-ui-drive-"))
os.environ["JUPYTER_DATA_DIR"] = str(_drive_dir / "data")
(_drive_dir / "client.json").write_text(json.dumps(_fake_drive.client_config()))
c.ColabExt.drive_client_secrets_file = str(_drive_dir / "client.json")  # type: ignore[name-defined] # noqa: F821
c.ColabExt.drive_api_endpoint = f"{_fake_drive.url}/drive/v3/"  # type: ignore[name-defined] # noqa: F821
c.ColabExt.drive_revoke_uri = f"{_fake_drive.url}/revoke"  # type: ignore[name-defined] # noqa: F821
# Runtime lifetime (ui-tests/tests/lifetime.spec.ts): the idle culler on, with a timeout no spec
# reaches and connected kernels counted, so an open notebook shows "idle shutdown in 60 min"
# without any other spec's kernel being culled; and an admin type that only that spec opens,
# whose short, extendable maximum lifetime it warns about and extends.
c.MappingKernelManager.cull_idle_timeout = 3600  # type: ignore[name-defined] # noqa: F821
c.MappingKernelManager.cull_interval = 300  # type: ignore[name-defined] # noqa: F821
c.MappingKernelManager.cull_connected = True  # type: ignore[name-defined] # noqa: F821
c.ColabExt.runtime_types = [  # type: ignore[name-defined] # noqa: F821
    {"id": "cpu-short", "label": "CPU (short)", "description": "Lives 45 s (lifetime spec)."}
]
c.ColabExt.runtime_max_lifetime_s = {"cpu-short": 45}  # type: ignore[name-defined] # noqa: F821
c.ColabExt.runtime_lifetime_warning_s = 40  # type: ignore[name-defined] # noqa: F821
c.ColabExt.runtime_lifetime_extendable = True  # type: ignore[name-defined] # noqa: F821
c.ColabExt.runtime_lifetime_check_s = 2  # type: ignore[name-defined] # noqa: F821
