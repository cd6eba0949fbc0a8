"""The API key is a secret everywhere: one recognisable key, looked for in everything a
user or a tool might print, log, serialise, trace or record."""

from __future__ import annotations

import asyncio
import json
import logging
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import testkit
from reliability.drivers import EMBEDDING_MODEL, MODEL, PROMPT
from reliability.secret_scan import key_shaped

from aihubmix_core import AIHubMixClient, AIHubMixError, ChatRequest, ClientConfig, Message
from aihubmix_testing import cassettes, faults
from aihubmix_testing.faults import FaultGateway

SECRET = "sk-LEAKCHECK-7c1d9e2f4a6b8053"
FRAGMENTS = (SECRET, SECRET.removeprefix("sk-"), "7c1d9e2f4a6b8053")


def assert_clean(text: str, where: str) -> None:
    for fragment in FRAGMENTS:
        assert fragment not in text, (
            f"the API key leaked into {where}: ...{text[max(0, text.find(fragment) - 80) : text.find(fragment) + 40]}..."
        )


def dump(value: Any) -> str:
    return json.dumps(value, default=repr)


# ---------------------------------------------------------------- objects


def _chat_langchain(**key: Any) -> Any:
    from langchain_aihubmix import ChatAIHubMix

    return ChatAIHubMix(model=MODEL, **key)


def _embeddings_langchain(**key: Any) -> Any:
    from langchain_aihubmix import AIHubMixEmbeddings

    return AIHubMixEmbeddings(model=EMBEDDING_MODEL, **key)


def _llm_llama_index(**key: Any) -> Any:
    from llama_index_aihubmix import AIHubMix

    return AIHubMix(model=MODEL, **key)


def _embedding_llama_index(**key: Any) -> Any:
    from llama_index_aihubmix import AIHubMixEmbedding

    return AIHubMixEmbedding(EMBEDDING_MODEL, **key)


def _core_client(**key: Any) -> Any:
    return AIHubMixClient(**key)


def _core_config(**key: Any) -> Any:
    return ClientConfig.resolve(**key)


def renderings(obj: Any) -> Iterator[tuple[str, Callable[[], Any]]]:
    """Every way the frameworks and users turn one of our objects into text."""
    yield "repr", lambda: repr(obj)
    yield "str", lambda: str(obj)
    yield "vars", lambda: dump({k: repr(v) for k, v in vars(obj).items()})
    for method in ("model_dump", "to_dict", "to_payload"):
        if callable(getattr(obj, method, None)):
            yield method, lambda m=method: dump(getattr(obj, m)())
    for method in ("model_dump_json", "to_json"):
        if callable(getattr(obj, method, None)):
            yield method, lambda m=method: dump(getattr(obj, m)())
    if type(obj).__module__.startswith("langchain_aihubmix"):
        from langchain_core.load import dumpd, dumps

        yield "dumpd", lambda: dump(dumpd(obj))
        yield "dumps", lambda: dumps(obj)
        for name in ("_identifying_params", "_default_params"):
            if hasattr(obj, name):
                yield name, lambda n=name: dump(getattr(obj, n))
        if hasattr(obj, "_get_ls_params"):
            yield "ls_params", lambda: dump(obj._get_ls_params())
    if hasattr(obj, "metadata") and type(obj).__module__.startswith("llama_index_aihubmix"):
        yield "metadata", lambda: dump(obj.metadata.model_dump())


FACTORIES = [
    _core_client,
    _core_config,
    _chat_langchain,
    _embeddings_langchain,
    _llm_llama_index,
    _embedding_llama_index,
]


