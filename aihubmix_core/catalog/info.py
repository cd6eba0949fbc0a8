"""``ModelInfo``: what is known about one model (limits, capabilities, prices)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "DEFAULT_CONTEXT_WINDOW",
    "DEFAULT_MAX_OUTPUT_TOKENS",
    "MODEL_TYPES",
    "ModelInfo",
    "PriceTier",
]

DEFAULT_CONTEXT_WINDOW = 32_768
"""Assumed for ids nobody knows: small enough to be safe on any current chat model."""
DEFAULT_MAX_OUTPUT_TOKENS = 4_096

MODEL_TYPES = ("llm", "embedding", "rerank", "image_generation", "tts", "stt", "video")
"""The model types of AIHubMix's public catalog."""


@dataclass(frozen=True, slots=True)
class PriceTier:
    """Prices (USD per million tokens) that apply once a prompt is longer than ``above`` tokens."""

    above: int
    input: float | None = None
    output: float | None = None
    cache_read: float | None = None
    cache_write: float | None = None


@dataclass(frozen=True, slots=True)
class ModelInfo:
    """One model as this package knows it.

    Prices are USD per million tokens; ``None`` means not known (a cost is then not computed,
    never taken as zero). ``source`` says where the values came from: ``"catalog"`` (the
    live public catalog), ``"snapshot"`` (the data shipped with the package),
    ``"family:<id>"`` (an unlisted variant of a listed id: limits and capabilities, no
    prices) or ``"default"`` (nothing known; ``known`` is then ``False``).
    """

    id: str
    context_window: int = DEFAULT_CONTEXT_WINDOW
    max_output_tokens: int = DEFAULT_MAX_OUTPUT_TOKENS
    tools: bool = True
    reasoning: bool = False
    structured_output: bool = False
    image_input: bool = False
    embedding_dimensions: int | None = None
    input_price: float | None = None
    output_price: float | None = None
    cache_read_price: float | None = None
    known: bool = False
    """False when the values are this package's defaults for an unknown id."""
    cache_write_price: float | None = None
    price_tiers: tuple[PriceTier, ...] = ()
    """Higher prices for long prompts, lowest threshold first."""
    types: tuple[str, ...] = ()
    """Catalog types (``MODEL_TYPES``); empty when unknown."""
    input_modalities: tuple[str, ...] = ("text",)
    output_modalities: tuple[str, ...] = ("text",)
    max_input_tokens: int | None = None
    """A prompt limit below the context window, where the provider publishes one."""
    reasoning_efforts: tuple[str, ...] = ()
    """The ``reasoning_effort`` values the model accepts, where known."""
    features: tuple[str, ...] = ()
    """The catalog's feature words (``web``, ``long_context``, ...)."""
    name: str | None = None
    release_date: str | None = None
    open_weights: bool | None = None
    temperature: bool | None = None
    """Whether ``temperature`` is accepted, where known."""
    source: str = "default"

    @property
    def is_chat(self) -> bool:
        """A chat model (``llm``), or a model of unknown type."""
        return not self.types or "llm" in self.types

    @property
    def prompt_limit(self) -> int:
        """Most tokens a prompt may have: the input limit if published, else the window."""
        return self.max_input_tokens or self.context_window

    @property
    def pdf_input(self) -> bool:
        return "pdf" in self.input_modalities

    @property
    def audio_input(self) -> bool:
        return "audio" in self.input_modalities

    @property
    def video_input(self) -> bool:
        return "video" in self.input_modalities

    @property
    def priced(self) -> bool:
        """Whether a cost can be computed: the input price is known."""
        return self.input_price is not None
