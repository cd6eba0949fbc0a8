"""A loopback emulator of the AIHubMix API, for tests and for recording cassettes offline.

Its replies follow the wire shapes of real provider captures (tests/data/wire-captures in
the aihubmix-integrations repository); their content comes from the scripted model in
``brain.py``. See ``server.py`` for the routes and ``wire.py`` for the per-provider shapes.

``python -m aihubmix_testing.emulator [--port N]`` (``make emulator``) serves until
interrupted; inside a test, ``with serve_in_thread() as base_url:`` serves for the block.
Any API key is accepted except ``invalid-key``, which gets the gateway's 401.
"""

from .server import DEFAULT_PORT, PortTakenError, make_server, serve_in_thread

__all__ = ["DEFAULT_PORT", "PortTakenError", "make_server", "serve_in_thread"]