@pytest.mark.parametrize("via", ["argument", "environment"])
@pytest.mark.parametrize("factory", FACTORIES, ids=lambda f: f.__name__.strip("_"))
def test_no_rendering_of_a_client_shows_the_key(
    factory: Callable[..., Any], via: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if via == "environment":
        monkeypatch.setenv("AIHUBMIX_API_KEY", SECRET)
        obj = factory()
    else:
        obj = factory(api_key=SECRET)
    seen = 0
    for name, render in renderings(obj):
        assert_clean(render(), f"{type(obj).__name__} {name}")
        seen += 1
    assert seen >= 3


def test_the_key_still_reaches_the_gateway(gateway: FaultGateway) -> None:
    """The hiding above is not the key being lost: it is sent, once, where it belongs."""
    with AIHubMixClient(api_key=SECRET, base_url=gateway.base_url) as client:
        client.chat(ChatRequest(model=MODEL, messages=[Message(role="user", content=PROMPT)]))
    assert gateway.attempts[0].authorization == f"Bearer {SECRET}"


# ---------------------------------------------------------------- logs, errors, traces


def _error_texts(error: BaseException) -> Iterator[tuple[str, str]]:
    yield "str", str(error)
    yield "repr", repr(error)
    yield "traceback", "".join(traceback.format_exception(type(error), error, error.__traceback__))
    yield "args", dump(error.args)
    for attribute in ("body", "upstream_message", "partial"):
        if getattr(error, attribute, None) is not None:
            yield attribute, dump(getattr(error, attribute))
    response = getattr(error, "response", None)
    if response is not None:  # LangChain copies it into the run's response metadata
        yield "response body", response.text


def _log_texts(caplog: pytest.LogCaptureFixture) -> Iterator[str]:
    formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
    for record in caplog.records:
        yield formatter.format(record) + dump(record.args)


def _scenarios(gateway: FaultGateway) -> list[faults.Fault]:
    """A success, a retried 429 and a 401 quoting the key back: the paths that log and raise."""
    return [faults.Normal(), faults.rate_limited(), faults.Normal(), faults.EchoKey()]


def test_langchain_logs_errors_and_traces_hold_no_key(
    gateway: FaultGateway, caplog: pytest.LogCaptureFixture
) -> None:
    from langchain_core.callbacks import BaseCallbackHandler
    from langchain_core.tracers.context import collect_runs

    from langchain_aihubmix import ChatAIHubMix

    class Everything(BaseCallbackHandler):
        """Keeps every argument of every callback, as an instrumentation backend would."""

        def __init__(self) -> None:
            self.payloads: list[str] = []

        def __getattribute__(self, name: str) -> Any:
            if name.startswith("on_"):
                return lambda *args, **kwargs: self.payloads.append(dump([name, args, kwargs]))
            return super().__getattribute__(name)

    caplog.set_level(logging.DEBUG)
    handler = Everything()
    model = ChatAIHubMix(
        model=MODEL, api_key=SECRET, base_url=gateway.base_url, callbacks=[handler]
    )
    errors: list[BaseException] = []
    with collect_runs() as runs:
        for call in (
            lambda: model.invoke(PROMPT),
            lambda: list(model.stream(PROMPT)),
            lambda: asyncio.run(model.ainvoke(PROMPT)),
        ):
            gateway.reset()
            gateway.script(*_scenarios(gateway))
            call()  # healthy
            call()  # 429 then healthy
            with pytest.raises(AIHubMixError) as caught:
                call()  # 401 that quotes the key
            errors.append(caught.value)

    assert gateway.attempts[-1].authorization == f"Bearer {SECRET}"
    assert len(handler.payloads) > 10 and len(runs.traced_runs) == 9
    for payload in handler.payloads:
        assert_clean(payload, "a LangChain callback payload")
    for run in runs.traced_runs:
        assert_clean(run.model_dump_json(), "a LangSmith run")
    for error in errors:
        for name, text in _error_texts(error):
            assert_clean(text, f"the 401 error's {name}")
    assert any(r.name.startswith("httpx") for r in caplog.records), "httpx logging was not on"
    for text in _log_texts(caplog):
        assert_clean(text, "a log record")


def test_llama_index_logs_errors_and_instrumentation_hold_no_key(
    gateway: FaultGateway, caplog: pytest.LogCaptureFixture
) -> None:
    from llama_index.core.base.llms.types import ChatMessage
    from llama_index.core.callbacks import CallbackManager
    from llama_index.core.callbacks.base_handler import BaseCallbackHandler
    from llama_index.core.instrumentation import get_dispatcher
    from llama_index.core.instrumentation.event_handlers import BaseEventHandler
    from llama_index.core.instrumentation.span_handlers import SimpleSpanHandler

    from llama_index_aihubmix import AIHubMix, AIHubMixEmbedding

    payloads: list[str] = []

    class Events(BaseEventHandler):
        def handle(self, event: Any, **kwargs: Any) -> None:
            payloads.append(event.model_dump_json() + dump(kwargs))

    class Spans(SimpleSpanHandler):
        def new_span(self, id_: str, bound_args: Any, instance: Any = None, **kwargs: Any) -> Any:
            payloads.append(dump([repr(bound_args), repr(instance), kwargs]))
            return super().new_span(id_, bound_args, instance, **kwargs)

        def prepare_to_exit_span(
            self, id_: str, bound_args: Any, instance: Any = None, result: Any = None, **kwargs: Any
        ) -> Any:
            payloads.append(repr(result))
            return super().prepare_to_exit_span(id_, bound_args, instance, result, **kwargs)

    class Legacy(BaseCallbackHandler):
        def __init__(self) -> None:
            super().__init__([], [])

        def on_event_start(
            self,
            event_type: Any,
            payload: Any = None,
            event_id: str = "",
            parent_id: str = "",
            **kwargs: Any,
        ) -> str:
            payloads.append(dump([event_type, payload, kwargs]))
            return event_id

        def on_event_end(
            self, event_type: Any, payload: Any = None, event_id: str = "", **kwargs: Any
        ) -> None:
            payloads.append(dump([event_type, payload, kwargs]))

        def start_trace(self, trace_id: str | None = None) -> None:
            return None

        def end_trace(self, trace_id: str | None = None, trace_map: Any = None) -> None:
            return None

    root = get_dispatcher()
    events, spans = Events(), Spans()
    root.add_event_handler(events)
    root.add_span_handler(spans)
    caplog.set_level(logging.DEBUG)
    try:
        llm = AIHubMix(
            model=MODEL,
            api_key=SECRET,
            api_base=gateway.base_url,
            callback_manager=CallbackManager([Legacy()]),
        )
        messages = [ChatMessage(role="user", content=PROMPT)]
        errors: list[BaseException] = []
        for call in (
            lambda: llm.chat(messages),
            lambda: list(llm.stream_chat(messages)),
            lambda: asyncio.run(llm.achat(messages)),
        ):
            gateway.reset()
            gateway.script(*_scenarios(gateway))
            call()
            call()
            with pytest.raises(AIHubMixError) as caught:
                call()
            errors.append(caught.value)
        embedder = AIHubMixEmbedding(EMBEDDING_MODEL, api_key=SECRET, api_base=gateway.base_url)
        gateway.reset()
        embedder.get_text_embedding_batch(["a text"])
    finally:
        root.event_handlers.remove(events)
        root.span_handlers.remove(spans)

    assert len(payloads) > 20
    for payload in payloads:
        assert_clean(payload, "a LlamaIndex instrumentation payload")
    for error in errors:
        for name, text in _error_texts(error):
            assert_clean(text, f"the 401 error's {name}")
    assert any(r.name.startswith("httpx") for r in caplog.records), "httpx logging was not on"
    for text in _log_texts(caplog):
        assert_clean(text, "a log record")


def test_core_errors_mid_stream_and_on_connect_hold_no_key(gateway: FaultGateway) -> None:
    request = ChatRequest(model=MODEL, messages=[Message(role="user", content=PROMPT)])
    with AIHubMixClient(api_key=SECRET, base_url=gateway.base_url, max_retries=0) as client:
        for fault in (faults.EchoKey(), faults.ResetMidStream(), faults.MalformedEvent()):
            gateway.script(fault)
            with pytest.raises(AIHubMixError) as caught:
                list(client.stream_chat(request))
            for name, text in _error_texts(caught.value):
                assert_clean(text, f"{fault.name} {name}")
    with AIHubMixClient(api_key=SECRET, base_url=faults.refused_url(), max_retries=0) as client:
        with pytest.raises(AIHubMixError) as caught:
            client.chat(request)
        for name, text in _error_texts(caught.value):
            assert_clean(text, f"connection error {name}")


# ---------------------------------------------------------------- cassettes


def test_a_cassette_recorded_with_a_real_key_does_not_hold_it(
    gateway: FaultGateway, tmp_path: Path
) -> None:
    """Records through the project's own cassette settings, as ``make record`` does."""
    import vcr

    config = {**cassettes.vcr_config(), "record_mode": "all"}
    recorder = vcr.VCR(**config)
    recorder.register_matcher("json_body", cassettes.json_body_matcher)
    recorder.register_persister(cassettes.TaggedPersister)
    path = tmp_path / "recorded.yaml"
    from langchain_aihubmix import AIHubMixEmbeddings, ChatAIHubMix

    with recorder.use_cassette(str(path)):
        model = ChatAIHubMix(model=MODEL, api_key=SECRET, base_url=gateway.base_url)
        model.invoke(PROMPT)
        list(model.stream(PROMPT))
        AIHubMixEmbeddings(api_key=SECRET, base_url=gateway.base_url).embed_query("hello")
    text = path.read_text()
    assert "Hello!" in text and "/v1/embeddings" in text  # the calls were recorded
    assert gateway.count() == 3
    assert_clean(text, "a recorded cassette")
    assert key_shaped(text) == []


def test_the_key_scanner_finds_what_it_looks_for() -> None:
    leaky = "\n".join(
        [
            "    headers:",
            "      Authorization:",
            f"      - Bearer {SECRET}",
            "    uri: https://aihubmix.com/v1/models?key=abcdefgh12345678",
            f'    body: "{{\\"api\\": \\"{SECRET}\\"}}"',
        ]
    )
    labels = {finding.split(":")[0] for finding in key_shaped(leaky)}
    assert labels == {"bearer token", "sk- key", "auth header", "key in a URL"}
    assert key_shaped("content: 'Tokens are counted; sk-learn is a library.'") == []


def test_no_committed_cassette_holds_anything_shaped_like_a_key() -> None:
    files = sorted(p for p in testkit.CASSETTES.rglob("*") if p.is_file())
    leaks = {
        str(p.relative_to(testkit.CASSETTES)): found
        for p in files
        if (found := key_shaped(p.read_text(encoding="utf-8", errors="replace")))
    }
    assert leaks == {}


@pytest.mark.parametrize("framework", ["langchain", "llama_index"])
def test_a_key_that_is_not_ascii_is_refused_by_both_adapters(framework: str) -> None:
    """A key pasted with curly quotes is refused when the model is built, with the core's
    message, instead of failing in httpx's header encoding with the key in the error."""
    pasted = f"\u201c{SECRET}\u201d"
    with pytest.raises(ValueError) as info:  # ConfigurationError, or pydantic wrapping it
        if framework == "langchain":
            from langchain_aihubmix import ChatAIHubMix

            ChatAIHubMix(model=MODEL, api_key=pasted)
        else:
            from llama_index_aihubmix import AIHubMix

            AIHubMix(model=MODEL, api_key=pasted)
    text = f"{info.value!s} {info.value!r} {traceback.format_exception(info.value)}"
    assert "not plain ASCII" in text and "AIHUBMIX_API_KEY" in text
    assert_clean(text, f"the {framework} error for a non-ASCII key")
