"""The token estimate follows its documented rules, with no tokenizer and no download."""

from __future__ import annotations

from aihubmix_core import ImagePart, Message, TextPart, Tool, ToolCall
from aihubmix_core.token_estimate import estimate_message_tokens, estimate_text_tokens


def test_text_is_a_token_per_four_characters_and_per_wide_character() -> None:
    assert estimate_text_tokens("") == 0
    assert estimate_text_tokens("abcd") == 1
    assert estimate_text_tokens("abcde") == 2
    assert estimate_text_tokens("你好世界") == 4
    assert estimate_text_tokens("こんにちは abcd") == 5 + 2  # five kana, then " abcd"


def test_messages_add_their_overheads() -> None:
    user = Message(role="user", content="abcd")  # 3 + 1
    named = Message(role="user", content="abcd", name="ann")  # 3 + 1 + 1 + 1
    assert estimate_message_tokens([user]) == 3 + 4
    assert estimate_message_tokens([user, named]) == 3 + 4 + 6


def test_images_calls_and_tools() -> None:
    image = Message(
        role="user",
        content=[TextPart("abcd"), ImagePart(url="https://x/cat.png", detail="low")],
    )
    assert estimate_message_tokens([image]) == 3 + 3 + 1 + 85
    high = Message(role="user", content=[ImagePart(url="https://x/cat.png")])
    assert estimate_message_tokens([high]) == 3 + 3 + 765
    call = Message(role="assistant", content="", tool_calls=[ToolCall("c1", "f", '{"a": 1}')])
    assert estimate_message_tokens([call]) == 3 + 3 + 1 + 2
    tool = Tool(name="get_weather", description="Weather.", parameters={"type": "object"})
    assert estimate_message_tokens([], [tool]) > 3 + 10


def test_a_real_tokenizer_can_replace_the_text_rule() -> None:
    words = Message(role="user", content="one two three")
    assert estimate_message_tokens([words], count_text=lambda text: len(text.split())) == 3 + 3 + 3
