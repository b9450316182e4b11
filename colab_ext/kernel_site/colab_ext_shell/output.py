"""Where a command's output goes: live into the cell (head, then the tail), or into a string.

Live output is written to ``sys.stdout`` (ipykernel's stream, batched to IOPub every 0.2 s), with
``\\r`` kept so progress bars redraw in place. Two limits shape it:

- jupyter_server drops IOPub messages past ``iopub_data_rate_limit`` (1 MB/s averaged over 3 s
  by default): writes are paced under it, so the program waits (its terminal fills up) instead of
  its output being dropped.
- A command printing for hours must not fill the notebook: the first ``HEAD_BYTES`` are shown as
  they come; past that, the middle is dropped, a note says so, a small live view shows the newest
  lines while it runs, and at the end the last ``TAIL_LINES`` lines (Colab keeps 5,000) follow a
  note saying how much was left out.
"""

from __future__ import annotations

import codecs
import json
import os
import sys
import time
from collections import deque
from typing import Any

#: Shown as it comes, before the middle is dropped.
#: (JupyterLab renders a stream output's whole text again as it grows: 1.5 MiB stalls the page for
#: about 2 s already, and it stays within one burst of the IOPub pacing below.)
HEAD_BYTES = int(os.environ.get("JPY_COLAB_EXT_SHELL_HEAD_BYTES", 3 * 512 * 1024))
#: Kept for the end once the head is full (and at most TAIL_BYTES of them).
TAIL_LINES = int(os.environ.get("JPY_COLAB_EXT_SHELL_TAIL_LINES", 5000))
TAIL_BYTES = 2 * 1024 * 1024
#: The server's IOPub limit (bytes/s over RATE_WINDOW_S); the server sets the variable.
RATE_LIMIT = float(os.environ.get("JPY_COLAB_EXT_IOPUB_DATA_RATE_LIMIT", 1_000_000))
RATE_WINDOW_S = float(os.environ.get("JPY_COLAB_EXT_IOPUB_RATE_WINDOW", 3.0))
#: The share of the limit used: messages carry headers, and other outputs share the channel.
RATE_SHARE = 0.7
#: ipykernel sends what was written up to 0.2 s later: the server's window is counted this much
#: longer here, so a write never lands in a window the server still counts.
FLUSH_SLACK_S = 0.5
#: Paced in pieces of this many characters, so that output flows instead of coming in bursts.
PIECE_CHARS = 16 * 1024
#: How often the live view of the newest lines is redrawn while the middle is dropped.
LIVE_VIEW_S = 1.0
LIVE_VIEW_LINES = 10


def _size(count: int) -> str:
    value = float(count)
    for unit in ("B", "KiB", "MiB"):
        if value < 1024:
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GiB"


class RatePacer:
    """Waits before a write that would take the last ``window`` seconds past the budget."""

    def __init__(self, limit: float = RATE_LIMIT, window: float = RATE_WINDOW_S) -> None:
        self.budget = limit * window * RATE_SHARE if limit > 0 else 0.0
        self.window = window + FLUSH_SLACK_S
        self._sent: deque[tuple[float, int]] = deque()
        self._total = 0

    def wait_for(self, cost: int) -> None:
        if not self.budget:
            return
        while True:
            now = time.monotonic()
            while self._sent and self._sent[0][0] <= now - self.window:
                self._total -= self._sent.popleft()[1]
            if not self._sent or self._total + cost <= self.budget:
                break
            time.sleep(max(0.01, self._sent[0][0] + self.window - now))
        self._sent.append((time.monotonic(), cost))
        self._total += cost


def _wire_cost(text: str) -> int:
    # What the server counts: the JSON-encoded message ("\n" is two bytes there, ESC six).
    return len(json.dumps(text, ensure_ascii=False).encode()) + 300


