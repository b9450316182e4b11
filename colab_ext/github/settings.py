"""Admin settings of the GitHub feature, read as ``c.ColabExt.github_*``."""

from __future__ import annotations

import os

from traitlets import Float, Int, List, Unicode, default
from traitlets.config import Configurable


class GitHubSettings(Configurable):
    """Where GitHub is and how colab-ext talks to it (mixed into ``ColabExt``)."""

    github_api_url = Unicode(
        config=True,
        help="Base URL of GitHub's REST API. For GitHub Enterprise Server use "
        "'https://HOST/api/v3'. Defaults to $COLAB_EXT_GITHUB_API_URL or https://api.github.com.",
    )

    @default("github_api_url")
    def _default_api_url(self) -> str:
        return os.environ.get("COLAB_EXT_GITHUB_API_URL", "https://api.github.com")

    github_web_url = Unicode(
        config=True,
        help="Base URL of GitHub's web site: links shown to users, URLs recognised by "
        "'Open from GitHub', and the device-flow endpoints. Defaults to https://github.com, or "
        "to the API URL without '/api/v3' when that is set for GitHub Enterprise.",
    )

    @default("github_web_url")
    def _default_web_url(self) -> str:
        api = self.github_api_url.rstrip("/")
        if api.endswith("/api/v3"):
            return api[: -len("/api/v3")]
        return os.environ.get("COLAB_EXT_GITHUB_WEB_URL", "https://github.com")

    github_oauth_client_id = Unicode(
        "",
        config=True,
        help="Client id of a GitHub OAuth app with the device flow enabled. When set, users can "
        "connect by entering a code on GitHub instead of pasting a personal access token.",
    )

    github_token_path = Unicode(
        "",
        config=True,
        help="File that keeps the connected GitHub token (owner-only permissions). Empty: "
        "'colab_ext/github_token.json' in the Jupyter data directory.",
    )

    github_seconds_between_requests = Float(
        0.25,
        config=True,
        help="Least time between two GitHub API calls, to stay within GitHub's secondary rate "
        "limits (PyGithub's seconds_between_requests).",
    )

    github_seconds_between_writes = Float(
        1.0,
        config=True,
        help="Least time between two GitHub API writes (PyGithub's seconds_between_writes).",
    )

    github_timeout = Float(
        30.0, config=True, help="Seconds to wait for one GitHub API call before giving up."
    )

    github_retries = Int(
        3,
        config=True,
        help="How often a read from GitHub is retried after a 5xx or dropped connection. Writes "
        "are never blindly retried: colab-ext checks whether the write landed first.",
    )

    github_contents_api_max_bytes = Int(
        900_000,
        config=True,
        help="Notebooks larger than this many bytes are committed through the Git Data API "
        "(blobs, trees, commits) instead of the contents API, which refuses files near 1 MB.",
    )

    open_in_folder = Unicode(
        "",
        config=True,
        help="Folder (relative to the server root) that open-in links "
        "(<base_url>/colab/open/...) copy notebooks into unless the user picks another on the "
        "confirmation page. Empty: the root, where the file browser starts.",
    )

    open_url_allowed_hosts = List(
        Unicode(),
        ["raw.githubusercontent.com", "gist.githubusercontent.com"],
        config=True,
        help="Hosts that the '?url=' form of open-in links may fetch a notebook from (https "
        "only, exact host names, lower case). Empty: the '?url=' form is off.",
    )

    open_max_bytes = Int(
        20_000_000,
        config=True,
        help="Largest notebook, in bytes, that an open-in link may fetch.",
    )
