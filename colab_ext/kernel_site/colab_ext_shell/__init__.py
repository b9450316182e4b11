"""colab-ext's ``!`` for IPython kernels: streamed, interactive, interruptible, as in Colab.

Loaded in every local ipykernel the colab-ext server starts (``--ext=colab_ext_shell``). It replaces
the shell's ``system`` (``!cmd``, ``%system``'s display path) and ``getoutput`` (``x = !cmd``,
``!!cmd``, ``%sx``, ``%system``) and runs ``%%shell``, ``%%bash`` and ``%%sh`` cells the same way.
IPython's meanings are kept because IPython still does everything around the call: its
transformers turn ``!`` lines into these calls wherever they are (loops, functions), and the calls
expand ``{expr}`` and ``$var`` with IPython's own ``var_expand`` from the caller's frame.

What changes is how the command runs (see :mod:`.pty_run` and :mod:`.output`): under a PTY in its
own session, output streamed live with ``\\r`` kept, reads from the terminal asked through the
kernel's stdin channel (hidden when the program turns echo off), the stop button ending the command
and all it started, long output kept as head and tail.

Off switch: ``JPY_COLAB_EXT_SHELL=off`` in the kernel's environment (read at load), or
``%colab_ext_shell off`` / ``on`` in a notebook. Off gives IPython's own ``!`` and script magics.
"""

from __future__ import annotations

import builtins
import getpass
import os
import shutil
import sys
from subprocess import CalledProcessError
from typing import Any

from .output import CapturedOutput, LiveOutput
from .pty_run import Command

ENV_SWITCH = "JPY_COLAB_EXT_SHELL"
OFF_WORDS = {"0", "off", "false", "no"}
SCRIPT_MAGICS = {"shell": "bash", "bash": "bash", "sh": "sh"}

_state: dict[str, Any] = {"on": False, "script_magics": {}}


def _shell_argv(cmd: str) -> list[str]:
    # IPython's choice is $SHELL, else sh. Without $SHELL (a service, a container) sh is often
    # dash, where Colab notebooks' bash (`read -s`, `source`, `{a,b}`) fails: Colab runs `!` in
    # bash, and so do we then, as the server's shell route does.
    name = os.environ.get("SHELL") or ("bash" if shutil.which("bash") else "sh")
    return [shutil.which(name) or name, "-c", cmd]


def _ask(prompt: str, hidden: bool) -> str:
    """A line from the user through the kernel's stdin channel (ipykernel's input/getpass)."""
    from IPython.core.error import StdinNotImplementedError

    try:
        if hidden:
            return getpass.getpass(prompt)
        return builtins.input(prompt)
    except StdinNotImplementedError:
        print(prompt, end="")
        print(
            "\n[colab-ext: the command waits for input, but this frontend does not send input "
            "to the kernel; it gets end-of-input instead]",
            file=sys.stderr,
        )
        raise EOFError from None


def _stopped() -> KeyboardInterrupt:
    # Raised afresh where the user's line called us, so the traceback is that line and this one,
    # not the wait loop the interrupt happened to land in.
    return KeyboardInterrupt("the command was stopped; nothing it started is left running")


def run_live(argv: list[str]) -> int:
    """``argv`` under a PTY with its output streamed into the cell; its exit code."""
    __tracebackhide__ = True
    sys.stdout.flush()
    sys.stderr.flush()
    sink = LiveOutput()
    command = Command(argv)
    try:
        return command.run(sink, _ask)
    finally:
        sink.finish()


def run_captured(argv: list[str]) -> tuple[str, int]:
    """``argv`` with its output kept, as IPython's ``getoutput`` runs it: no terminal, stdout and
    stderr together, no input; it still ends on the stop button. Text and exit code."""
    __tracebackhide__ = True
    sys.stdout.flush()
    sys.stderr.flush()
    sink = CapturedOutput()
    code = Command(argv, terminal=False).run(sink, None)
    return sink.text(), code


