"""SSEDecoder: the WHATWG framing rules that matter for APIs, with bytes split anywhere."""

from __future__ import annotations

from aihubmix_core import ServerSentEvent, SSEDecoder


def decode(*chunks: bytes) -> list[ServerSentEvent]:
    decoder = SSEDecoder()
    events: list[ServerSentEvent] = []
    for chunk in chunks:
        events.extend(decoder.feed(chunk))
    events.extend(decoder.flush())
    return events


def datas(events: list[ServerSentEvent]) -> list[str]:
    return [e.data for e in events]


def test_lf_crlf_and_cr_line_endings() -> None:
    for newline in (b"\n", b"\r\n", b"\r"):
        body = b"data: one" + newline + newline + b"data: two" + newline + newline
        assert datas(decode(body)) == ["one", "two"], newline


def test_mixed_line_endings() -> None:
    assert datas(decode(b"data: a\r\n\ndata: b\r\rdata: c\n\r\n")) == ["a", "b", "c"]


def test_comments_are_ignored() -> None:
    events = decode(b": keep-alive\n\n:ping\ndata: x\n: in the middle\n\n: tail\n\n")
    assert datas(events) == ["x"]


def test_multi_line_data_joined_with_newline() -> None:
    assert datas(decode(b"data: line 1\ndata: line 2\ndata:\ndata:  indented\n\n")) == [
        "line 1\nline 2\n\n indented"
    ]


def test_only_one_space_after_colon_is_stripped() -> None:
    assert datas(decode(b"data:no-space\n\ndata:  two\n\n")) == ["no-space", " two"]


def test_done_sentinel_is_an_ordinary_event() -> None:
    assert datas(decode(b'data: {"a":1}\n\ndata: [DONE]\n\n')) == ['{"a":1}', "[DONE]"]


def test_event_id_retry_fields() -> None:
    (first, second) = decode(
        b"event: error\nid: 7\nretry: 1500\ndata: boom\n\n"
        b"retry: soon\ndata: next\n\n"  # a non-numeric retry is ignored
    )
    assert (first.event, first.id, first.retry, first.data) == ("error", "7", 1500, "boom")
    # the event name resets after dispatch; the last id and retry persist
    assert (second.event, second.id, second.retry) == ("message", "7", 1500)


def test_id_with_nul_is_ignored_and_unknown_fields_skipped() -> None:
    (event,) = decode(b"id: a\x00b\nfoo: bar\nnovalue\ndata: x\n\n")
    assert event.id is None
    assert event.data == "x"


def test_bare_field_name_data_appends_empty_line() -> None:
    (event,) = decode(b"data\ndata: x\n\n")
    assert event.data == "\nx"


def test_event_without_data_is_not_dispatched() -> None:
    assert decode(b"event: ping\n\nid: 3\n\n") == []
    (event,) = decode(b"event: ping\n\ndata: after\n\n")
    assert event.event == "message"  # the dangling event name did not stick


def test_flush_dispatches_last_event_without_blank_line() -> None:
    assert datas(decode(b"data: a\n\ndata: last")) == ["a", "last"]
    assert datas(decode(b"data: a\n\ndata: last\n")) == ["a", "last"]
    assert datas(decode(b"data: a\n\ndata: last\r")) == ["a", "last"]
    assert decode(b"") == []
    decoder = SSEDecoder()
    assert decoder.feed(b"data: x\n\n") != []
    assert decoder.flush() == []  # nothing pending


def test_crlf_split_across_chunks() -> None:
    decoder = SSEDecoder()
    assert decoder.feed(b"data: a\r") == []
    # the LF completing the CRLF must not count as a second, empty line
    assert decoder.feed(b"\ndata: b\r") == []
    assert datas(decoder.feed(b"\n\r")) == ["a\nb"]
    assert datas(decoder.feed(b"\ndata: c\r\n\r\n")) == ["c"]
    assert decoder.feed(b"") == []
    assert datas(decoder.feed(b"data: d\r")) == []
    assert decoder.feed(b"") == []  # an empty read keeps the pending CR state
    assert datas(decoder.feed(b"\n\r\n")) == ["d"]
    assert decoder.flush() == []


def test_cr_only_events_are_returned_without_waiting_for_more_bytes() -> None:
    """A CR ends a line at once: the event is complete, it must not wait for the next chunk
    (the idle clock and the caller's first token both depend on it)."""
    decoder = SSEDecoder()
    assert datas(decoder.feed(b"data: a\r\r")) == ["a"]
    assert datas(decoder.feed(b"data: b\r")) == []
    assert datas(decoder.feed(b"\r")) == ["b"]
    assert datas(decoder.feed(b"data: c\r\r")) == ["c"]
    assert datas(decoder.feed(b"\rdata: d\r\r")) == ["d"]  # CR CR CR: one more blank line
    assert decoder.flush() == []


def test_cr_at_chunk_end_then_plain_line() -> None:
    decoder = SSEDecoder()
    assert decoder.feed(b"data: a\r") == []
    assert datas(decoder.feed(b"\rdata: b\r\r")) == ["a", "b"]
    assert decoder.flush() == []


def test_byte_at_a_time_with_multibyte_utf8() -> None:
    body = "data: héllo ✓ 你好\r\n\r\ndata: 🙂\n\n".encode()
    assert datas(decode(*[body[i : i + 1] for i in range(len(body))])) == ["héllo ✓ 你好", "🙂"]


def test_events_returned_as_soon_as_complete() -> None:
    decoder = SSEDecoder()
    assert decoder.feed(b"data: x\n") == []
    assert datas(decoder.feed(b"\n")) == ["x"]
    assert decoder.feed(b": ping\n\n") == []  # a comment is no event


def test_leading_byte_order_mark_is_not_part_of_the_first_event() -> None:
    body = b'\xef\xbb\xbfdata: {"a": 1}\n\n'
    for split in range(len(body) + 1):
        decoder = SSEDecoder()
        events = decoder.feed(body[:split]) + decoder.feed(body[split:]) + decoder.flush()
        assert [e.data for e in events] == ['{"a": 1}'], split
