"""An incremental Server-Sent Events decoder: bytes in, events out, no I/O.

Written here rather than taken from httpx-sse because the transport needs to see
chunk by chunk whether a real event arrived (keep-alive comments must not reset the
idle timeout), and one pass over the bytes is the hot path of every stream.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["SSEDecoder", "ServerSentEvent"]

_BOM = b"\xef\xbb\xbf"


@dataclass(slots=True)
class ServerSentEvent:
    data: str
    event: str = "message"
    id: str | None = None
    retry: int | None = None


class SSEDecoder:
    """Feed it bytes as they arrive, split anywhere; it returns each event once complete.

    Follows the WHATWG rules that matter for APIs: LF, CRLF or CR line ends, ``:``
    comments ignored, multi-line ``data`` joined with ``\\n``, one optional space after
    the colon, events dispatched on a blank line and only when they carry data.
    """

    __slots__ = ("_buffer", "_data", "_event", "_fresh", "_id", "_retry", "_skip_lf")

    def __init__(self) -> None:
        self._buffer = b""
        self._data: list[str] = []
        self._event: str | None = None
        self._id: str | None = None
        self._retry: int | None = None
        self._skip_lf = False
        self._fresh = True

    def feed(self, chunk: bytes) -> list[ServerSentEvent]:
        if self._skip_lf and chunk:
            # The previous chunk ended with a CR, already taken as a line end: an LF
            # opening this one is the second half of that CRLF, not another line.
            self._skip_lf = False
            if chunk[:1] == b"\n":
                chunk = chunk[1:]
        buffer = self._buffer + chunk if self._buffer else chunk
        if self._fresh:
            # The stream may open with a UTF-8 byte order mark, which is not part of any line.
            if len(buffer) < 3 and _BOM.startswith(buffer):
                self._buffer = buffer
                return []
            self._fresh = False
            if buffer.startswith(_BOM):
                buffer = buffer[3:]
        if b"\r" in buffer:
            self._skip_lf = buffer.endswith(b"\r")
            buffer = buffer.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        elif (
            buffer.startswith(b"data: ")
            and buffer.find(b"\n") == len(buffer) - 2
            and buffer.endswith(b"\n\n")
            and not self._data
            and self._event is None
        ):
            # The usual chunk, exactly one single-line event: the same result as the
            # line loop below, at a fraction of its cost on the hot path.
            self._buffer = b""
            data = buffer[6:-2].decode("utf-8", "replace")
            return [ServerSentEvent(data, "message", self._id, self._retry)]
        lines = buffer.split(b"\n")
        self._buffer = lines.pop()
        events: list[ServerSentEvent] = []
        for line in lines:
            event = self._line(line)
            if event is not None:
                events.append(event)
        return events

    def flush(self) -> list[ServerSentEvent]:
        """End of stream: a final event without its blank line still counts."""
        events: list[ServerSentEvent] = []
        if self._buffer:
            rest, self._buffer = self._buffer.replace(b"\r\n", b"\n").replace(b"\r", b"\n"), b""
            for line in rest.split(b"\n"):
                event = self._line(line)
                if event is not None:
                    events.append(event)
        event = self._line(b"")
        if event is not None:
            events.append(event)
        return events

    def _line(self, line: bytes) -> ServerSentEvent | None:
        if not line:
            if not self._data:
                self._event = None
                return None
            event = ServerSentEvent(
                data="\n".join(self._data),
                event=self._event or "message",
                id=self._id,
                retry=self._retry,
            )
            self._data = []
            self._event = None
            return event
        if line[0] == 58:  # b":" starts a comment (keep-alive)
            return None
        name, sep, value = line.partition(b":")
        if sep and value[:1] == b" ":
            value = value[1:]
        text = value.decode("utf-8", "replace")
        if name == b"data":
            self._data.append(text)
        elif name == b"event":
            self._event = text
        elif name == b"id":
            if "\x00" not in text:
                self._id = text
        elif name == b"retry" and text.isdigit():
            self._retry = int(text)
        return None
