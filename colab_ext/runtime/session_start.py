"""Start a notebook's kernel on the runtime its metadata asks for, in one start.

When JupyterLab opens a notebook it asks the server for a session, and the server starts the
kernel. colab-ext wraps that one start on the server's own session manager: it reads the notebook's
metadata (Colab's, Kaggle's or its own keys), places the kernel on a GPU if asked, and adds the
type's variables to the environment jupyter_server builds (``get_kernel_env``). So a Colab notebook
with ``"accelerator": "GPU"`` starts on a GPU at once: no start on CPU followed by a restart.

The same ``get_kernel_env`` is also called when a session is renamed, to refresh the kernel's
environment for its next restart; there the runtime's own variables are left out, so a rename
never takes a notebook off its GPU.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable
from typing import Any

from jupyter_core.utils import ensure_async

from ..core.errors import ColabError
from ..core.upstream_internals import (
    SESSION_KERNEL_ENV,
    SESSION_START,
    live_method,
    replace_live_method,
)
from .kernels import notebook_path
from .metadata import RuntimeRequest, requested_runtime
from .switcher import RuntimeSwitcher
from .types import RuntimeType, with_runtime_env

#: Notebooks larger than this are not parsed for their runtime type (the kernel starts as default).
MAX_METADATA_READ_BYTES = 50 * 1024 * 1024


class SessionStartHook:
    """Installed on the server's session manager by :meth:`install`."""

    def __init__(
        self,
        switcher: RuntimeSwitcher,
        session_manager: Any,
        contents_manager: Any,
        log: logging.Logger | None = None,
    ) -> None:
        self.switcher = switcher
        self.session_manager = session_manager
        self.contents_manager = contents_manager
        self.log = log or logging.getLogger(__name__)
        #: Session path -> the overlay of the kernel being started for it (None: server default).
        self._starting: dict[str | None, dict[str, str] | None] = {}

    def install(self) -> None:
        """Wrap the session manager's kernel start and environment builder."""
        original_start = live_method(self.session_manager, SESSION_START)
        original_env: Callable[..., dict[str, str]] = live_method(
            self.session_manager, SESSION_KERNEL_ENV
        )
        signature = inspect.signature(original_start)

        async def start_kernel_for_session(*args: Any, **kwargs: Any) -> str:
            bound = signature.bind(*args, **kwargs).arguments
            path, session_type = bound.get("path"), bound.get("type")
            notebook = notebook_path(path, bound.get("name")) if path else None
            if self.switcher.kernels.is_remote:
                runtime_type = self.switcher.request_for_start(
                    await self._request(notebook, session_type)
                )
                args, kwargs = await self._on_kernelspec(signature, runtime_type, args, kwargs)
                return await self._start_remote(original_start, args, kwargs, path, runtime_type)
            async with self.switcher.placement_lock:
                runtime_type, self._starting[path] = await self._overlay(notebook, session_type)
                try:
                    args, kwargs = await self._on_kernelspec(signature, runtime_type, args, kwargs)
                    return str(await original_start(*args, **kwargs))
                finally:
                    self._starting.pop(path, None)

        def get_kernel_env(path: str | None, name: Any = None) -> dict[str, str]:
            env = original_env(path, name)
            if path in self._starting:
                overlay = self._starting[path]
                if overlay is None:
                    return env
                return with_runtime_env(env, env, self.switcher.catalogue.managed_keys, overlay)
            return {k: v for k, v in env.items() if k not in self.switcher.catalogue.managed_keys}

        replace_live_method(self.session_manager, SESSION_START, start_kernel_for_session)
        replace_live_method(self.session_manager, SESSION_KERNEL_ENV, get_kernel_env)

    async def _on_kernelspec(
        self,
        signature: inspect.Signature,
        runtime_type: RuntimeType | None,
        args: Any,
        kwargs: Any,
    ) -> tuple[Any, Any]:
        """The start's arguments with the type's own kernelspec, where it names one of the same
        language as the notebook's: a notebook saved as a type that runs ``python_kubernetes``
        starts there again, not on ``python3`` with the type's variables (which nothing on
        ``python3`` reads). A kernel of another language stays as the notebook asks."""
        if runtime_type is None or not runtime_type.kernelspec:
            return args, kwargs
        bound = signature.bind(*args, **kwargs)
        asked = bound.arguments.get("kernel_name")
        if asked == runtime_type.kernelspec:
            return args, kwargs
        availability = self.switcher.availability
        if asked and await availability.language_of(asked) != await availability.language_of(
            runtime_type.kernelspec
        ):
            return args, kwargs
        bound.arguments["kernel_name"] = runtime_type.kernelspec
        return bound.args, bound.kwargs

    async def _start_remote(
        self,
        original_start: Any,
        args: Any,
        kwargs: Any,
        path: str | None,
        runtime_type: RuntimeType | None,
    ) -> str:
        if runtime_type is None:
            self._starting[path] = None
        else:
            self._starting[path] = runtime_type.gateway_env() | dict(runtime_type.env)
        try:
            kernel_id = str(await original_start(*args, **kwargs))
        finally:
            self._starting.pop(path, None)
        if runtime_type is not None:
            self.switcher.remember_remote(kernel_id, runtime_type.id)
        return kernel_id

    async def _request(self, path: str | None, session_type: Any) -> Any:
        if session_type != "notebook" or not path or not path.endswith(".ipynb"):
            return None
        try:
            model = await ensure_async(self.contents_manager.get(path, content=False))
            if (model.get("size") or 0) > MAX_METADATA_READ_BYTES:
                return None
            model = await ensure_async(
                self.contents_manager.get(path, content=True, type="notebook")
            )
        except Exception as error:  # a notebook not saved yet, or not readable: start as default
            self.log.debug("colab-ext: no runtime metadata read from %s: %s", path, error)
            return None
        content = model.get("content")
        metadata = getattr(content, "metadata", None) or (content or {}).get("metadata")
        return requested_runtime(metadata)

    async def _overlay(
        self, path: str | None, session_type: Any
    ) -> tuple[RuntimeType | None, dict[str, str] | None]:
        """The type the kernel starts as and its variables; (None, None) for the default."""
        request = await self._request(path, session_type)
        runtime_type = self.switcher.request_for_start(request)
        self.log.info(
            "colab-ext: %s starts as %s", path, runtime_type.id if runtime_type else "default"
        )
        if runtime_type is None:
            return None, None
        overlay = await self._placed(path, runtime_type, request)
        return (runtime_type if overlay is not None else None), overlay

    async def _placed(
        self, path: str | None, runtime_type: RuntimeType, request: RuntimeRequest | None
    ) -> dict[str, str] | None:
        try:
            return await self.switcher.overlay_for(
                runtime_type,
                kernel_id=None,
                wanted=_pinned(request),
                prefer_model=request.gpu_name if request else None,
            )
        except ColabError as error:
            if request is None or request.gpu_index is None:
                self.log.warning("colab-ext: %s starts on the default runtime: %s", path, error)
                return None
        # The GPU the notebook was pinned to is gone or taken: any free one of the same type.
        try:
            return await self.switcher.overlay_for(
                runtime_type, kernel_id=None, prefer_model=request.gpu_name
            )
        except ColabError as error:
            self.log.warning("colab-ext: %s starts on the default runtime: %s", path, error)
            return None


def _pinned(request: RuntimeRequest | None) -> list[str]:
    return [str(request.gpu_index)] if request and request.gpu_index is not None else []
