"""The LangChain half of the demo: model swap, streaming, a two-tool agent, structured output."""

from __future__ import annotations

from langchain_core.callbacks import get_usage_metadata_callback
from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate
from langchain_core.tools import tool
from pydantic import BaseModel, Field

from langchain_aihubmix import ChatAIHubMix

from .session import Step, show

SWAP_MODELS = ("gpt-4o-mini", "claude-sonnet-4-5", "gemini-2.5-flash", "deepseek-chat")


def _tokens(usage: dict[str, dict[str, int]]) -> str:
    spent_in = sum(u.get("input_tokens", 0) for u in usage.values())
    spent_out = sum(u.get("output_tokens", 0) for u in usage.values())
    return f"{spent_in} in / {spent_out} out"


def model_swap() -> None:
    with Step(
        "Drop-in model swap", "One LCEL chain (prompt | model | parser); only the model id changes."
    ):
        prompt = ChatPromptTemplate.from_messages(
            [("system", "Answer in one sentence."), ("user", "{question}")]
        )
        for model_id in SWAP_MODELS:
            chain = prompt | ChatAIHubMix(model=model_id, temperature=0) | StrOutputParser()
            with get_usage_metadata_callback() as usage:
                answer = chain.invoke({"question": "What is AIHubMix?"})
            show(f"{model_id:<18} ", f"{answer}  [tokens {_tokens(usage.usage_metadata)}]")


def streaming() -> None:
    with Step("Streaming", "ChatAIHubMix.stream(): tokens are printed as they arrive."):
        model = ChatAIHubMix(model="gpt-4o-mini")
        print("      ", end="")
        usage = None
        for chunk in model.stream("Tell me a joke about cats."):
            print(chunk.content, end="", flush=True)
            usage = chunk.usage_metadata or usage
        print()
        if usage:
            show("tokens: ", f"{usage['input_tokens']} in / {usage['output_tokens']} out")


@tool
def get_weather(city: str) -> str:
    """Current weather for a city."""
    return f"It is 18 degrees and sunny in {city}."


@tool
def get_population(city: str) -> str:
    """Number of inhabitants of a city."""
    return f"{city} has about 2.1 million inhabitants."


def agent() -> None:
    from langchain.agents import create_agent

    with Step(
        "Tool-calling agent", "langchain.agents.create_agent with two tools; each step is shown."
    ):
        graph = create_agent(
            ChatAIHubMix(model="gpt-4o-mini", temperature=0),
            tools=[get_weather, get_population],
            system_prompt="Use the tools to answer.",
        )
        with get_usage_metadata_callback() as usage:
            result = graph.invoke(
                {
                    "messages": [
                        {
                            "role": "user",
                            "content": "What is the weather in Paris, and what is the population of Paris?",
                        }
                    ]
                }
            )
        for message in result["messages"][1:]:
            for call in getattr(message, "tool_calls", None) or []:
                show("calls:  ", f"{call['name']}({call['args']})")
            if message.type == "tool":
                show("result: ", message.content)
        show("answer: ", result["messages"][-1].content)
        show("tokens: ", _tokens(usage.usage_metadata))


class CityFacts(BaseModel):
    """Facts about a city."""

    city: str = Field(description="The city's name")
    country: str = Field(description="The country it is in")
    landmark: str = Field(description="Its best-known landmark")


def structured_output() -> None:
    with Step(
        "Structured output", "with_structured_output(CityFacts): a validated Pydantic object back."
    ):
        model = ChatAIHubMix(model="gpt-4o-mini", temperature=0)
        facts = model.with_structured_output(CityFacts).invoke(
            "Give me facts about Paris in France."
        )
        show("result: ", repr(facts))


def run() -> None:
    model_swap()
    streaming()
    agent()
    structured_output()
