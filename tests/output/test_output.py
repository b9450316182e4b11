"""``google.colab.output`` in a real kernel started by the server: ``eval_js`` asks the page on
IOPub under the cell and takes its answer from the stdin channel (here this test answers as the
page does), ``register_callback`` with what the page's invokeFunction evaluates, ``clear``."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

from tests.secrets.conftest import run_code
from tests.sessions import notebook_session

REQUEST = "colab_ext_output_request"

#: What the page's answer is for each script, in this test: (data) or an error.
Answer = Callable[[str], dict[str, Any] | None]


async def run_as_page(
    jp_serverapp: Any,
    kernel_id: str,
    code: str,
    answer: Answer,
    before: Callable[[dict[str, Any]], list[str]] | None = None,
) -> tuple[str, str | None, list[dict[str, Any]]]:
    """Run ``code``; answer each eval_js request as the page would (``answer(script)`` gives the
    reply's ``data``/``error``, None: no answer), after the raw stdin values ``before(request)``
    gives. Its stdout, error, and the requests it sent."""
    kernel = jp_serverapp.kernel_manager.get_kernel(kernel_id)
    client = kernel.client()
    client.start_channels()
    requests: list[dict[str, Any]] = []
    output: list[str] = []
    errors: list[str] = []
    cell: dict[str, str] = {}
    try:
        await client.wait_for_ready(timeout=60)

        def hook(message: dict[str, Any]) -> None:
            content, kind = message["content"], message["msg_type"]
            if kind == "execute_input":
                cell["msg_id"] = message["parent_header"]["msg_id"]
            elif kind == "stream":
                output.append(content["text"])
            elif kind == "error":
                errors.append(f"{content['ename']}: {content['evalue']}")
            elif kind == REQUEST:
                assert message["parent_header"]["msg_id"] == cell["msg_id"]  # under the cell
                requests.append(content)
                for value in before(content) if before else []:
                    client.input(value)
                reply = answer(content["script"])
                if reply is not None and not content["ignore_result"]:
                    value = {"type": "colab_reply", "colab_msg_id": content["id"], **reply}
                    client.input(json.dumps(value))

        await client.execute_interactive(code, output_hook=hook, timeout=120)
    finally:
        client.stop_channels()
    return "".join(output), (errors[0] if errors else None), requests


def evaluate(script: str) -> dict[str, Any] | None:
    """A tiny stand-in for the page's JavaScript: a few scripts and what they give."""
    known: dict[str, dict[str, Any] | None] = {
        "1 + 2": {"data": 3},
        "document.title": {"data": "nb.ipynb - JupyterLab"},
        "({a: [1, 'x'], b: null})": {"data": {"a": [1, "x"], "b": None}},
        "undefined": {},
        "nope()": {"error": "ReferenceError: nope is not defined"},
        "new Promise(() => {})": None,
    }
    return known[script]


async def test_eval_js_gets_the_pages_value_its_error_or_none_after_the_timeout(
    jp_serverapp: Any, jp_fetch: Any
) -> None:
    async with notebook_session(jp_fetch, "nb.ipynb") as session:
        out, error, requests = await run_as_page(
            jp_serverapp,
            session["kernel"]["id"],
            "from google.colab import output\n"
            "print(output.eval_js('1 + 2'))\n"
            "print(repr(output.eval_js('document.title')))\n"
            "print(output.eval_js('({a: [1, \\'x\\'], b: null})'))\n"
            "print(output.eval_js('undefined'))\n"
            "print(output.eval_js('1 + 2', ignore_result=True))\n"
            "import time; start = time.monotonic()\n"
            "print(output.eval_js('new Promise(() => {})', timeout_sec=1.5))\n"
            "print(1.4 < time.monotonic() - start < 10)\n"
            "try:\n"
            "    output.eval_js('nope()')\n"
            "except output.MessageError as e:\n"
            "    print(type(e).__name__, '|', e)\n",
            evaluate,
        )
    assert error is None, out + str(error)
    assert out.splitlines() == [
        "3",
        "'nb.ipynb - JupyterLab'",
        "{'a': [1, 'x'], 'b': None}",
        "None",
        "None",
        "None",  # timeout_sec passed: None, as Colab returns
        "True",
        "MessageError | ReferenceError: nope is not defined",
    ]
    assert [r["script"] for r in requests] == [
        "1 + 2",
        "document.title",
        "({a: [1, 'x'], b: null})",
        "undefined",
        "1 + 2",
        "new Promise(() => {})",
        "nope()",
    ]
    assert [r["ignore_result"] for r in requests].count(True) == 1
    assert len({r["id"] for r in requests}) == len(requests)


async def test_a_late_or_foreign_answer_is_not_taken_for_the_awaited_one(
    jp_serverapp: Any, jp_fetch: Any
) -> None:
    first: dict[str, Any] = {}

    def page(script: str) -> dict[str, Any] | None:
        return None if script == "a" else {"data": script.upper()}

    def stray(request: dict[str, Any]) -> list[str]:
        """Sent on stdin before the answer to ``b``: not an answer, another request's answer,
        and the late answer to ``a``, whose wait has timed out."""
        if request["script"] != "b":
            return []
        late = {"type": "colab_reply", "colab_msg_id": first["id"], "data": "late"}
        other = {"type": "colab_reply", "colab_msg_id": "other", "data": 0}
        return ["not an answer", json.dumps(other), json.dumps(late)]

    def remember(request: dict[str, Any]) -> list[str]:
        first.setdefault("id", request["id"])
        return stray(request)

    async with notebook_session(jp_fetch, "nb.ipynb") as session:
        out, error, _ = await run_as_page(
            jp_serverapp,
            session["kernel"]["id"],
            "from google.colab import output\n"
            "print(output.eval_js('a', timeout_sec=0.5))\n"
            "print(output.eval_js('b'))\n"
            "print(output.eval_js('c'))\n",
            page,
            before=remember,
        )
    assert error is None, out + str(error)
    assert out.splitlines() == ["None", "B", "C"]


async def test_invoke_function_calls_the_registered_callback(
    jp_serverapp: Any, jp_fetch: Any
) -> None:
    async with notebook_session(jp_fetch, "nb.ipynb") as session:
        kernel_id = session["kernel"]["id"]
        out, error = await run_code(
            jp_serverapp,
            kernel_id,
            "import IPython\n"
            "from google.colab import output\n"
            "output.register_callback('notebook.AddOne', lambda x, by=1: x + by)\n"
            "output.register_callback('notebook.Json', lambda **kw: IPython.display.JSON(kw))\n",
        )
        assert error is None, out + str(error)
        # What the page's invokeFunction sends: a silent request whose user expression calls
        # the callback with the arguments as JSON texts.
        client = jp_serverapp.kernel_manager.get_kernel(kernel_id).client()
        client.start_channels()
        try:
            await client.wait_for_ready(timeout=60)

            async def invoke(name: str, args: Any, kwargs: Any) -> dict[str, Any]:
                call = (
                    "__import__('google.colab.output', fromlist=['_'])._invoke_function("
                    f"{json.dumps(name)}, {json.dumps(json.dumps(args))}, "
                    f"{json.dumps(json.dumps(kwargs))})"
                )
                reply = await client.execute(
                    "",
                    silent=True,
                    store_history=False,
                    user_expressions={"result": call},
                    reply=True,
                    timeout=60,
                )
                return dict(reply["content"]["user_expressions"]["result"])

            added = await invoke("notebook.AddOne", [41], {})
            assert added["status"] == "ok" and added["data"]["text/plain"] == "42"
            by = await invoke("notebook.AddOne", [1], {"by": 10})
            assert by["data"]["text/plain"] == "11"
            as_json = await invoke("notebook.Json", [], {"answer": "ok"})
            assert as_json["data"]["application/json"] == {"answer": "ok"}
            missing = await invoke("notebook.Missing", [], {})
            assert missing["status"] == "error" and missing["ename"] == "ValueError"
            assert missing["evalue"] == "Function not found: notebook.Missing"
        finally:
            client.stop_channels()


async def test_clear_sends_clear_output_and_the_rest_says_what_is_missing(
    jp_serverapp: Any, jp_fetch: Any
) -> None:
    async with notebook_session(jp_fetch, "nb.ipynb") as session:
        messages: list[dict[str, Any]] = []
        out, error = await run_code(
            jp_serverapp,
            session["kernel"]["id"],
            "from google.colab import output\n"
            "print('a')\n"
            "output.clear()\n"
            "output.clear(wait=True)\n"
            "output.clear(output_tags='some-tag')\n"
            "output.enable_custom_widget_manager()\n"
            "try:\n"
            "    output.serve_kernel_port_as_window(8000)\n"
            "except ImportError as e:\n"
            "    print(type(e).__name__, '|', e)\n"
            "from google.colab.output import eval_js, register_callback, clear\n",
            iopub=messages,
        )
    assert error is None, out + str(error)
    cleared = [m["content"] for m in messages if m["msg_type"] == "clear_output"]
    assert cleared == [{"wait": False}, {"wait": True}]  # tagged: no output has tags here
    assert "UnsupportedInColabExt | google.colab.output.serve_kernel_port_as_window" in out


async def test_a_headless_run_fails_at_once_instead_of_waiting_for_no_page(
    jp_serverapp: Any, jp_fetch: Any
) -> None:
    async with notebook_session(jp_fetch, "nb.ipynb") as session:
        client = jp_serverapp.kernel_manager.get_kernel(session["kernel"]["id"]).client()
        client.start_channels()
        try:
            await client.wait_for_ready(timeout=60)
            reply = await client.execute(
                "from google.colab import output\noutput.eval_js('1 + 2')",
                allow_stdin=False,  # as nbclient and papermill send cells
                reply=True,
                timeout=60,
            )
        finally:
            client.stop_channels()
    content = reply["content"]
    assert content["status"] == "error" and content["ename"] == "RuntimeError"
    assert "allow_stdin" in content["evalue"] and "papermill" in content["evalue"]


async def test_no_page_to_take_the_request_fails_clearly_and_an_ack_keeps_it_waiting(
    jp_serverapp: Any, jp_fetch: Any, monkeypatch: Any
) -> None:
    monkeypatch.setenv("JPY_COLAB_EXT_PAGE_ACK_S", "0.5")  # the kernel's environment
    code = "from google.colab import output\nprint(output.eval_js('1 + 2'))"
    async with notebook_session(jp_fetch, "nb.ipynb") as session:
        kernel_id = session["kernel"]["id"]
        # Nobody takes it (a page without colab-ext, or none): an error that says so.
        out, error, _ = await run_as_page(jp_serverapp, kernel_id, code, lambda _: None)
        assert error is not None and error.startswith("NoPageAnswered: No page answered")
        assert "google.colab.output.eval_js" in error

        # A page that took it may answer long after the window (a person, a slow script).
        def ack(request: dict[str, Any]) -> list[str]:
            return [json.dumps({"type": "colab_reply", "colab_msg_id": request["id"], "ack": True})]

        def slowly(_script: str) -> dict[str, Any]:
            time.sleep(1.5)  # three windows after the ack
            return {"data": 3}

        out, error, _ = await run_as_page(jp_serverapp, kernel_id, code, slowly, before=ack)
    assert error is None and out == "3\n"


async def test_a_request_whose_page_went_away_is_announced_again_for_the_next_page(
    jp_serverapp: Any, jp_fetch: Any, monkeypatch: Any
) -> None:
    """A page takes the request (ack) and goes silent, as a reloaded one does: the kernel
    announces it again, naming the cell JupyterLab said it ran, and a page that answers then
    (the reloaded one) gets its answer taken."""
    monkeypatch.setenv("JPY_COLAB_EXT_PAGE_GONE_S", "0.6")  # the kernel's environment
    code = "from google.colab import output\nprint(output.eval_js('1 + 2'))"
    async with notebook_session(jp_fetch, "nb.ipynb") as session:
        kernel = jp_serverapp.kernel_manager.get_kernel(session["kernel"]["id"])
        client = kernel.client()
        client.start_channels()
        try:
            await client.wait_for_ready(timeout=60)
            # As JupyterLab sends a cell: its id in the request's metadata.
            execute = client.session.msg(
                "execute_request",
                {
                    "code": code,
                    "silent": False,
                    "store_history": True,
                    "allow_stdin": True,
                    "user_expressions": {},
                    "stop_on_error": True,
                },
                metadata={"cellId": "cell-7f3a"},
            )
            client.shell_channel.send(execute)
            seen: list[dict[str, Any]] = []
            printed: list[str] = []
            while True:
                message = await client.get_iopub_msg(timeout=30)
                if message["parent_header"].get("msg_id") != execute["header"]["msg_id"]:
                    continue
                kind, content = message["msg_type"], message["content"]
                if kind == REQUEST:
                    seen.append(content)
                    value = {"type": "colab_reply", "colab_msg_id": content["id"]}
                    if len(seen) == 1:  # the first page takes it, then is reloaded
                        client.input(json.dumps({**value, "ack": True}))
                    elif len(seen) == 2:  # the reloaded page takes it again and answers
                        client.input(json.dumps({**value, "ack": True}))
                        client.input(json.dumps({**value, "data": 3}))
                elif kind == "stream":
                    printed.append(content["text"])
                elif kind == "status" and content["execution_state"] == "idle":
                    break
        finally:
            client.stop_channels()
    assert "".join(printed) == "3\n"
    first, again = seen[0], seen[1]
    assert first["cell_id"] == again["cell_id"] == "cell-7f3a"
    assert "reannounced" not in first and again["reannounced"] is True
    assert again["id"] == first["id"] and again["script"] == "1 + 2"
