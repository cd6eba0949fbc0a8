"""The route benchmark at tiny sizes: every layer and route measured, the page written.
No timing is asserted here (the machine is shared); ``make bench`` judges the target."""

from __future__ import annotations

from pathlib import Path

from bench import routes


def test_every_route_is_measured_and_the_page_has_every_cell(tmp_path: Path) -> None:
    results = routes.run(30, 2, tmp_path, "python -m bench --smoke")
    assert set(results.seconds) == {"core client", "ChatAIHubMix"}
    for layer in results.seconds:
        assert set(results.seconds[layer]) == set(routes.ROUTES)
        assert all(results.per_chunk(layer, route) > 0 for route in routes.ROUTES)
        assert results.ratio(layer, "chat") == 1.0
    text = (tmp_path / "benchmarks-routes.md").read_text(encoding="utf-8")
    assert "| layer | chat | responses | messages |" in text
    assert text.count(" µs") == 2 * len(routes.ROUTES)
    assert "Target (Responses and Messages within 1.5x of chat, per chunk):" in text


def test_the_three_streams_carry_the_same_text() -> None:
    from aihubmix_core import SSEDecoder

    for route in routes.ROUTES:
        decoder = SSEDecoder()
        events = [e for part in routes.BODIES[route](25) for e in decoder.feed(part)]
        assert events, route
    assert len(routes.BODIES["messages"](25)) == 25 + 6
    assert len(routes.BODIES["responses"](25)) == 25 + 4
