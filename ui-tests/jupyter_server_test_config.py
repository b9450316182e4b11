"""The JupyterLab server that the Galata tests drive."""

import os
import tempfile

from jupyterlab.galata import configure_jupyter_server

configure_jupyter_server(c)  # type: ignore[name-defined] # noqa: F821

# CI runs as root in a container.
c.ServerApp.allow_root = True  # type: ignore[name-defined] # noqa: F821
c.ServerApp.port = int(os.environ.get("COLAB_EXT_UI_PORT", "8888"))  # type: ignore[name-defined] # noqa: F821
c.ServerApp.jpserver_extensions = {"colab_ext": True}  # type: ignore[name-defined] # noqa: F821

# The GitHub spec starts a fake GitHub on this port (tests/github/fake_github.py); the server
# talks to it instead of github.com, and keeps the token in a folder of its own.
_github_fake = int(os.environ.get("COLAB_EXT_FAKE_GITHUB_PORT", c.ServerApp.port + 1000))  # type: ignore[name-defined] # noqa: F821
c.ColabExt.github_api_url = f"http://127.0.0.1:{_github_fake}"  # type: ignore[name-defined] # noqa: F821
c.ColabExt.github_web_url = f"http://127.0.0.1:{_github_fake}"  # type: ignore[name-defined] # noqa: F821
c.ColabExt.github_token_path = os.path.join(tempfile.mkdtemp(), "github_token.json")  # type: ignore[name-defined] # noqa: F821
c.ColabExt.github_seconds_between_writes = 0.0  # type: ignore[name-defined] # noqa: F821
c.ColabExt.github_seconds_between_requests = 0.0  # type: ignore[name-defined] # noqa: F821
c.ColabExt.github_oauth_client_id = "Iv1.galata"  # type: ignore[name-defined] # noqa: F821
