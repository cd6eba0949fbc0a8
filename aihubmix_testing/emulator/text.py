"""Small text helpers for the emulator's scripted model: words, numbers, names, sentences."""

from __future__ import annotations

import re
from typing import Any

STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "can",
        "do",
        "does",
        "for",
        "from",
        "has",
        "have",
        "how",
        "i",
        "in",
        "is",
        "it",
        "its",
        "me",
        "my",
        "of",
        "on",
        "or",
        "please",
        "tell",
        "that",
        "the",
        "this",
        "to",
        "use",
        "was",
        "what",
        "when",
        "where",
        "which",
        "who",
        "why",
        "will",
        "with",
        "you",
        "your",
        "give",
        "about",
        "into",
        "than",
        "then",
        "there",
        "these",
        "those",
        "our",
        "we",
        "they",
        "them",
        "he",
        "she",
        "his",
        "her",
    ]
)
QUESTION_WORDS = frozenset(
    [
        "what",
        "who",
        "how",
        "when",
        "where",
        "why",
        "which",
        "tell",
        "give",
        "use",
        "please",
        "is",
        "are",
        "can",
        "could",
        "would",
        "should",
        "do",
        "does",
        "find",
        "get",
        "look",
        "show",
        "call",
    ]
)
_WORD = re.compile(r"[A-Za-z0-9_]+")
_NUMBER = re.compile(r"(?<![\w.])-?\d+(?:\.\d+)?(?!\w|\.\d)")
_QUOTED = re.compile(r"'([^']{1,80})'|\"([^\"]{1,80})\"")
_PROPER = re.compile(r"\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+)*(?:,\s*[A-Z]{2}\b)?")
_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_ARITHMETIC = re.compile(r"(-?\d+(?:\.\d+)?)\s*([+\-*/x\u00d7])\s*(-?\d+(?:\.\d+)?)")


def words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def content_words(text: str) -> set[str]:
    return {w for w in words(text) if w not in STOPWORDS and len(w) > 1}


def numbers(text: str) -> list[float]:
    return [float(n) for n in _NUMBER.findall(text)]


def quoted(text: str) -> list[str]:
    return [a or b for a, b in _QUOTED.findall(text)]


def proper_names(text: str) -> list[str]:
    found = []
    for match in _PROPER.finditer(text):
        name = match.group(0)
        first = name.split()[0].rstrip(",").lower()
        if first in QUESTION_WORDS:
            rest = name.split(None, 1)
            if len(rest) < 2:
                continue
            name = rest[1]
        found.append(name)
    return found


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.split(text) if s.strip()]


def arithmetic(text: str) -> str | None:
    match = _ARITHMETIC.search(text)
    if not match:
        return None
    left, op, right = float(match.group(1)), match.group(2), float(match.group(3))
    if op == "+":
        value = left + right
    elif op == "-":
        value = left - right
    elif op in "*x\u00d7":
        value = left * right
    else:
        if right == 0:
            return None
        value = left / right
    shown = int(value) if value == int(value) else round(value, 4)
    return f"{match.group(0)} = {shown}."


def message_text(message: dict[str, Any]) -> str:
    content = message.get("content")
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return " ".join(
            part.get("text", "")
            for part in content
            if isinstance(part, dict) and part.get("type") == "text"
        )
    return ""


def approx_tokens(text: str) -> int:
    return max(1, (len(text) + 3) // 4) if text else 0
