"""Imported first by the package: without llama-index-core, say which extra to install."""

try:
    import llama_index.core  # noqa: F401  (the adapter's modules import it next anyway)
except ModuleNotFoundError as error:
    raise ImportError(
        "llama_index_aihubmix needs llama-index-core, which is not installed. Install it with "
        'pip install "aihubmix-integrations[llama-index]" (or pip install llama-index-core).',
        name="llama_index.core",
    ) from error
