"""Colab's ``google.colab.output``: ``eval_js``, ``register_callback`` and ``clear``, with Colab's
signatures, return values and errors.

``eval_js(script)`` names the script to the page on IOPub under the running cell
(``colab_ext_output_request``). Only the page whose kernel connection ran that cell evaluates it:
JupyterLab trusts what the user just ran, never a notebook merely opened, and a saved notebook
holds nothing to run again. The page answers on the kernel's stdin channel, as Colab's page does
and as ``input()`` is answered: it is the one channel a kernel reads while a cell runs (its shell
channel waits for the cell to end), and only a connection that may run code in the kernel can
write to it.

``register_callback(name, callback)`` makes ``callback`` what the page's
``google.colab.kernel.invokeFunction(name, args, kwargs)`` calls: the page asks the kernel to
evaluate :func:`_invoke_function` (a silent request, nothing in the history or the outputs) and
resolves with the result as Jupyter formats it, ``{data: {'text/plain': ..., ...}, metadata}``.

What Colab's module has beyond these (output areas, tags, serving a kernel port) raises
:class:`UnsupportedInColabExt`.

Standard library (and the running ipykernel) only.
"""

from __future__ import annotations

import json
import sys
import uuid
from collections.abc import Callable, Iterable
from typing import Any

from . import _iopub, _stdin_reply
from ._error_base import colab_error_base
from ._unsupported import unsupported

__all__ = [
    "MessageError",
    "clear",
    "disable_custom_widget_manager",
    "enable_custom_widget_manager",
    "eval_js",
    "register_callback",
]

#: The IOPub message that asks the page to evaluate a script.
REQUEST_MESSAGE = "colab_ext_output_request"
#: Colab's names that colab-ext does not provide yet.
_NOT_YET = (
    "redirect_to_element",
    "to_default_area",
    "to_footer_area",
    "to_header_area",
    "use_tags",
    "temporary",
    "serve_kernel_port_as_iframe",
    "serve_kernel_port_as_window",
)


_ColabError = colab_error_base()


class MessageError(_ColabError):  # type: ignore[misc,valid-type]
    """The script failed in the page (it threw, or its promise was rejected); the message is the
    page's error, as Colab's ``google.colab._message.MessageError`` carries it."""


_functions: dict[str, Callable[..., Any]] = {}


def eval_js(script: str, ignore_result: bool = False, timeout_sec: float | None = None) -> Any:
    """Evaluates the Javascript within the context of the current cell.

    The page that ran the cell evaluates ``script`` as ``eval`` does (the value of its last
    expression; a promise is awaited) and sends back the value as JSON.

    Args:
      script: The javascript string to be evaluated.
      ignore_result: If true, returns at once, and the result from the page is ignored.
      timeout_sec: Wait at most this many seconds for the result (None: until it comes).

    Returns:
      The result of the evaluation (JSON decoded); None when ``ignore_result``, when the script's
      value has no JSON form (``undefined``), or when ``timeout_sec`` passed with no answer, as in
      Colab.

    Raises:
      MessageError: the script threw, or its promise was rejected.
      RuntimeError: no page can answer (the cell was run headless, by nbclient or papermill).
    """
    if not isinstance(script, str):
        raise TypeError(f"script must be a str of JavaScript, not {type(script).__name__}.")
    kernel = _stdin_reply.running_kernel("google.colab.output.eval_js")
    if not ignore_result and not _iopub.frontend_can_answer():
        # nbclient, papermill: no page will answer, and waiting would hang the run for good.
        raise RuntimeError(
            "google.colab.output.eval_js needs a page to run the JavaScript, and this cell was "
            "run by a frontend that cannot answer (it sent it without allow_stdin, as nbclient "
            "and papermill do). Run it from JupyterLab."
        )
    request_id = uuid.uuid4().hex
    request = {"id": request_id, "script": script, "ignore_result": bool(ignore_result)}
    if not _iopub.announce(REQUEST_MESSAGE, request):
        raise RuntimeError(
            "google.colab.output.eval_js could not reach the page: run it in a cell of a notebook "
            "open in JupyterLab."
        )
    if ignore_result:
        return None
    reply = _stdin_reply.read_reply(
        kernel,
        request_id,
        timeout_sec,
        "google.colab.output.eval_js",
        lambda: _iopub.announce(REQUEST_MESSAGE, {**request, "reannounced": True}),
    )
    if reply is None:
        return None  # timed out, as Colab returns
    if "error" in reply:
        raise MessageError(reply["error"])
    return reply.get("data")


def register_callback(function_name: str, callback: Callable[..., Any]) -> None:
    """Registers a function as a target invokable by Javascript in outputs.

    In the page, ``google.colab.kernel.invokeFunction(function_name, [1, 2], {'hi': 'bye'})``
    calls ``callback(1, 2, hi='bye')`` and resolves with its result as Jupyter formats it:
    ``result.data['text/plain']`` always, ``result.data['application/json']`` when the callback
    returns ``IPython.display.JSON(...)``. An exception rejects the promise.

    Args:
      function_name: The name JavaScript calls it by.
      callback: A function that takes the positional and keyword arguments given there.
    """
    _functions[function_name] = callback


def _invoke_function(function_name: str, json_args: str, json_kwargs: str) -> Any:
    """Call the callback registered as ``function_name`` (the page's invokeFunction).

    Raises:
      ValueError: no callback of that name is registered.
    """
    args = json.loads(json_args)
    kwargs = json.loads(json_kwargs)
    callback = _functions.get(function_name)
    if callback is None:
        raise ValueError(f"Function not found: {function_name}")
    return callback(*args, **kwargs)


def clear(wait: bool = False, output_tags: str | Iterable[str] = ()) -> None:
    """Clears the output of the current cell (as IPython's ``clear_output``).

    Args:
      wait: Wait until the next output before clearing, so that it replaces the old one without
        flicker.
      output_tags: In Colab, clear only the outputs marked with these tags (``use_tags``).
        colab-ext marks no output with tags, so no output carries them and nothing is cleared.
    """
    tags = [output_tags] if isinstance(output_tags, str) else list(output_tags)
    sys.stdout.flush()
    sys.stderr.flush()
    if tags:
        return
    from IPython.display import clear_output

    clear_output(wait=wait)  # type: ignore[no-untyped-call]


def enable_custom_widget_manager() -> None:
    """Colab switches to its third-party widget manager; JupyterLab's already renders them."""


def disable_custom_widget_manager() -> None:
    """Colab switches back to its own widget manager; nothing to do in JupyterLab."""


def __getattr__(name: str) -> Any:
    if name in _NOT_YET:
        raise unsupported(f"output.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
