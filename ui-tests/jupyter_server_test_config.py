"""The JupyterLab server that the Galata tests drive."""

from jupyterlab.galata import configure_jupyter_server

configure_jupyter_server(c)  # type: ignore[name-defined] # noqa: F821

# CI runs as root in a container.
c.ServerApp.allow_root = True  # type: ignore[name-defined] # noqa: F821
# Tests start notebooks' kernels; keep them on this machine's Python.
c.ServerApp.jpserver_extensions = {"colab_ext": True}  # type: ignore[name-defined] # noqa: F821
