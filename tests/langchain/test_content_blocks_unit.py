"""Every content-block form users hand LangChain, and the exact wire part it becomes.

Blocks go through ``ChatAIHubMix.invoke`` over a mock transport, so LangChain's own
normalisation of v0 and OpenAI blocks runs first, as it does for users.
"""

from __future__ import annotations

import base64
from typing import Any

import pytest
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage

REPLY = {
    "id": "chatcmpl-1",
    "model": "gpt-4o-mini",
    "choices": [
        {"index": 0, "message": {"role": "assistant", "content": "ok"}, "finish_reason": "stop"}
    ],
}
PDF = base64.b64encode(b"%PDF-1.4 tiny").decode()
WAV = base64.b64encode(b"RIFF....WAVEfmt ").decode()
PNG = base64.b64encode(b"\x89PNG\r\n\x1a\n").decode()
EPHEMERAL = {"type": "ephemeral"}


def _sent(
    mock_chat: Any, messages: list[BaseMessage], settings: Any = None, **bind: Any
) -> list[dict[str, Any]]:
    model, recorder = mock_chat(body=REPLY, **(settings or {}))
    (model.bind_tools(**bind) if bind else model).invoke(messages)
    wire: list[dict[str, Any]] = recorder.last["messages"]
    return wire


def _user_part(mock_chat: Any, block: dict[str, Any]) -> dict[str, Any]:
    """The wire part for one block sent after a text block in a user message."""
    wire = _sent(mock_chat, [HumanMessage([{"type": "text", "text": "Look:"}, block])])
    assert wire[0]["content"][0] == {"type": "text", "text": "Look:"}
    part: dict[str, Any] = wire[0]["content"][1]
    return part


# user messages: files, audio, images, text documents


@pytest.mark.parametrize(
    ("block", "part"),
    [
        pytest.param(
            {"type": "file", "base64": PDF, "mime_type": "application/pdf"},
            {
                "type": "file",
                "file": {
                    "filename": "document.pdf",
                    "file_data": f"data:application/pdf;base64,{PDF}",
                },
            },
            id="v1-base64-no-filename",
        ),
        pytest.param(
            {"type": "file", "base64": PDF, "mime_type": "application/pdf", "filename": "q3.pdf"},
            {
                "type": "file",
                "file": {"filename": "q3.pdf", "file_data": f"data:application/pdf;base64,{PDF}"},
            },
            id="v1-base64-filename",
        ),
        pytest.param(
            {
                "type": "file",
                "base64": PDF,
                "mime_type": "application/pdf",
                "extras": {"filename": "q4.pdf"},
            },
            {
                "type": "file",
                "file": {"filename": "q4.pdf", "file_data": f"data:application/pdf;base64,{PDF}"},
            },
            id="v1-base64-filename-in-extras",
        ),
        pytest.param(
            {"type": "file", "base64": "YSxi", "mime_type": "text/csv"},
            {
                "type": "file",
                "file": {"filename": "document.csv", "file_data": "data:text/csv;base64,YSxi"},
            },
            id="v1-base64-other-type-gets-its-extension",
        ),
        pytest.param(
            {"type": "file", "file_id": "file-abc"},
            {"type": "file", "file": {"file_id": "file-abc"}},
            id="v1-file-id",
        ),
        pytest.param(
            {"type": "file", "source_type": "base64", "data": PDF, "mime_type": "application/pdf"},
            {
                "type": "file",
                "file": {
                    "filename": "document.pdf",
                    "file_data": f"data:application/pdf;base64,{PDF}",
                },
            },
            id="v0-base64",
        ),
        pytest.param(
            {"type": "file", "source_type": "id", "id": "file-xyz"},
            {"type": "file", "file": {"file_id": "file-xyz"}},
            id="v0-id",
        ),
        pytest.param(
            {
                "type": "file",
                "file": {
                    "filename": "report.pdf",
                    "file_data": f"data:application/pdf;base64,{PDF}",
                },
            },
            {
                "type": "file",
                "file": {
                    "filename": "report.pdf",
                    "file_data": f"data:application/pdf;base64,{PDF}",
                },
            },
            id="openai-file-data",
        ),
        pytest.param(
            {"type": "file", "file": {"file_id": "file-123"}},
            {"type": "file", "file": {"file_id": "file-123"}},
            id="openai-file-id",
        ),
        pytest.param(
            {
                "type": "file",
                "base64": PDF,
                "mime_type": "application/pdf",
                "filename": "big.pdf",
                "cache_control": EPHEMERAL,
            },
            {
                "type": "file",
                "file": {"filename": "big.pdf", "file_data": f"data:application/pdf;base64,{PDF}"},
                "cache_control": EPHEMERAL,
            },
            id="cache-control-kept",
        ),
    ],
)
def test_file_blocks(mock_chat: Any, block: dict[str, Any], part: dict[str, Any]) -> None:
    assert _user_part(mock_chat, block) == part


