"""The JupyterLab that the gateway browser test drives: Galata's test settings, colab-ext on,
and every kernel on the Enterprise Gateway that launch.py started (COLAB_EXT_GATEWAY_URL)."""

import os

from jupyterlab.galata import configure_jupyter_server

configure_jupyter_server(c)  # type: ignore[name-defined] # noqa: F821

# CI runs as root in a container.
c.ServerApp.allow_root = True  # type: ignore[name-defined] # noqa: F821
c.ServerApp.port = int(os.environ.get("COLAB_EXT_UI_PORT", "8874"))  # type: ignore[name-defined] # noqa: F821
# COLAB_EXT_UI_GATEWAY_WITHOUT=1 runs the same test with colab-ext off, on jupyter_server's own
# gateway relay: the control that shows the stall (docs/gateway.md).
_with_colab_ext = os.environ.get("COLAB_EXT_UI_GATEWAY_WITHOUT") != "1"
c.ServerApp.jpserver_extensions = {"colab_ext": _with_colab_ext}  # type: ignore[name-defined] # noqa: F821
c.GatewayClient.url = os.environ["COLAB_EXT_GATEWAY_URL"]  # type: ignore[name-defined] # noqa: F821
# The server's side of every kernel websocket, in the server's log, for a stall to be read.
c.ServerApp.log_level = "DEBUG"  # type: ignore[name-defined] # noqa: F821
# A cluster type beside the built-in CPU, GPU and TPU: its resources reach the gateway (and, with
# local kernels, the kernel's environment) as KERNEL_* variables. This machine has no GPU, and on
# a gateway none is needed: the picker leaves placement to the cluster.
c.ColabExt.runtime_types = [  # type: ignore[name-defined] # noqa: F821
    {
        "id": "gpu-2x",
        "label": "2 GPUs",
        "accelerator": "gpu",
        "gpus": 2,
        "resources": {"memory": "2Gi", "gpus_limit": "2"},
        "description": "Two GPUs and 2 GiB, placed by the cluster.",
    }
]
