"""The model lists the emulator serves: ``GET /v1/models`` and the public ``/api/v1/models`` catalog."""

from __future__ import annotations

from typing import Any

# (id, owner, features, input modalities, context, max output, input $/M, output $/M)
MODELS = (
    (
        "gpt-4o-mini",
        "openai",
        "tools,function_calling,structured_outputs",
        "text,image",
        "128000",
        "16384",
        0.15,
        0.6,
    ),
    (
        "gpt-4o",
        "openai",
        "tools,function_calling,structured_outputs",
        "text,image",
        "128000",
        "16384",
        2.5,
        10.0,
    ),
    (
        "gpt-4.1-mini",
        "openai",
        "tools,function_calling,structured_outputs,long_context",
        "text,image",
        "1047576",
        "32768",
        0.4,
        1.6,
    ),
    (
        "o3-mini",
        "openai",
        "thinking,tools,function_calling,structured_outputs",
        "text",
        "200000",
        "100000",
        1.1,
        4.4,
    ),
    (
        "gpt-5-mini",
        "openai",
        "thinking,tools,function_calling,structured_outputs",
        "text,image",
        "400000",
        "128000",
        0.25,
        2.0,
    ),
    (
        "claude-sonnet-4-5",
        "anthropic",
        "thinking,tools,function_calling",
        "text,image",
        "200000",
        "64000",
        3.0,
        15.0,
    ),
    (
        "gemini-2.5-flash",
        "google",
        "thinking,tools,function_calling,structured_outputs,long_context",
        "text,image,audio,video",
        "1048576",
        "65536",
        0.3,
        2.5,
    ),
    ("deepseek-chat", "deepseek", "tools,function_calling", "text", "128000", "8192", 0.28, 0.42),
    ("deepseek-reasoner", "deepseek", "thinking,tools", "text", "128000", "64000", 0.28, 0.42),
    ("grok-3-mini", "xai", "thinking,tools,function_calling", "text", "131072", "16384", 0.3, 0.5),
    ("qwen3-max", "alibaba", "tools,function_calling", "text", "262144", "65536", 1.2, 6.0),
    ("text-embedding-3-small", "openai", "", "text", "8191", "0", 0.02, 0.0),
    ("text-embedding-3-large", "openai", "", "text", "8191", "0", 0.13, 0.0),
)


def openai_list() -> dict[str, Any]:
    return {
        "object": "list",
        "data": [
            {"id": m[0], "object": "model", "created": 1700000000, "owned_by": m[1]} for m in MODELS
        ],
    }


def public_catalog() -> dict[str, Any]:
    return {
        "success": True,
        "data": [
            {
                "model_id": m[0],
                "desc": f"{m[0]} via AIHubMix",
                "types": "embedding" if m[0].startswith("text-embedding") else "llm",
                "features": m[2],
                "input_modalities": m[3],
                "context_length": m[4],
                "max_output": m[5],
                "pricing": {"input": m[6], "output": m[7]},
            }
            for m in MODELS
        ],
    }
