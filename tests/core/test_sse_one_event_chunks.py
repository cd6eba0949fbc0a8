"""Chunks holding exactly one ``data:`` event (what gateways send) take a short path in
the SSE decoder; it must give what the general line-by-line path gives."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from aihubmix_core._http.sse import ServerSentEvent, SSEDecoder


def feed_all(chunks: list[bytes]) -> list[ServerSentEvent]:
    decoder = SSEDecoder()
    events = [event for chunk in chunks for event in decoder.feed(chunk)]
    return events + decoder.flush()


def test_fields_from_earlier_chunks_apply_to_a_one_event_chunk() -> None:
    events = feed_all([b"id: 7\nretry: 300\n\n", b"event: error\n", b'data: {"a":1}\n\n'])
    assert events == [ServerSentEvent('{"a":1}', "error", "7", 300)]


def test_data_lines_already_buffered_are_joined_not_replaced() -> None:
    assert feed_all([b"data: first\n", b"data: second\n\n"]) == [ServerSentEvent("first\nsecond")]


def test_a_chunk_with_two_lines_of_data_is_one_event() -> None:
    assert feed_all([b"data: a\ndata: b\n\n"]) == [ServerSentEvent("a\nb")]


def test_a_partial_line_before_it_is_completed_not_skipped() -> None:
    assert feed_all([b"da", b'ta: {"x":2}\n\n']) == [ServerSentEvent('{"x":2}')]


_text = st.text(
    alphabet=st.characters(blacklist_characters="\r\n", blacklist_categories=("Cs",)), max_size=12
)


@given(st.lists(st.tuples(st.sampled_from(["", "event: e", "id: 3"]), _text), max_size=6))
def test_one_event_per_chunk_equals_the_same_bytes_in_one_piece(
    events: list[tuple[str, str]],
) -> None:
    chunks = []
    for prefix, data in events:
        if prefix:
            chunks.append(f"{prefix}\n".encode())
        chunks.append(f"data: {data}\n\n".encode())
    # One chunk holding everything never takes the short path.
    assert feed_all(chunks) == feed_all([b"".join(chunks)])
