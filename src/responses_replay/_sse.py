"""Server-sent events: `SSEDecoder` (chunks of bytes or text in, (data, event) pairs out) and
`iter_sse` (the JSON payloads), and `StreamError`, what a stream that fails raises.

What a stream's events make (the turn) is `stream`'s part."""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable, Iterator
from typing import Any

import pydantic_core

from ._errors import InputError, no_utf8
from ._generated.outputs import OutputItem


class StreamError(InputError):
    """The stream failed, ended early or contradicts itself. `items` holds the output items that were
    complete; `code`, `api_message` and `param` are the API's own when it sent an error; `index` is
    the `output_index` of the item in question, `sequence_number` that of a contradicting event."""

    def __init__(
        self,
        message: str,
        items: list[OutputItem] | None = None,
        received: dict[str, int] | None = None,
        *,
        code: str | None = None,
        api_message: str | None = None,
        param: str | None = None,
        index: int | None = None,
        sequence_number: int | None = None,
    ) -> None:
        self.items = items if items is not None else []
        self.received = received if received is not None else {}
        self.code = code
        self.api_message = api_message
        self.param = param
        self.index = index
        self.sequence_number = sequence_number
        seen = ", ".join(f"{k} x{v}" for k, v in sorted(self.received.items())) or "nothing"
        super().__init__(f"{message} (received: {seen}; {len(self.items)} complete items kept)")


# The SSE format's line ends: CRLF, a lone LF, a lone CR (WHATWG HTML, "event stream interpretation").
_EOL = re.compile(r"\r\n|\r|\n")


class SSEDecoder:
    """The events of a server-sent event stream, from chunks of bytes or text as they arrive.

    Bytes are decoded incrementally (a character split across chunks is kept whole; invalid UTF-8
    is an error). Only the unfinished last line is kept between chunks, and only new data is
    searched, so a long event costs time in proportion to its size. `feed` returns the events its
    chunk completed, as (data, event field) pairs.
    """

    def __init__(self) -> None:
        self._utf8 = codecs.getincrementaldecoder("utf-8")("strict")
        self._bytes = 0  # bytes fed so far, to say where invalid UTF-8 is
        self._tail: list[str] = []  # the unfinished line, in pieces
        self._cr = False  # the last text ended in CR: a LF opening the next one ends no line
        self._start = True  # a byte order mark may open the stream
        self._data: list[str] = []
        self._event = ""

    def feed(self, chunk: bytes | bytearray | memoryview | str) -> list[tuple[str, str]]:
        if isinstance(chunk, str):
            if self._utf8.getstate()[0]:
                raise StreamError("text after an incomplete UTF-8 sequence in the stream's bytes")
            text = chunk
        else:
            try:
                text = self._utf8.decode(chunk)
            except UnicodeDecodeError as exc:
                at = self._bytes - len(self._utf8.getstate()[0]) + exc.start
                raise StreamError(f"the stream is not UTF-8: invalid byte at offset {at}") from exc
            self._bytes += len(chunk)
        return self._text(text)

    def close(self) -> list[tuple[str, str]]:
        """The end of the stream: a last event without its blank line still counts."""
        try:
            self._utf8.decode(b"", final=True)
        except UnicodeDecodeError as exc:
            raise StreamError("the stream ends inside a UTF-8 character") from exc
        out: list[tuple[str, str]] = []
        if self._tail:
            self._line(self._tail[0], out, self._tail[1:])
            self._tail = []
        self._line("", out)
        return out

    def _text(self, text: str) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = []
        if self._start and text:
            self._start = False
            text = text.removeprefix("\ufeff")
        if self._cr and text:
            self._cr = False
            text = text.removeprefix("\n")  # the second half of a CRLF split across chunks
        if not text:
            return out
        lines = _EOL.split(text) if "\r" in text else text.split("\n")  # split() is 10x faster
        if len(lines) == 1:
            self._tail.append(text)
            return out
        self._cr = text.endswith("\r")
        last = lines.pop()
        if self._tail:  # the line the earlier chunks began
            self._tail.append(lines[0])
            self._line(self._tail[0], out, self._tail[1:])
            self._tail = []
            del lines[0]
        for line in lines:
            self._line(line, out)
        if last:
            self._tail.append(last)
        return out

    def _line(self, line: str, out: list[tuple[str, str]], more: list[str] | None = None) -> None:
        """One line: `line` followed by the pieces `more` (a long line arrives in many chunks)."""
        colon = line.find(":")
        if more and (colon < 0 or colon + 1 >= len(line)):  # the field's name or colon is cut
            line, more = "".join([line, *more]), None
            colon = line.find(":")
        if not line and not more:  # a blank line dispatches the event
            if self._data:
                data = "\n".join(self._data)
                if data.strip():
                    out.append((data, self._event))
            self._data = []
            self._event = ""
            return
        if line[0] == ":":  # a comment (keep-alive)
            return
        if colon < 0:
            field, value = line + "".join(more or ()), ""
        else:  # one copy of the value, however long: its pieces are joined once
            field = line[:colon]
            start = colon + 2 if line.startswith(" ", colon + 1) else colon + 1
            value = "".join([line[start:], *more]) if more else line[start:]
        if field == "data":
            self._data.append(value)
        elif field == "event":
            self._event = value
        # `id`, `retry` and unknown fields say nothing about the response


def payload(text: str, event: str = "") -> dict[str, Any]:
    if text == "[DONE]":
        return {"type": "[DONE]"}
    try:
        value = pydantic_core.from_json(text)
    except ValueError as exc:  # also JSON nested too deeply: the parser's limit, not a crash
        raise StreamError(f"a server-sent event is not JSON ({exc}): {text[:80]!r}") from exc
    except TypeError:  # pydantic-core reads a str as UTF-8: a lone surrogate has none
        raise StreamError(
            f"a server-sent event is not valid text ({no_utf8(text)}): {text[:80]!r}"
        ) from None
    if not isinstance(value, dict):
        raise StreamError(f"a server-sent event is not a JSON object: {text[:80]!r}")
    if event and "type" not in value:
        value["type"] = event
    return value


def iter_sse(chunks: Iterable[bytes | str]) -> Iterator[dict[str, Any]]:
    """The JSON payloads of server-sent events, from bytes or text in chunks of any size."""
    decoder = SSEDecoder()
    for chunk in chunks:
        for data, event in decoder.feed(chunk):
            yield payload(data, event)
    for data, event in decoder.close():
        yield payload(data, event)