@pytest.mark.parametrize(
    ("block", "part"),
    [
        pytest.param(
            {"type": "audio", "base64": WAV, "mime_type": "audio/wav"},
            {"type": "input_audio", "input_audio": {"data": WAV, "format": "wav"}},
            id="v1-wav",
        ),
        pytest.param(
            {"type": "audio", "base64": WAV, "mime_type": "audio/mpeg"},
            {"type": "input_audio", "input_audio": {"data": WAV, "format": "mp3"}},
            id="v1-mpeg-is-mp3",
        ),
        pytest.param(
            {"type": "audio", "base64": WAV, "mime_type": "audio/x-wav"},
            {"type": "input_audio", "input_audio": {"data": WAV, "format": "wav"}},
            id="v1-x-wav-is-wav",
        ),
        pytest.param(
            {"type": "audio", "source_type": "base64", "data": WAV, "mime_type": "audio/wav"},
            {"type": "input_audio", "input_audio": {"data": WAV, "format": "wav"}},
            id="v0-base64",
        ),
        pytest.param(
            {"type": "input_audio", "input_audio": {"data": WAV, "format": "mp3"}},
            {"type": "input_audio", "input_audio": {"data": WAV, "format": "mp3"}},
            id="openai-input-audio",
        ),
    ],
)
def test_audio_blocks(mock_chat: Any, block: dict[str, Any], part: dict[str, Any]) -> None:
    assert _user_part(mock_chat, block) == part


@pytest.mark.parametrize(
    ("block", "part"),
    [
        pytest.param(
            {"type": "image", "source_type": "url", "url": "https://example.com/a.png"},
            {"type": "image_url", "image_url": {"url": "https://example.com/a.png"}},
            id="v0-url",
        ),
        pytest.param(
            {"type": "image", "source_type": "base64", "data": PNG, "mime_type": "image/png"},
            {"type": "image_url", "image_url": {"url": f"data:image/png;base64,{PNG}"}},
            id="v0-base64",
        ),
        pytest.param(
            {"type": "image", "url": "https://example.com/a.png", "extras": {"detail": "high"}},
            {
                "type": "image_url",
                "image_url": {"url": "https://example.com/a.png", "detail": "high"},
            },
            id="v1-detail-in-extras",
        ),
        pytest.param(
            {
                "type": "image",
                "source": {"type": "url", "url": "https://example.com/b.jpg"},
                "cache_control": EPHEMERAL,
            },
            {
                "type": "image_url",
                "image_url": {"url": "https://example.com/b.jpg"},
                "cache_control": EPHEMERAL,
            },
            id="anthropic-url-with-cache-control",
        ),
        pytest.param(
            {
                "type": "image",
                "source_type": "base64",
                "data": PNG,
                "mime_type": "image/png",
                "cache_control": EPHEMERAL,
            },
            {
                "type": "image_url",
                "image_url": {"url": f"data:image/png;base64,{PNG}"},
                "cache_control": EPHEMERAL,
            },
            id="v0-cache-control-moved-to-extras-by-langchain",
        ),
    ],
)
def test_image_blocks(mock_chat: Any, block: dict[str, Any], part: dict[str, Any]) -> None:
    assert _user_part(mock_chat, block) == part


