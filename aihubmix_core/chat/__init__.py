"""Chat completions: the wire shapes (``wire``), pure request builders, reply parsers,
the stream accumulator, and the stream objects the client hands out."""
