"""A loopback emulator of the AIHubMix API, for tests and for recording cassettes offline.

Its replies follow the wire shapes of real provider captures (tests/data/wire-captures in
the aihubmix-integrations repository); their content comes from the scripted model in
``brain.py``. See ``server.py`` for the routes and ``wire.py`` for the per-provider shapes.
"""

from .server import serve_in_thread

__all__ = ["serve_in_thread"]