@pytest.mark.parametrize(
    ("block", "part"),
    [
        pytest.param(
            {"type": "text-plain", "text": "Minutes of the meeting.", "mime_type": "text/plain"},
            {"type": "text", "text": "Minutes of the meeting."},
            id="v1-text",
        ),
        pytest.param(
            {
                "type": "text-plain",
                "base64": base64.b64encode("Café notes.".encode()).decode(),
                "mime_type": "text/plain",
            },
            {"type": "text", "text": "Café notes."},
            id="v1-base64-decoded",
        ),
        pytest.param(
            {"type": "file", "source_type": "text", "url": "Inline v0 text."},
            {"type": "text", "text": "Inline v0 text."},
            id="v0-text",
        ),
        pytest.param(
            {
                "type": "document",
                "source": {"type": "base64", "media_type": "application/pdf", "data": PDF},
                "title": "contract.pdf",
            },
            {
                "type": "file",
                "file": {
                    "filename": "contract.pdf",
                    "file_data": f"data:application/pdf;base64,{PDF}",
                },
            },
            id="anthropic-pdf-document",
        ),
        pytest.param(
            {
                "type": "document",
                "source": {"type": "text", "media_type": "text/plain", "data": "Plain doc."},
                "cache_control": EPHEMERAL,
            },
            {"type": "text", "text": "Plain doc.", "cache_control": EPHEMERAL},
            id="anthropic-text-document",
        ),
        pytest.param(
            {"type": "non_standard", "value": {"type": "input_video", "video": "v"}},
            {"type": "input_video", "video": "v"},
            id="non-standard-sent-as-given",
        ),
        pytest.param(
            {"type": "text", "text": "Quoted.", "citations": [{"cited_text": "x"}], "id": "t1"},
            {"type": "text", "text": "Quoted."},
            id="text-bookkeeping-left-out",
        ),
    ],
)
def test_text_documents_and_other_blocks(
    mock_chat: Any, block: dict[str, Any], part: dict[str, Any]
) -> None:
    assert _user_part(mock_chat, block) == part


@pytest.mark.parametrize(
    ("block", "fix"),
    [
        pytest.param(
            {"type": "audio", "url": "https://example.com/a.wav"}, "base64", id="audio-url"
        ),
        pytest.param({"type": "audio", "file_id": "file-1"}, "base64", id="audio-file-id"),
        pytest.param(
            {"type": "audio", "source_type": "base64", "data": WAV}, "mime_type", id="audio-no-mime"
        ),
        pytest.param({"type": "image", "file_id": "file-1"}, "not by file_id", id="image-file-id"),
        pytest.param(
            {"type": "image", "source": {"type": "file", "file_id": "f"}},
            "source type 'file'",
            id="anthropic-image-file",
        ),
        pytest.param(
            {"type": "video", "url": "https://example.com/v.mp4"}, "frames as images", id="video"
        ),
        pytest.param(
            {"type": "text-plain", "url": "https://example.com/a.txt", "mime_type": "text/plain"},
            "cannot fetch a URL",
            id="text-plain-url",
        ),
        pytest.param(
            {"type": "document", "source": {"type": "url", "url": "https://example.com/a.pdf"}},
            "source type 'url'",
            id="anthropic-document-url",
        ),
        pytest.param(
            {
                "type": "document",
                "source": {"type": "text", "media_type": "text/plain", "data": "x"},
                "citations": {"enabled": True},
            },
            "citations",
            id="anthropic-citations",
        ),
        pytest.param(
            {"type": "tool_use", "id": "c1", "name": "f", "input": {}},
            "tool_use belongs in AIMessage",
            id="tool-use-in-user-message",
        ),
    ],
)
def test_blocks_the_wire_cannot_carry_are_refused_with_a_fix(
    mock_chat: Any, block: dict[str, Any], fix: str
) -> None:
    model, recorder = mock_chat(body=REPLY)
    with pytest.raises(ValueError, match=fix):
        model.invoke([HumanMessage([{"type": "text", "text": "Look:"}, block])])
    assert recorder.requests == []


# tool messages


