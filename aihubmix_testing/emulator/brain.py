"""The emulator's scripted "model": a deterministic reply for a chat request.

It is no language model: it calls the tools the prompt names, fills schemas from the
prompt, answers RAG prompts extractively from their context, does small arithmetic and
follows the ReAct text protocol, which is enough for frameworks' agents and pipelines to
run their real code paths end to end. It also enforces the gateway rules a client can get
wrong (max_tokens on reasoning models, tool_choice without tools, Claude's signed
reasoning_details in tool loops, unknown model ids).
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import Any

from . import text as t
from .schema import Filler, fill

KNOWN_PREFIXES = (
    "gpt-",
    "o1",
    "o3",
    "o4",
    "chatgpt-",
    "claude-",
    "gemini-",
    "deepseek-",
    "grok-",
    "qwen",
    "glm-",
    "kimi-",
    "llama",
    "mistral",
    "moonshot",
    "doubao",
    "ernie",
    "codex",
)
REASONING_PREFIXES = (
    "deepseek-reasoner",
    "deepseek-r1",
    "o1",
    "o3",
    "o4",
    "gpt-5",
    "grok-3-mini",
    "gemini-2.5",
    "qwen3",
    "codex",
)
RESPONSES_ONLY = re.compile(r"^(?:gpt-5(?:\.\d+)?-(?:pro|codex)|o\d+-pro|codex-)")
"""Models OpenAI serves only on the Responses API."""


@dataclass
class ToolCallPlan:
    id: str
    name: str
    arguments: str


@dataclass
class Reply:
    content: str = ""
    reasoning: str = ""
    tool_calls: list[ToolCallPlan] = field(default_factory=list)
    finish_reason: str = "stop"
    reasoning_details: list[dict[str, Any]] | None = None
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cached_tokens: int = 0
    reasoning_tokens: int = 0
    annotations: list[dict[str, Any]] = field(default_factory=list)
    """``url_citation`` annotations, when the answer searched the web."""


@dataclass
class ApiError(Exception):
    status: int
    body: dict[str, Any]


def tid(seed: str) -> str:
    return "2026" + str(int(hashlib.sha256(seed.encode()).hexdigest(), 16))[:24]


def short_hash(*parts: Any, length: int = 24) -> str:
    digest = hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()
    return digest[:length]


def signature(text: str) -> str:
    return base64.b64encode(
        hashlib.sha256(("emulator-thinking:" + text).encode()).digest()
    ).decode()


def gateway_error(
    status: int, message: str, seed: str, *, error_type: str = "Aihubmix_api_error", **extra: Any
) -> ApiError:
    error = {"message": f"{message} (tid: {tid(seed)})", "type": error_type, **extra}
    return ApiError(status, {"error": error})


def json_body(raw: bytes, seed: str) -> dict[str, Any]:
    """A request's JSON object, or the gateway's 400 for a body that is not one."""
    try:
        body = json.loads(raw or b"{}")
    except ValueError:
        raise gateway_error(
            400, "We could not parse the JSON body of your request.", seed
        ) from None
    if not isinstance(body, dict):
        raise gateway_error(400, "the body must be a JSON object", seed)
    return body


def base_model(model: str) -> str:
    return model.lower().rsplit("/", 1)[-1]


def is_known(model: str) -> bool:
    return base_model(model).startswith(KNOWN_PREFIXES) or base_model(model).startswith(
        "text-embedding"
    )


def thinks(body: dict[str, Any]) -> bool:
    model = base_model(body["model"])
    if model.endswith("-nothink") or body.get("reasoning_effort") == "none":
        return False
    reasoning = body.get("reasoning")
    if isinstance(reasoning, dict) and (
        reasoning.get("effort") == "none" or reasoning.get("enabled") is False
    ):
        return False
    if model.startswith("claude-"):
        return model.endswith("-think") or "reasoning_effort" in body or isinstance(reasoning, dict)
    return model.startswith(REASONING_PREFIXES) or model.endswith("-think")


def validate(body: dict[str, Any], seed: str) -> None:
    model = body.get("model")
    if not isinstance(model, str) or not model:
        raise gateway_error(400, "model is required", seed)
    if not is_known(model):
        raise gateway_error(
            400, f"Incorrect model ID {model}; see https://aihubmix.com/models for the list", seed
        )
    if RESPONSES_ONLY.match(base_model(model)):
        raise ApiError(
            400,
            {
                "error": {
                    "message": "This model is only supported in v1/responses and not in v1/chat/completions.",
                    "type": "invalid_request_error",
                    "param": "model",
                    "code": None,
                }
            },
        )
    if "max_tokens" in body and re.match(r"^(o\d|gpt-5)", base_model(model)):
        raise ApiError(
            400,
            {
                "error": {
                    "message": "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
                    "type": "invalid_request_error",
                    "param": "max_tokens",
                    "code": "unsupported_parameter",
                }
            },
        )
    if "tool_choice" in body and not body.get("tools"):
        raise ApiError(
            400,
            {
                "error": {
                    "message": "Invalid value for 'tool_choice': 'tool_choice' is only allowed when 'tools' are specified.",
                    "type": "invalid_request_error",
                    "param": "tool_choice",
                    "code": None,
                }
            },
        )
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages:
        raise gateway_error(400, "messages must be a non-empty list", seed)
    if base_model(model).startswith("claude-") and thinks(body):
        _check_claude_thinking(messages, seed)


def _check_claude_thinking(messages: list[dict[str, Any]], seed: str) -> None:
    for position, message in enumerate(messages):
        if message.get("role") != "assistant" or not message.get("tool_calls"):
            continue
        details = message.get("reasoning_details")
        texts = [
            d for d in details or [] if isinstance(d, dict) and d.get("type") == "reasoning.text"
        ]
        if not texts:
            raise gateway_error(
                400,
                f"messages.{position}.content.0.type: Expected `thinking` or `redacted_thinking`, but found "
                "`tool_use`. When `thinking` is enabled, a final `assistant` message must start with a "
                "thinking block. Send reasoning_details back unchanged",
                seed,
            )
        for detail in texts:
            if detail.get("signature") != signature(str(detail.get("text", ""))):
                raise gateway_error(
                    400, f"messages.{position}: Invalid `signature` in `thinking` block", seed
                )


def _tools(body: dict[str, Any]) -> list[dict[str, Any]]:
    found = []
    for tool in body.get("tools") or []:
        function = tool.get("function") if isinstance(tool, dict) else None
        if isinstance(function, dict) and function.get("name"):
            found.append(function)
    return found


def _mentions(name: str, prompt: str) -> int | None:
    """Where the prompt names the tool (by name or by its meaningful words), else None."""
    lowered = prompt.lower()
    spots = [lowered.find(name.lower()), lowered.find(name.lower().replace("_", " "))]
    spots = [s for s in spots if s >= 0]
    if spots:
        return min(spots)
    core = [w for w in re.split(r"[_\W]+|(?<=[a-z])(?=[A-Z])", name) if w]
    core = [
        w.lower()
        for w in core
        if w.lower()
        not in {
            "get",
            "fetch",
            "lookup",
            "search",
            "find",
            "tool",
            "compute",
            "calculate",
            "the",
            "my",
            "function",
            "api",
        }
    ]
    if not core:
        return None
    positions = []
    for word in core:
        match = re.search(rf"\b{re.escape(word)}", lowered)
        if match is None:
            return None
        positions.append(match.start())
    return min(positions)


def _since_last_user(messages: list[dict[str, Any]]) -> tuple[int, list[dict[str, Any]]]:
    last_user = max((i for i, m in enumerate(messages) if m.get("role") == "user"), default=0)
    return last_user, messages[last_user + 1 :]


def _numbers_left(prompt_numbers: list[float], after: list[dict[str, Any]]) -> list[float]:
    """Numbers for the next call in a tool loop: the latest tool result's first, then the
    prompt's numbers that earlier calls did not use (so "add 3 and 4, then multiply by 6"
    calls multiply(7, 6))."""
    left = list(prompt_numbers)
    for message in after:
        for call in message.get("tool_calls") or []:
            try:
                arguments = json.loads((call.get("function") or {}).get("arguments") or "{}")
            except ValueError:
                continue
            values = arguments.values() if isinstance(arguments, dict) else []
            for value in values:
                if isinstance(value, int | float) and float(value) in left:
                    left.remove(float(value))
    results = [t.numbers(t.message_text(m)) for m in after if m.get("role") == "tool"]
    latest = results[-1][:1] if results and results[-1] else []
    return latest + left


def _plan_tool_calls(body: dict[str, Any], prompt: str, seed: str) -> list[ToolCallPlan]:
    tools = _tools(body)
    choice = body.get("tool_choice")
    if not tools or choice == "none":
        return []
    messages = body["messages"]
    _, after = _since_last_user(messages)
    called = {
        call.get("function", {}).get("name")
        for message in after
        if message.get("role") == "assistant"
        for call in message.get("tool_calls") or []
    }
    forced_name = None
    if isinstance(choice, dict):
        forced_name = (choice.get("function") or {}).get("name") or choice.get("name")
    forced = choice in ("required", "any") or forced_name is not None
    if forced_name:
        chosen = [tool for tool in tools if tool["name"] == forced_name][:1]
    else:
        ranked = sorted(
            (
                (pos, i, tool)
                for i, tool in enumerate(tools)
                if (pos := _mentions(tool["name"], prompt)) is not None
            ),
            key=lambda item: (item[0], item[1]),
        )
        chosen = [tool for _, _, tool in ranked if tool["name"] not in called]
        if not chosen and forced:
            chosen = [tools[0]]
        parallel = (
            body.get("parallel_tool_calls") is True
            or "parallel" in prompt.lower()
            or "at the same time" in prompt.lower()
        )
        if body.get("parallel_tool_calls") is False or not parallel:
            chosen = chosen[:1]
    filler = Filler(prompt)
    filler.numbers = _numbers_left(filler.numbers, after)
    plans = []
    for position, tool in enumerate(chosen):
        parameters = tool.get("parameters") if isinstance(tool.get("parameters"), dict) else {}
        arguments = fill(
            parameters or {"type": "object", "properties": {}}, filler, name=tool["name"]
        )
        if not isinstance(arguments, dict):
            arguments = {}
        plans.append(
            ToolCallPlan(
                id=f"call_{short_hash(seed, position, tool['name'], length=22)}",
                name=tool["name"],
                arguments=json.dumps(arguments, ensure_ascii=False),
            )
        )
    return plans


def _rag_answer(prompt: str) -> str | None:
    """Extractive answer for 'context then question' prompts (LlamaIndex and LangChain templates)."""
    context = None
    question = None
    match = re.search(r"-{5,}\n(.*?)\n-{5,}", prompt, re.S)
    if match:
        context = match.group(1)
        tail = prompt[match.end() :]
        q = re.search(r"(?:Query|Question):\s*(.+?)(?:\n|$)", tail)
        question = q.group(1) if q else tail
    else:
        c = re.search(
            r"Context[^:\n]*:\s*(.+?)(?:\n\s*)(?:Question|Query)\s*:\s*(.+)", prompt, re.S | re.I
        )
        if c:
            context, question = c.group(1), c.group(2)
    if context is None:
        # LlamaIndex's condense-plus-context chat engine: documents in the system prompt,
        # then an instruction, then (after the system text) the user's question.
        d = re.search(
            r"documents for the context:\s*(.+?)\n\s*Instruction:.*?\n\s*\n(.+)", prompt, re.S
        )
        if d:
            context, question = d.group(1), d.group(2)
    if not context or not question:
        return None
    wanted = t.content_words(question)
    lines = [
        s for s in t.sentences(re.sub(r"\s+", " ", context)) if len(s) > 12 and ":" not in s[:20]
    ]
    if not lines:
        return None
    scored = sorted(lines, key=lambda s: (-len(wanted & t.content_words(s)), lines.index(s)))
    best = [s for s in scored[:2] if wanted & t.content_words(s)]
    return " ".join(best or scored[:1])


def _condensed_question(prompt: str) -> str | None:
    match = re.search(
        r"Follow Up (?:Message|Input|Question)[^\n]*\n?(.*?)(?:\n\s*<?Standalone|$)",
        prompt,
        re.S | re.I,
    )
    if match and "standalone" in prompt.lower():
        text = re.sub(r"</?[^>]+>", "", match.group(1)).strip()
        return text.splitlines()[-1].strip() if text else None
    return None


def _react(system: str, messages: list[dict[str, Any]], prompt: str) -> str | None:
    if "Action Input" not in system or "Tool Name" not in system:
        return None
    tools = re.findall(
        r"> Tool Name: (\S+)\nTool Description: .*?\nTool Args: (\{.*?\})\n", system, re.S
    )
    history = " ".join(t.message_text(m) for m in messages if m.get("role") != "system")
    observations = re.findall(r"Observation: (.+)", history)
    for name, args in tools:
        if _mentions(name, prompt) is not None and f"Action: {name}" not in history:
            try:
                schema = json.loads(args)
            except ValueError:
                schema = {"type": "object", "properties": {}}
            arguments = fill(schema, Filler(prompt), name=name)
            return (
                "Thought: The current language of the user is: English. I need to use a tool to help me answer the question.\n"
                f"Action: {name}\nAction Input: {json.dumps(arguments)}"
            )
    answer = " ".join(o.strip() for o in observations) or _plain_answer(prompt)
    return f"Thought: I can answer without using any more tools. I'll use the user's language to answer\nAnswer: {answer}"


_CANNED = (
    (
        ("aihubmix",),
        "AIHubMix is a model gateway: one key and one OpenAI-compatible API reach hundreds of models from OpenAI, Anthropic, Google, DeepSeek and others.",
    ),
    (("capital", "france"), "The capital of France is Paris."),
    (("joke",), "Why did the cat sit on the computer? To keep an eye on the mouse!"),
    (("how are you",), "I'm doing well, thank you for asking! How can I help you today?"),
    (("hello",), "Hello! How can I help you today?"),
    (("hi",), "Hi there! How can I help you today?"),
)


def _plain_answer(prompt: str) -> str:
    math = t.arithmetic(prompt)
    if math:
        return math
    lowered = prompt.lower()
    present = set(t.words(prompt))
    for keys, answer in _CANNED:
        if all((k in present) if " " not in k else (k in lowered) for k in keys):
            return answer
    topic = " ".join(sorted(t.content_words(prompt), key=lambda w: lowered.find(w))[:8])
    return f"Here is a short answer about {topic or 'your request'}: it depends on the details, and I am happy to go deeper."


def _json_answer(body: dict[str, Any], prompt: str) -> str | None:
    response_format = body.get("response_format")
    if not isinstance(response_format, dict):
        return None
    kind = response_format.get("type")
    if kind == "json_schema":
        spec = response_format.get("json_schema") or {}
        schema = spec.get("schema") if isinstance(spec, dict) else None
        return json.dumps(fill(schema or {"type": "object"}, Filler(prompt)), ensure_ascii=False)
    if kind == "json_object":
        keys = [k for k in t.quoted(prompt) if re.fullmatch(r"\w+", k)]
        filler = Filler(prompt)
        if keys:
            return json.dumps({k: filler.string(k, "") for k in keys}, ensure_ascii=False)
        return json.dumps({"answer": _plain_answer(prompt)}, ensure_ascii=False)
    return None


def _after_tools_answer(after: list[dict[str, Any]]) -> str:
    results = [t.message_text(m).strip().rstrip(".") for m in after if m.get("role") == "tool"]
    results = [r for r in results if r]
    if not results:
        return "The tool returned nothing."
    return f"Based on the tool results: {'; '.join(results)}."


def decide(body: dict[str, Any]) -> Reply:
    seed = short_hash(body)
    validate(body, seed)
    messages: list[dict[str, Any]] = body["messages"]
    system = "\n".join(
        t.message_text(m) for m in messages if m.get("role") in ("system", "developer")
    )
    last_user, after = _since_last_user(messages)
    prompt = (
        t.message_text(messages[last_user]) if messages[last_user].get("role") == "user" else ""
    )
    reply = Reply()
    calls = _plan_tool_calls(body, prompt, seed)
    if calls:
        reply.tool_calls = calls
        reply.finish_reason = "tool_calls"
    elif (react := _react(system, messages, prompt)) is not None:
        reply.content = react
    elif (json_text := _json_answer(body, prompt + "\n" + system)) is not None:
        reply.content = json_text
    elif any(m.get("role") == "tool" for m in after):
        reply.content = _after_tools_answer(after)
    else:
        whole = system + "\n" + prompt
        reply.content = _condensed_question(whole) or _rag_answer(whole) or _plain_answer(prompt)
    if thinks(body):
        if calls:
            reply.reasoning = f"The user asks: {prompt[:80]!r}. I should call {', '.join(c.name for c in calls)} to answer."
        else:
            reply.reasoning = f"The user asks: {prompt[:80]!r}. I can answer this directly."
        if base_model(body["model"]).startswith("claude-"):
            reply.reasoning_details = [
                {
                    "type": "reasoning.text",
                    "text": reply.reasoning,
                    "signature": signature(reply.reasoning),
                    "format": "anthropic-claude-v1",
                    "index": 0,
                }
            ]
    _apply_limits(body, reply)
    _count(body, reply)
    return reply


def _apply_limits(body: dict[str, Any], reply: Reply) -> None:
    stop = body.get("stop")
    stops = [stop] if isinstance(stop, str) else [s for s in stop or [] if isinstance(s, str) and s]
    for marker in stops:
        at = reply.content.find(marker)
        if at >= 0:
            reply.content = reply.content[:at]
    limit = body.get("max_completion_tokens") or body.get("max_tokens")
    if isinstance(limit, int) and limit > 0 and not reply.tool_calls:
        budget = limit * 4
        if len(reply.content) > budget:
            reply.content = reply.content[:budget]
            reply.finish_reason = "length"


def _count(body: dict[str, Any], reply: Reply) -> None:
    prompt_text = json.dumps(body.get("messages")) + json.dumps(body.get("tools") or [])
    reply.prompt_tokens = t.approx_tokens(prompt_text)
    if reply.prompt_tokens >= 1024:
        reply.cached_tokens = 1024 + ((reply.prompt_tokens - 1024) // 128) * 128
    reply.reasoning_tokens = t.approx_tokens(reply.reasoning)
    reply.completion_tokens = (
        t.approx_tokens(reply.content)
        + sum(t.approx_tokens(c.arguments) + 4 for c in reply.tool_calls)
        + reply.reasoning_tokens
    )
