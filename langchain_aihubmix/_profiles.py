"""LangChain model profiles from what the core knows about a model id.

Every id gets a profile: a listed model its own figures; an unlisted one conservative
defaults (``aihubmix_core.DEFAULT_CONTEXT_WINDOW`` tokens in, 4,096 out, no native
structured output, text only), which a ``profile=`` argument overrides.
"""

from __future__ import annotations

from langchain_core.language_models import ModelProfile

from aihubmix_core import ModelInfo

__all__ = ["model_profile"]


def model_profile(info: ModelInfo) -> ModelProfile:
    """The ``ModelProfile`` of the model ``info`` describes."""
    outputs = info.output_modalities
    profile = ModelProfile(
        max_input_tokens=info.prompt_limit,
        max_output_tokens=info.max_output_tokens,
        text_inputs="text" in info.input_modalities,
        image_inputs=info.image_input,
        image_url_inputs=info.image_input,
        pdf_inputs=info.pdf_input,
        audio_inputs=info.audio_input,
        video_inputs=info.video_input,
        text_outputs="text" in outputs,
        image_outputs="image" in outputs,
        audio_outputs="audio" in outputs,
        video_outputs="video" in outputs,
        tool_calling=info.tools,
        tool_choice=info.tools,
        tool_call_streaming=info.tools,
        structured_output=info.structured_output,
        reasoning_output=info.reasoning,
    )
    if info.reasoning and info.reasoning_efforts:
        profile["reasoning_effort_levels"] = list(info.reasoning_efforts)
    for key in ("name", "release_date", "open_weights", "temperature"):
        value = getattr(info, key)
        if value is not None and value != "":
            profile[key] = value
    return profile