def _tool_loop(result: ToolMessage) -> list[BaseMessage]:
    return [
        HumanMessage("Fetch the chart."),
        AIMessage("", tool_calls=[{"type": "tool_call", "id": "1", "name": "chart", "args": {}}]),
        result,
    ]


@pytest.mark.parametrize(
    ("content", "wire"),
    [
        pytest.param(
            [{"type": "image", "base64": PNG, "mime_type": "image/png"}],
            [{"type": "image_url", "image_url": {"url": f"data:image/png;base64,{PNG}"}}],
            id="v1-image",
        ),
        pytest.param(
            [{"type": "image_url", "image_url": {"url": f"data:image/png;base64,{PNG}"}}],
            [{"type": "image_url", "image_url": {"url": f"data:image/png;base64,{PNG}"}}],
            id="openai-image",
        ),
        pytest.param(
            [
                {"type": "text", "text": "Chart attached."},
                {
                    "type": "file",
                    "base64": PDF,
                    "mime_type": "application/pdf",
                    "filename": "c.pdf",
                },
            ],
            [
                {"type": "text", "text": "Chart attached."},
                {
                    "type": "file",
                    "file": {
                        "filename": "c.pdf",
                        "file_data": f"data:application/pdf;base64,{PDF}",
                    },
                },
            ],
            id="text-and-pdf",
        ),
    ],
)
def test_tool_messages_keep_images_and_files_as_parts(
    mock_chat: Any, content: list[dict[str, Any]], wire: list[dict[str, Any]]
) -> None:
    sent = _sent(mock_chat, _tool_loop(ToolMessage(content, tool_call_id="1", name="chart")))
    assert sent[2] == {"role": "tool", "content": wire, "tool_call_id": "1"}


def test_tool_message_built_from_content_blocks(mock_chat: Any) -> None:
    result = ToolMessage(
        content_blocks=[{"type": "file", "base64": PDF, "mime_type": "application/pdf"}],
        tool_call_id="1",
    )
    sent = _sent(mock_chat, _tool_loop(result))
    assert sent[2]["content"] == [
        {
            "type": "file",
            "file": {"filename": "document.pdf", "file_data": f"data:application/pdf;base64,{PDF}"},
        }
    ]


# Anthropic-format histories


def test_anthropic_tool_use_and_tool_result_become_tool_calls_and_tool_messages(
    mock_chat: Any,
) -> None:
    history: list[BaseMessage] = [
        HumanMessage("Pick colours for both rooms."),
        AIMessage(
            [
                {"type": "text", "text": "Let me check."},
                {"type": "tool_use", "id": "tu1", "name": "pick", "input": {"room": "hall"}},
                {"type": "tool_use", "id": "tu2", "name": "pick", "input": {"room": "café"}},
            ]
        ),
        HumanMessage(
            [
                {"type": "tool_result", "tool_use_id": "tu1", "content": "green"},
                {
                    "type": "tool_result",
                    "tool_use_id": "tu2",
                    "content": [
                        {"type": "text", "text": "see swatch"},
                        {
                            "type": "image",
                            "source": {"type": "base64", "media_type": "image/png", "data": PNG},
                        },
                    ],
                },
                {"type": "text", "text": "Which is warmer?"},
            ]
        ),
    ]
    sent = _sent(mock_chat, history)
    assert sent[1] == {
        "role": "assistant",
        "content": "Let me check.",
        "tool_calls": [
            {
                "id": "tu1",
                "type": "function",
                "function": {"name": "pick", "arguments": '{"room": "hall"}'},
            },
            {
                "id": "tu2",
                "type": "function",
                "function": {"name": "pick", "arguments": '{"room": "café"}'},
            },
        ],
    }
    assert sent[2] == {"role": "tool", "content": "green", "tool_call_id": "tu1"}
    assert sent[3] == {
        "role": "tool",
        "content": [
            {"type": "text", "text": "see swatch"},
            {"type": "image_url", "image_url": {"url": f"data:image/png;base64,{PNG}"}},
        ],
        "tool_call_id": "tu2",
    }
    assert sent[4] == {"role": "user", "content": "Which is warmer?"}
    assert len(sent) == 5