class LiveOutput:
    """A command's output, streamed into the cell; see the module's docstring."""

    def __init__(self, stream: Any = None) -> None:
        self.stream = stream or sys.stdout
        self._decoder = codecs.getincrementaldecoder("utf-8")("replace")
        self._held = ""  # the unfinished last line: maybe a prompt, shown on a pause
        self._shown = 0
        self._pacer = RatePacer()
        self._dropping = False
        self._tail: deque[str] = deque()
        self._tail_bytes = 0
        self._partial = ""  # the unfinished line while dropping
        self._dropped_lines = 0
        self._dropped_bytes = 0
        self._live: Any = None
        self._live_at = 0.0

    # -- fed by the command ---------------------------------------------------------------------

    def feed_bytes(self, data: bytes) -> None:
        self.feed(self._decoder.decode(data))

    def feed(self, text: str) -> None:
        if not text:
            return
        text = self._held + text
        cut = max(text.rfind("\n"), text.rfind("\r")) + 1
        self._held = text[cut:]
        self._emit(text[:cut])

    def take_prompt(self) -> str:
        prompt, self._held = self._held, ""
        return prompt

    def idle(self) -> None:
        held, self._held = self._held, ""
        self._emit(held)
        self._flush()

    def finish(self) -> None:
        """The command ended: what was held back, and the note and tail if the middle went."""
        self.feed(self._decoder.decode(b"", final=True))
        self.idle()
        if not self._dropping:
            return
        tail = "".join(self._tail) + self._partial
        note = (
            f"[colab-ext: {self._dropped_lines:,} lines ({_size(self._dropped_bytes)}) of output "
            f"were left out after the first {_size(HEAD_BYTES)}; the last "
            f"{len(self._tail):,} lines follow]\n"
        )
        if not self._update_live(note.strip(), final=True):
            self._write(note)  # no live view to turn into the note
        self._write(tail)
        if tail and not tail.endswith("\n"):
            self._write("\n")
        self._flush()

    # -- where it goes --------------------------------------------------------------------------

    def _emit(self, text: str) -> None:
        if not text:
            return
        if not self._dropping:
            room = HEAD_BYTES - self._shown
            if len(text.encode()) <= room:
                self._shown += len(text.encode())
                self._write(text)
                return
            # Show the head up to the last whole line that fits, then keep only the tail.
            head = text.encode()[:room].decode("utf-8", "ignore")
            cut = head.rfind("\n") + 1
            self._write(text[:cut])
            self._write(
                "[colab-ext: the output passed "
                f"{_size(HEAD_BYTES)}; the middle is left out, the newest lines are shown below "
                f"while it runs and the last {TAIL_LINES:,} when it ends]\n"
            )
            self._flush()
            self._dropping = True
            text = text[cut:]
        self._keep_tail(text)
        now = time.monotonic()
        if now - self._live_at >= LIVE_VIEW_S:
            self._live_at = now
            lines = [*list(self._tail)[-LIVE_VIEW_LINES:], self._partial]
            self._update_live("".join(lines).rstrip("\n"))

    def _keep_tail(self, text: str) -> None:
        lines = (self._partial + text).split("\n")
        self._partial = lines.pop()[-TAIL_BYTES:]
        for line in lines:
            line += "\n"
            self._tail.append(line)
            self._tail_bytes += len(line)
            while len(self._tail) > TAIL_LINES or (
                self._tail_bytes > TAIL_BYTES and len(self._tail) > 1
            ):
                gone = self._tail.popleft()
                self._tail_bytes -= len(gone)
                self._dropped_lines += 1
                self._dropped_bytes += len(gone.encode())

    def _update_live(self, text: str, final: bool = False) -> bool:
        """Show ``text`` in the live view (made on the first call); whether there is one."""
        try:
            from IPython.display import display
        except ImportError:
            return False
        bundle = {"text/plain": text}
        if self._live is None:
            if final:
                return False
            self._live = display(bundle, raw=True, display_id=True)  # type: ignore[no-untyped-call]
        else:
            self._live.update(bundle, raw=True)
        return True

    def _write(self, text: str) -> None:
        # A flood goes out in messages of a piece each (JupyterLab renders a message at once, and
        # colab-ext's frontend starts a new stream output past 16 KiB); small output is batched.
        flood = len(text) > PIECE_CHARS
        for start in range(0, len(text), PIECE_CHARS):
            piece = text[start : start + PIECE_CHARS]
            self._pacer.wait_for(_wire_cost(piece))
            self.stream.write(piece)
            if flood:
                self._flush()

    def _flush(self) -> None:
        flush = getattr(self.stream, "flush", None)
        if flush is not None:
            flush()


class CapturedOutput:
    """A command's output kept as one string (``x = !cmd``), as IPython's ``getoutput`` keeps it."""

    def __init__(self) -> None:
        self._data = bytearray()

    def feed_bytes(self, data: bytes) -> None:
        self._data += data

    def take_prompt(self) -> str:
        return ""

    def idle(self) -> None:
        pass

    def text(self) -> str:
        return self._data.decode("utf-8", "replace")
