"""The HTTP layer: the only code that does I/O. Internal; the client is the public face."""
