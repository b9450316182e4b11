"""Admin settings of the Secrets panel, read as ``c.ColabExt.secrets_*``."""

from __future__ import annotations

from traitlets import Float, Unicode
from traitlets.config import Configurable


class SecretsSettings(Configurable):
    """Where users' secrets are kept, and how long ``userdata.get`` waits for a grant."""

    secrets_path = Unicode(
        "",
        config=True,
        help="The owner-only (0600) JSON file that keeps the user's secrets and which notebooks "
        "may read each. Empty: colab_ext/secrets.json in the Jupyter data folder.",
    )

    secrets_prompt_timeout = Float(
        120.0,
        config=True,
        help="Seconds that google.colab.userdata.get waits for the user to answer the 'grant "
        "this notebook access' prompt in the page before raising NotebookAccessError.",
    )
