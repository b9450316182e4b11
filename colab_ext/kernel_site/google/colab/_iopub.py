"""Messages from kernel code to the pages showing its notebook, on the kernel's IOPub channel.

A message goes out under the running cell (its parent is the cell's ``execute_request``), so a page
can tell whether it ran that cell. Pages ignore message types they do not know: nothing shows up
as output, and nothing is saved in the notebook to act on again when it is reopened.

Standard library (and the running ipykernel, when there is one) only.
"""

from __future__ import annotations

from typing import Any


def announce(message_type: str, content: dict[str, Any]) -> bool:
    """Send ``content`` as a ``message_type`` message to the pages connected to this kernel.

    The content names the cell (``cell_id``, from the metadata JupyterLab sends with each
    execute request), so that a page opened after the cell ran (a reload) can find it.
    False where that cannot be done: outside an ipykernel kernel, or when sending fails.
    """
    try:
        from ipykernel.kernelbase import Kernel

        if not Kernel.initialized():
            return False
        kernel: Any = Kernel.instance()
        parent: Any = kernel.get_parent("shell")
        cell_id = (parent.get("metadata") or {}).get("cellId") if parent else None
        if isinstance(cell_id, str):
            content = {**content, "cell_id": cell_id}
        kernel.session.send(
            kernel.iopub_socket,
            message_type,
            content,
            parent=parent,
            ident=message_type.encode(),
        )
    except Exception:
        return False
    return True


def frontend_can_answer() -> bool:
    """Whether the frontend that ran the current cell can ask its user something: it sent the
    cell with ``allow_stdin`` (JupyterLab does; nbclient and papermill do not)."""
    try:
        from ipykernel.kernelbase import Kernel

        if not Kernel.initialized():
            return False
        kernel: Any = Kernel.instance()
        parent: Any = kernel.get_parent("shell")
        return bool(parent.get("content", {}).get("allow_stdin", False))
    except Exception:
        return False