def test_tool_use_blocks_already_in_tool_calls_are_sent_once(mock_chat: Any) -> None:
    message = AIMessage(
        [{"type": "tool_use", "id": "c1", "name": "f", "input": {"a": 1}}],
        tool_calls=[{"type": "tool_call", "id": "c1", "name": "f", "args": {"a": 1}}],
    )
    sent = _sent(mock_chat, [HumanMessage("go"), message, ToolMessage("done", tool_call_id="c1")])
    assert [call["id"] for call in sent[1]["tool_calls"]] == ["c1"]
    assert sent[1]["content"] is None


def test_tool_results_alone_and_errors(mock_chat: Any) -> None:
    history: list[BaseMessage] = [
        HumanMessage("Divide."),
        AIMessage([{"type": "tool_use", "id": "d1", "name": "divide", "input": {"b": 0}}]),
        HumanMessage(
            [
                {
                    "type": "tool_result",
                    "tool_use_id": "d1",
                    "content": "division by zero",
                    "is_error": True,
                }
            ]
        ),
    ]
    sent = _sent(mock_chat, history)
    assert sent[2] == {"role": "tool", "content": "Error: division by zero", "tool_call_id": "d1"}
    assert len(sent) == 3


def test_tool_result_without_its_call_id_is_refused(mock_chat: Any) -> None:
    model, recorder = mock_chat(body=REPLY)
    with pytest.raises(ValueError, match="tool_use_id"):
        model.invoke([HumanMessage([{"type": "tool_result", "content": "x"}])])
    assert recorder.requests == []


def test_signed_thinking_goes_back_as_reasoning_details(mock_chat: Any) -> None:
    message = AIMessage(
        [
            {"type": "thinking", "thinking": "Greet back.", "signature": "sig-1"},
            {"type": "redacted_thinking", "data": "opaque"},
            {"type": "text", "text": "Hello!"},
        ]
    )
    history = [HumanMessage("Hi"), message, HumanMessage("Thanks")]
    # An earlier turn's reasoning goes back only under reasoning_history="all".
    assert "reasoning_details" not in _sent(mock_chat, history)[1]
    sent = _sent(mock_chat, history, {"reasoning_history": "all"})
    assert sent[1] == {
        "role": "assistant",
        "content": "Hello!",
        "reasoning_content": "Greet back.",
        "reasoning_details": [
            {
                "type": "reasoning.text",
                "text": "Greet back.",
                "signature": "sig-1",
                "format": "anthropic-claude-v1",
                "index": 0,
            },
            {
                "type": "reasoning.encrypted",
                "data": "opaque",
                "format": "anthropic-claude-v1",
                "index": 1,
            },
        ],
    }


def test_reasoning_details_from_the_reply_win_over_thinking_blocks(mock_chat: Any) -> None:
    details = [{"type": "reasoning.text", "text": "t", "signature": "from-reply"}]
    message = AIMessage(
        [
            {"type": "thinking", "thinking": "t", "signature": "other"},
            {"type": "text", "text": "Hi"},
        ],
        additional_kwargs={"reasoning_details": details},
    )
    history = [HumanMessage("Hi"), message, HumanMessage("Go on")]
    sent = _sent(mock_chat, history, {"reasoning_history": "all"})
    assert sent[1]["reasoning_details"] == details


def test_anthropic_tool_definitions_and_cache_control_text(mock_chat: Any) -> None:
    picker = {
        "name": "color_picker",
        "description": "Pick a colour.",
        "input_schema": {
            "type": "object",
            "properties": {"fav_color": {"type": "string"}},
            "required": ["fav_color"],
        },
    }
    model, recorder = mock_chat(body=REPLY)
    model.bind_tools([picker]).invoke(
        [HumanMessage([{"type": "text", "text": "Pick.", "cache_control": EPHEMERAL}])]
    )
    assert recorder.last["tools"] == [
        {
            "type": "function",
            "function": {
                "name": "color_picker",
                "description": "Pick a colour.",
                "parameters": picker["input_schema"],
            },
        }
    ]
    assert recorder.last["messages"][0]["content"] == [
        {"type": "text", "text": "Pick.", "cache_control": EPHEMERAL}
    ]
