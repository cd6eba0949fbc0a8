"""Replies on the wire, in the shapes real upstreams use (see tests/data/wire-captures).

Each flavour copies what its capture shows: where usage goes, whether ``finish_reason``
keys appear on every chunk, how tool calls are split, the extra fields each one adds.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from .brain import Reply, base_model, short_hash

CREATED = 1770000000


def flavour(model: str) -> str:
    name = base_model(model)
    if name.startswith("deepseek"):
        return "deepseek"
    if name.startswith("grok"):
        return "xai"
    if name.startswith("llama"):
        return "groq"
    if name.startswith("mistral"):
        return "mistral"
    return "openai"


def usage(reply: Reply, style: str) -> dict[str, Any]:
    total = reply.prompt_tokens + reply.completion_tokens
    body: dict[str, Any] = {
        "prompt_tokens": reply.prompt_tokens,
        "completion_tokens": reply.completion_tokens,
        "total_tokens": total,
    }
    if style == "mistral":
        return body
    if style == "groq":
        return {
            "queue_time": 0.04,
            **body,
            "prompt_time": 0.01,
            "completion_time": 0.05,
            "total_time": 0.06,
        }
    body["prompt_tokens_details"] = {"cached_tokens": reply.cached_tokens}
    body["completion_tokens_details"] = {"reasoning_tokens": reply.reasoning_tokens}
    if style == "openai":
        body["prompt_tokens_details"]["audio_tokens"] = 0
        body["completion_tokens_details"].update(
            {"audio_tokens": 0, "accepted_prediction_tokens": 0, "rejected_prediction_tokens": 0}
        )
    elif style == "deepseek":
        body["prompt_cache_hit_tokens"] = reply.cached_tokens
        body["prompt_cache_miss_tokens"] = reply.prompt_tokens - reply.cached_tokens
    elif style == "xai":
        # xAI counts reasoning outside completion_tokens (total > prompt + completion).
        body["completion_tokens"] = reply.completion_tokens - reply.reasoning_tokens
        body["total_tokens"] = reply.prompt_tokens + reply.completion_tokens
        body["num_sources_used"] = 0
    return body


def _ids(body: dict[str, Any], style: str) -> dict[str, Any]:
    seed = short_hash(body, length=32)
    if style == "openai":
        return {"id": f"chatcmpl-{seed[:29]}", "system_fingerprint": "fp_de604bd877"}
    if style == "deepseek":
        return {
            "id": f"{seed[:8]}-{seed[8:12]}-{seed[12:16]}-{seed[16:20]}-{seed[20:32]}",
            "system_fingerprint": "fp_eaab8d114b_prod0820_fp8_kvcache",
        }
    if style == "xai":
        return {
            "id": f"{seed[:8]}-{seed[8:12]}-{seed[12:16]}-{seed[16:20]}-{seed[20:32]}",
            "system_fingerprint": "fp_2a885414fb",
        }
    if style == "groq":
        return {
            "id": f"chatcmpl-{seed[:8]}-{seed[8:12]}-{seed[12:16]}-{seed[16:20]}-{seed[20:32]}",
            "system_fingerprint": "fp_f8b414701e",
        }
    return {"id": seed}


def _logprobs(text: str) -> dict[str, Any]:
    pieces = re.findall(r"\s*\S+", text)
    return {
        "content": [
            {
                "token": piece,
                "logprob": -0.01 * (i % 7),
                "bytes": list(piece.encode()),
                "top_logprobs": [],
            }
            for i, piece in enumerate(pieces)
        ],
        "refusal": None,
    }


def completion(body: dict[str, Any], reply: Reply) -> dict[str, Any]:
    """The non-streamed body."""
    style = flavour(body["model"])
    ids = _ids(body, style)
    message: dict[str, Any] = {
        "role": "assistant",
        "content": reply.content or ("" if style != "mistral" else None),
    }
    if reply.reasoning:
        message["reasoning_content"] = reply.reasoning
    if reply.reasoning_details:
        message["reasoning_details"] = reply.reasoning_details
    if reply.tool_calls:
        message["tool_calls"] = [
            {
                "index": i,
                "id": c.id,
                "type": "function",
                "function": {"name": c.name, "arguments": c.arguments},
            }
            for i, c in enumerate(reply.tool_calls)
        ]
    if style == "openai":
        message["refusal"] = None
        message["annotations"] = reply.annotations
    elif reply.annotations:
        message["annotations"] = reply.annotations
    n: int = body["n"] if isinstance(body.get("n"), int) and body["n"] > 1 else 1
    choices = []
    for index in range(n):
        choice: dict[str, Any] = {
            "index": index,
            "message": message,
            "logprobs": None,
            "finish_reason": reply.finish_reason,
        }
        if body.get("logprobs"):
            choice["logprobs"] = _logprobs(reply.content)
        choices.append(choice)
    result: dict[str, Any] = {
        "id": ids["id"],
        "object": "chat.completion",
        "created": CREATED,
        "model": body["model"],
        "choices": choices,
        "usage": usage(reply, style),
    }
    if "system_fingerprint" in ids:
        result["system_fingerprint"] = ids["system_fingerprint"]
    if style == "openai":
        result["service_tier"] = "default"
    if style == "groq":
        result["x_groq"] = {"id": f"req_{short_hash(body, length=26)}"}
    return result


def _pieces(text: str) -> list[str]:
    return re.findall(r"\s*\S+|\s+$", text) if text else []


def _fragments(arguments: str, size: int = 8) -> list[str]:
    return [arguments[i : i + size] for i in range(0, len(arguments), size)] or [""]


def chunks(body: dict[str, Any], reply: Reply) -> Iterator[dict[str, Any]]:
    """The streamed chunks (without the SSE framing)."""
    style = flavour(body["model"])
    ids = _ids(body, style)
    include_usage = bool((body.get("stream_options") or {}).get("include_usage"))
    head: dict[str, Any] = {
        "id": ids["id"],
        "object": "chat.completion.chunk",
        "created": CREATED,
        "model": body["model"],
    }
    if style == "openai":
        head["service_tier"] = "default"
    if "system_fingerprint" in ids:
        head["system_fingerprint"] = ids["system_fingerprint"]
    n: int = body["n"] if isinstance(body.get("n"), int) and body["n"] > 1 else 1
    want_logprobs = bool(body.get("logprobs"))

    def chunk(
        delta: dict[str, Any], finish: str | None = None, index: int = 0, **extra: Any
    ) -> dict[str, Any]:
        choice: dict[str, Any] = {"index": index, "delta": delta}
        if style != "xai" or finish is not None:
            choice["finish_reason"] = finish
        if style in ("openai", "deepseek", "groq", "mistral"):
            choice["logprobs"] = None
        out = {**head, "choices": [choice], **extra}
        if style in ("openai", "deepseek"):
            out.setdefault("usage", None)
        if style == "openai":
            out["obfuscation"] = "x" * (len(json.dumps(delta)) % 9 + 2)
        return out

    for index in range(n):
        first: dict[str, Any] = {
            "role": "assistant",
            "content": "" if style in ("openai", "mistral") else None,
        }
        if style == "openai":
            first["refusal"] = None
        if style == "deepseek" and reply.reasoning:
            first["reasoning_content"] = ""
        extra: dict[str, Any] = (
            {"x_groq": {"id": f"req_{short_hash(body, length=26)}"}} if style == "groq" else {}
        )
        yield chunk(first, index=index, **extra)
        for piece in _pieces(reply.reasoning):
            yield chunk({"reasoning_content": piece}, index=index)
        if reply.reasoning_details:
            for detail in reply.reasoning_details:
                text = detail.get("text", "")
                half = len(text) // 2
                yield chunk(
                    {"reasoning_details": [{**detail, "text": text[:half], "signature": None}]},
                    index=index,
                )
                yield chunk(
                    {
                        "reasoning_details": [
                            {
                                "type": detail["type"],
                                "index": detail["index"],
                                "text": text[half:],
                                "signature": detail["signature"],
                                "format": detail.get("format"),
                            }
                        ]
                    },
                    index=index,
                )
        for piece in _pieces(reply.content):
            c = chunk({"content": piece}, index=index)
            if want_logprobs:
                c["choices"][0]["logprobs"] = _logprobs(piece)
            yield c
        if reply.annotations:  # OpenAI's search models send them once, after the text
            yield chunk({"annotations": reply.annotations}, index=index)
        finish_usage = usage(reply, style)
        if reply.tool_calls:
            if style in ("groq", "xai"):
                yield chunk(
                    {
                        "tool_calls": [
                            {
                                "id": call.id,
                                "type": "function",
                                "function": {"name": call.name, "arguments": call.arguments},
                                "index": i,
                            }
                            for i, call in enumerate(reply.tool_calls)
                        ]
                    },
                    index=index,
                )
            elif style == "mistral":
                yield chunk(
                    {
                        "content": None,
                        "tool_calls": [
                            {
                                "id": call.id,
                                "function": {"name": call.name, "arguments": call.arguments},
                            }
                            for call in reply.tool_calls
                        ],
                    },
                    reply.finish_reason,
                    index=index,
                    usage=finish_usage,
                )
                continue
            else:
                for i, call in enumerate(reply.tool_calls):
                    yield chunk(
                        {
                            "tool_calls": [
                                {
                                    "index": i,
                                    "id": call.id,
                                    "type": "function",
                                    "function": {"name": call.name, "arguments": ""},
                                }
                            ]
                        },
                        index=index,
                    )
                    for fragment in _fragments(call.arguments):
                        yield chunk(
                            {"tool_calls": [{"index": i, "function": {"arguments": fragment}}]},
                            index=index,
                        )
        if style == "deepseek":
            yield chunk(
                {"content": "", "reasoning_content": None},
                reply.finish_reason,
                index=index,
                usage=finish_usage if include_usage else None,
            )
        elif style == "mistral":
            yield chunk({}, reply.finish_reason, index=index, usage=finish_usage)
        elif style == "groq":
            extra = {"x_groq": {"id": f"req_{short_hash(body, length=26)}", "usage": finish_usage}}
            if include_usage:
                extra["usage"] = finish_usage
            yield chunk({}, reply.finish_reason, index=index, **extra)
        else:
            yield chunk({}, reply.finish_reason, index=index)
    if include_usage and style in ("openai", "xai"):
        tail = {**head, "choices": [], "usage": usage(reply, style)}
        if style == "openai":
            tail["obfuscation"] = "abc"
        yield tail


def sse(events: Iterator[dict[str, Any]]) -> Iterator[bytes]:
    for event in events:
        yield (
            b"data: "
            + json.dumps(event, ensure_ascii=False, separators=(",", ":")).encode()
            + b"\n\n"
        )
    yield b"data: [DONE]\n\n"
