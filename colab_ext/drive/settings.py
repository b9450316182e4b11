"""Admin settings of the Drive feature, read as ``c.ColabExt.drive_*``."""

from __future__ import annotations

from traitlets import Bool, Float, Integer, Unicode
from traitlets.config import Configurable

GOOGLE_DRIVE_API = "https://www.googleapis.com/drive/v3/"
GOOGLE_REVOKE_URI = "https://oauth2.googleapis.com/revoke"


class DriveSettings(Configurable):
    """How the server reaches Google Drive and where it mounts it."""

    drive_client_secrets_file = Unicode(
        "",
        config=True,
        help="Path to an OAuth client JSON (type 'Web application') downloaded from the Google "
        "Cloud console. When set, users connect with it and need not upload their own. Its "
        "redirect URIs must include <scheme>://<host><base_url>colab/drive/oauth/callback "
        "(see docs/drive-oauth.md).",
    )
    drive_service_account_file = Unicode(
        "",
        config=True,
        help="Path to a service account key JSON. When set, the server uses it for Drive and "
        "users need not connect: the service account's own Drive (and what is shared with it) "
        "is what they see.",
    )
    drive_use_application_default_credentials = Bool(
        False,
        config=True,
        help="Use Google's application default credentials (GOOGLE_APPLICATION_CREDENTIALS, "
        "gcloud auth application-default login, or the metadata server) for Drive.",
    )
    drive_redirect_uri = Unicode(
        "",
        config=True,
        help="The OAuth redirect URI to register and use, when the URL users reach the server by "
        "differs from what it sees (a proxy), or one URI for every user of a JupyterHub "
        "(https://<hub>/hub/user-redirect/colab/drive/oauth/callback). Default: built from the "
        "request, <scheme>://<host><base_url>colab/drive/oauth/callback. The setup dialog shows "
        "the URI in use.",
    )
    drive_api_endpoint = Unicode(
        GOOGLE_DRIVE_API,
        config=True,
        help="Base URL of the Drive v3 API (the whole URL, ending in /drive/v3/). Change it only "
        "for a proxy or a test double.",
    )
    drive_revoke_uri = Unicode(
        GOOGLE_REVOKE_URI, config=True, help="Google's OAuth token revocation endpoint."
    )
    drive_mount_path = Unicode(
        "drive",
        config=True,
        help="Where the file browser's Drive mount goes, relative to the server root. My Drive "
        "appears as <path>/MyDrive and shared drives under <path>/Shareddrives.",
    )
    drive_listing_cache_s = Float(
        10.0,
        config=True,
        help="Seconds a folder listing of the mount is reused before Drive is asked again.",
    )
    drive_read_ahead_mb = Integer(
        16,
        config=True,
        help="Most MiB a read may jump ahead of an open file's stream and still be reached by "
        "reading on (a longer jump is a new request).",
    )
    drive_request_timeout_s = Float(
        60.0,
        config=True,
        help="Seconds one request to Drive may take before it is retried or reported.",
    )
    drive_fuse_device = Unicode(
        "/dev/fuse",
        config=True,
        help="The FUSE device. Mounting needs it readable and writable by the server's user.",
    )
    drive_unmount_flush_timeout_s = Float(
        300.0,
        config=True,
        help="Seconds an unmount waits for pending uploads to finish. (At server shutdown each "
        "mount gets a few seconds at most: a hung Drive must not hold the server's exit up.)",
    )
    drive_connect_wait_s = Float(
        10.0,
        config=True,
        help="While kernel code's drive.mount() waits for the user to connect Drive, each of its "
        "requests is held this many seconds before it asks again. Keep it under the read timeout "
        "of any proxy in front of the server. A page opened meanwhile (a reload) shows the prompt "
        "again after at most this long.",
    )
