"""A loopback AIHubMix for your own app's tests: no key, no network, no tokens spent.

- :mod:`aihubmix_testing.emulator` answers the OpenAI-compatible API on 127.0.0.1
  (chat, streaming, tool calls, embeddings, model lists) with deterministic replies in the
  wire shapes of real upstreams. Start it with ``python -m aihubmix_testing.emulator``
  (or ``with serve_in_thread() as base_url:`` inside a test) and point
  ``AIHUBMIX_BASE_URL`` at the URL it prints.
- :mod:`aihubmix_testing.faults` is a gateway in front of the same model that fails on
  cue (rate limits, 5xx, HTML error pages, resets, streams cut short), to test how your
  app copes with failures.
- :mod:`aihubmix_testing.cassettes` holds the record-and-replay rules for vcrpy that this
  repository's tests and demo use (secrets scrubbed, loopback URLs saved as aihubmix.com).

The emulator and the fault gateway use the standard library only; the cassette rules need
vcrpy once you record or replay with them.
"""
