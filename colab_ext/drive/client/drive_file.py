"""One Drive file or folder as the picker and the mount see it, and the mime types around it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

FOLDER = "application/vnd.google-apps.folder"
#: Google Docs types and what they are exported as (mime type, file extension).
EXPORTS = {
    "application/vnd.google-apps.document": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ".docx",
    ),
    "application/vnd.google-apps.spreadsheet": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ".xlsx",
    ),
    "application/vnd.google-apps.presentation": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ".pptx",
    ),
    "application/vnd.google-apps.drawing": ("application/pdf", ".pdf"),
}
#: The metadata fields asked of Drive for every file (what :meth:`DriveFile.of` reads).
FIELDS = "id, name, mimeType, size, modifiedTime, parents"


@dataclass(frozen=True)
class DriveFile:
    """One file or folder as the picker and the mount see it."""

    id: str
    name: str
    mime_type: str
    size: int | None
    modified: str | None

    @property
    def is_folder(self) -> bool:
        return self.mime_type == FOLDER

    @property
    def export(self) -> tuple[str, str] | None:
        return EXPORTS.get(self.mime_type)

    @property
    def local_name(self) -> str:
        """The name it has on disk: Docs get their export's extension."""
        export = self.export
        return self.name + export[1] if export and not self.name.endswith(export[1]) else self.name

    @classmethod
    def of(cls, meta: dict[str, Any]) -> DriveFile:
        size = meta.get("size")
        return cls(
            meta["id"],
            meta["name"],
            meta["mimeType"],
            int(size) if size else None,
            meta.get("modifiedTime"),
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "local_name": self.local_name,
            "mime_type": self.mime_type,
            "size": self.size,
            "modified": self.modified,
            "is_folder": self.is_folder,
            "is_google_doc": self.export is not None,
        }


def sniff_mime(name: str) -> str:
    import mimetypes

    if name.endswith(".ipynb"):
        return "application/x-ipynb+json"
    return mimetypes.guess_type(name)[0] or "application/octet-stream"
