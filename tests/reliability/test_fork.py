"""A client used before ``os.fork()`` must not share its pooled connections with the child:
were both to read from the same kept-alive socket, replies would cross between processes.

Parent and four children call an echo server at once, after the parent has used (and
pooled a connection of) the very client the children inherit; every reply must answer
its own prompt."""

from __future__ import annotations

import json
import os
import threading
import warnings
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from aihubmix_core import AIHubMixClient, ChatRequest, Message

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork (POSIX)")

CHILDREN = 4
CALLS = 25


class _Echo(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, so connections are pooled and reused

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["content-length"])))
        prompt = body["messages"][-1]["content"]
        reply = json.dumps(
            {
                "id": "chatcmpl-echo",
                "model": body["model"],
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": f"echo: {prompt}"},
                        "finish_reason": "stop",
                    }
                ],
            }
        ).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def echo_url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Echo)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    server.shutdown()
    server.server_close()


def _core(url: str) -> Callable[[str], str]:
    client = AIHubMixClient(api_key="sk-fork-0123456789", base_url=url, max_retries=0)
    model = "gpt-4o-mini"
    return lambda prompt: (
        client.chat(ChatRequest(model=model, messages=[Message(role="user", content=prompt)])).text
    )


def _langchain(url: str) -> Callable[[str], str]:
    from langchain_aihubmix import ChatAIHubMix

    llm = ChatAIHubMix(model="gpt-4o-mini", api_key="sk-fork-0123456789", base_url=url)
    return lambda prompt: llm.invoke(prompt).text


def _llama_index(url: str) -> Callable[[str], str]:
    from llama_index.core.base.llms.types import ChatMessage

    from llama_index_aihubmix import AIHubMix

    llm = AIHubMix(model="gpt-4o-mini", api_key="sk-fork-0123456789", api_base=url)
    return lambda prompt: llm.chat([ChatMessage(role="user", content=prompt)]).message.content


def _wrong_replies(ask: Callable[[str], str], who: str) -> int:
    wrong = 0
    for call in range(CALLS):
        prompt = f"{who} call {call}"
        try:
            answer = ask(prompt)
        except Exception:
            answer = None
        wrong += answer != f"echo: {prompt}"
    return wrong


@pytest.mark.parametrize("make", [_core, _langchain, _llama_index], ids=["core", "lc", "li"])
def test_every_reply_after_fork_answers_its_own_prompt(
    make: Callable[[str], Callable[[str], str]], echo_url: str
) -> None:
    ask = make(echo_url)
    assert ask("before fork") == "echo: before fork"  # the pool now holds a live connection
    children = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # fork with the server thread running
        for child in range(CHILDREN):
            read_end, write_end = os.pipe()
            pid = os.fork()
            if pid == 0:  # pragma: no cover - runs in the child
                os.close(read_end)
                wrong = _wrong_replies(ask, f"child {child}")
                os.write(write_end, str(wrong).encode())
                os._exit(0)
            os.close(write_end)
            children.append((pid, read_end))
    parent_wrong = _wrong_replies(ask, "parent")
    child_wrong = []
    for pid, read_end in children:
        with os.fdopen(read_end) as pipe:
            child_wrong.append(int(pipe.read() or -1))
        os.waitpid(pid, 0)
    assert (parent_wrong, child_wrong) == (0, [0] * CHILDREN)
