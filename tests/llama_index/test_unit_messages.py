"""What goes over the wire for LlamaIndex messages, and what comes back as LlamaIndex types."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from llama_index.core.base.llms.types import (
    AudioBlock,
    CacheControl,
    CachePoint,
    ChatMessage,
    DocumentBlock,
    ImageBlock,
    TextBlock,
    ThinkingBlock,
    ToolCallBlock,
    VideoBlock,
)

from aihubmix_core import ChatRequest
from llama_index_aihubmix._messages import to_core_messages

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


def wire(*messages: ChatMessage) -> list[dict[str, Any]]:
    payload = ChatRequest(model="gpt-4o-mini", messages=to_core_messages(messages)).to_payload()
    return list(payload["messages"])


def test_text_only_messages_are_plain_strings() -> None:
    sent = wire(
        ChatMessage(role="system", content="Be brief."),
        ChatMessage(role="user", blocks=[TextBlock(text="line one"), TextBlock(text="line two")]),
    )
    assert sent == [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": "line one\nline two"},
    ]


def test_image_by_url_and_by_bytes() -> None:
    [sent] = wire(
        ChatMessage(
            role="user",
            blocks=[
                TextBlock(text="What is in these?"),
                ImageBlock(url="https://example.com/cat.png", detail="low"),
                ImageBlock(image=PNG),
            ],
        )
    )
    assert sent["content"][0] == {"type": "text", "text": "What is in these?"}
    assert sent["content"][1] == {
        "type": "image_url",
        "image_url": {"url": "https://example.com/cat.png", "detail": "low"},
    }
    data_url = sent["content"][2]["image_url"]["url"]
    assert data_url.startswith("data:image/png;base64,")
    assert base64.b64decode(data_url.split(",", 1)[1]) == PNG


def test_audio_and_document_parts() -> None:
    [sent] = wire(
        ChatMessage(
            role="user",
            blocks=[
                AudioBlock(audio=b"RIFF0000WAVEfmt ", format="wav"),
                DocumentBlock(
                    data=b"%PDF-1.4 hello", title="report.pdf", document_mimetype="application/pdf"
                ),
            ],
        )
    )
    audio, document = sent["content"]
    assert audio["type"] == "input_audio"
    assert audio["input_audio"]["format"] == "wav"
    assert base64.b64decode(audio["input_audio"]["data"]) == b"RIFF0000WAVEfmt "
    assert document["type"] == "file"
    assert document["file"]["filename"] == "report.pdf"
    assert document["file"]["file_data"].startswith("data:application/pdf;base64,")


def test_cache_point_marks_the_part_before_it() -> None:
    [sent] = wire(
        ChatMessage(
            role="user",
            blocks=[
                TextBlock(text="long shared context"),
                CachePoint(cache_control=CacheControl(type="ephemeral")),
                TextBlock(text="question"),
            ],
        )
    )
    assert sent["content"] == [
        {
            "type": "text",
            "text": "long shared context",
            "cache_control": {"type": "ephemeral", "ttl": "5m"},
        },
        {"type": "text", "text": "question"},
    ]


def test_unsupported_block_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="VideoBlock is not supported"):
        to_core_messages(
            [ChatMessage(role="user", blocks=[VideoBlock(url="https://x.test/v.mp4")])]
        )


def test_tool_message_needs_its_call_id() -> None:
    with pytest.raises(ValueError, match=r"additional_kwargs\['tool_call_id'\]"):
        to_core_messages([ChatMessage(role="tool", content="42")])


def test_assistant_tool_calls_from_blocks_and_from_legacy_kwargs() -> None:
    from_blocks = ChatMessage(
        role="assistant",
        blocks=[ToolCallBlock(tool_call_id="c1", tool_name="add", tool_kwargs={"a": 1, "b": 2})],
    )
    legacy = ChatMessage(
        role="assistant",
        content="",
        additional_kwargs={
            "tool_calls": [
                {
                    "id": "c2",
                    "type": "function",
                    "function": {"name": "mul", "arguments": '{"a": 3}'},
                }
            ]
        },
    )
    sent = wire(from_blocks, legacy)
    assert sent[0]["tool_calls"] == [
        {
            "id": "c1",
            "type": "function",
            "function": {"name": "add", "arguments": '{"a": 1, "b": 2}'},
        }
    ]
    assert sent[1]["tool_calls"][0]["function"] == {"name": "mul", "arguments": '{"a": 3}'}
    assert sent[0]["content"] is None


def test_reasoning_goes_back_in_tool_loops() -> None:
    details = [{"type": "reasoning.text", "text": "think", "signature": "sig", "index": 0}]
    message = ChatMessage(
        role="assistant",
        blocks=[
            ThinkingBlock(content="think"),
            TextBlock(text=""),
            ToolCallBlock(tool_call_id="c1", tool_name="add", tool_kwargs={}),
        ],
        additional_kwargs={"reasoning_details": details},
    )
    [sent] = wire(message)
    assert sent["reasoning_details"] == details
    assert sent["reasoning_content"] == "think"


def test_reasoning_text_is_not_sent_back_outside_tool_loops() -> None:
    [sent] = wire(
        ChatMessage(role="assistant", blocks=[ThinkingBlock(content="t"), TextBlock(text="hi")])
    )
    assert sent == {"role": "assistant", "content": "hi"}


def test_framework_metadata_in_additional_kwargs_stays_home() -> None:
    [sent] = wire(
        ChatMessage(
            role="assistant",
            content="done",
            additional_kwargs={"tool_call_id": "c9", "some_framework_note": 1, "refusal": "no"},
        )
    )
    assert sent == {"role": "assistant", "content": "done", "refusal": "no"}


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("function", "tool"),
        ("chatbot", "assistant"),
        ("model", "assistant"),
        ("developer", "developer"),
    ],
)
def test_roles_map_to_the_wire(role: str, expected: str) -> None:
    extra = {"tool_call_id": "c"} if expected == "tool" else {}
    [sent] = wire(ChatMessage(role=role, content="x", additional_kwargs=extra))
    assert sent["role"] == expected