def _install(shell: Any) -> None:
    def system(cmd: str) -> None:
        """Run ``cmd`` in a shell, output streamed into the cell; sets ``_exit_code``."""
        __tracebackhide__ = True  # the stop button's traceback ends at the user's `!` line
        expanded = shell.var_expand(cmd, depth=1)
        try:
            code = run_live(_shell_argv(expanded))
        except KeyboardInterrupt:
            shell.user_ns["_exit_code"] = -2
            raise _stopped() from None
        shell.user_ns["_exit_code"] = code
        if getattr(shell, "system_raise_on_error", False) and code != 0:
            raise CalledProcessError(code, cmd)

    def getoutput(cmd: str, split: bool = True, depth: int = 0) -> Any:
        """``cmd``'s output (stdout and stderr together) as an SList, or an LSString."""
        __tracebackhide__ = True
        from IPython.utils.text import LSString, SList

        expanded = shell.var_expand(cmd, depth=depth + 1)
        try:
            text, code = run_captured(_shell_argv(expanded))
        except KeyboardInterrupt:
            raise _stopped() from None
        shell.user_ns["_exit_code"] = code
        if getattr(shell, "system_raise_on_error", False) and code != 0:
            raise CalledProcessError(code, cmd)
        return SList(text.splitlines()) if split else LSString(text)

    shell.system = system
    shell.getoutput = getoutput
    cell_magics = shell.magics_manager.magics["cell"]
    for name, program in SCRIPT_MAGICS.items():
        _state["script_magics"].setdefault(name, _loaded(cell_magics.get(name)))
        shell.register_magic_function(_script_magic(shell, name, program), "cell", name)
    _state["on"] = True


def _loaded(magic: Any) -> Any:
    # IPython registers %%bash lazily: a stand-in that looks itself up by name when called,
    # which would find ours. The real one, loaded now, is what options like --out go to.
    resolve = getattr(magic, "_resolve", None)
    return resolve() if callable(resolve) else magic


def _script_magic(shell: Any, name: str, program: str) -> Any:
    def magic(line: str, cell: str) -> None:
        __tracebackhide__ = True
        options = line.split()
        ignore = {"--ignore-errors", "--no-raise-error"}
        if any(option not in ignore for option in options):
            # IPython's own options (--out, --bg, ...): IPython's own magic.
            original = _state["script_magics"].get(name)
            if original is None:
                raise ValueError(f"%%{name}: unknown options {line!r}")
            return original(line, cell)  # type: ignore[no-any-return]
        try:
            code = run_live([shutil.which(program) or program, "-c", cell])
        except KeyboardInterrupt:
            raise _stopped() from None
        shell.user_ns["_exit_code"] = code
        if code != 0 and not options:
            raise CalledProcessError(code, cell)
        return None

    magic.__name__ = name
    magic.__doc__ = (
        f"Run the cell with {program} under a terminal: output streamed, input asked, the stop "
        "button ends it. Fails on a non-zero exit unless --ignore-errors."
    )
    return magic


def _uninstall(shell: Any) -> None:
    for attribute in ("system", "getoutput"):
        if attribute in vars(shell):
            delattr(shell, attribute)
    cell_magics = shell.magics_manager.magics["cell"]
    for name, original in _state["script_magics"].items():
        if original is None:
            cell_magics.pop(name, None)
        else:
            cell_magics[name] = original
    _state["on"] = False


def is_on() -> bool:
    """Whether ``!`` and the script cells run through this extension (JupyterLab asks, to send
    ``%%shell`` cells here rather than to the server's shell route)."""
    return bool(_state["on"])


def _switch_magic(shell: Any) -> Any:
    def colab_ext_shell(line: str) -> None:
        """``%colab_ext_shell off``: IPython's own ``!`` again; ``on``: colab-ext's; no word:
        which one runs."""
        word = line.strip().lower()
        if word in OFF_WORDS and _state["on"]:
            _uninstall(shell)
        elif word in {"on", "1", "true", "yes"} and not _state["on"]:
            _install(shell)
        elif word not in {"", "on", "1", "true", "yes", *OFF_WORDS}:
            raise ValueError("%colab_ext_shell on|off")
        state = "colab-ext's (streamed, interactive)" if _state["on"] else "IPython's own"
        print(f"! runs {state} shell commands")

    return colab_ext_shell


def load_ipython_extension(shell: Any) -> None:
    """IPython's entry point; on unless ``JPY_COLAB_EXT_SHELL`` says off."""
    shell.register_magic_function(_switch_magic(shell), "line", "colab_ext_shell")
    if os.environ.get(ENV_SWITCH, "on").strip().lower() not in OFF_WORDS:
        _install(shell)


def unload_ipython_extension(shell: Any) -> None:
    if _state["on"]:
        _uninstall(shell)
