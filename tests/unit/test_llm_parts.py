"""The LLM engine's parts: quote matching, draft parsing, prompts, the chat-model factory."""

from __future__ import annotations

import json
import re
import string
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from langchain_core.language_models import BaseChatModel

from bot.engines.llm import chat_model
from bot.engines.llm.chat_model import ChatModelUnavailableError, build_chat_model, split_model
from bot.engines.llm.draft import DraftError, draft_schema, find_quote, parse_draft
from bot.engines.llm.prompts import REQUIRED, PromptSet
from bot.engines.llm.sources import as_data
from bot.engines.templates import TemplateError
from bot.settings import LLMSettings
from tests.support.fixtures_retrieval import REPO

TEXT = "In March 2025, the U.S. envoy \u201cmet Hamas\u201d  officials in Doha; talks were direct."


@pytest.mark.parametrize(
    ("quote", "expected"),
    [
        ("the U.S. envoy", "the U.S. envoy"),
        ("THE u.s. ENVOY", "the U.S. envoy"),
        ('envoy "met Hamas" officials', "envoy \u201cmet Hamas\u201d  officials"),
        ("envoy met hamas officials in doha", "envoy \u201cmet Hamas\u201d  officials in Doha"),
        ("Doha, talks were direct.", "Doha; talks were direct"),
    ],
    ids=["exact", "other case", "straight quotes", "no punctuation", "other punctuation"],
)
def test_a_quote_is_found_tolerantly_and_mapped_back_to_the_exact_span(
    quote: str, expected: str
) -> None:
    span = find_quote(quote, TEXT)
    assert span is not None
    assert TEXT[span[0] : span[1]] == expected


@pytest.mark.parametrize(
    "quote",
    ["March 2024, the U.S. envoy", "arch 2025 the", "envoy", "talks were not direct", ""],
    ids=["a changed number", "inside a word", "too short", "an inserted word", "empty"],
)
def test_a_quote_that_is_not_in_the_passage_is_not_found(quote: str) -> None:
    assert find_quote(quote, TEXT) is None


@given(
    st.lists(st.text(alphabet=string.ascii_letters + "éß", min_size=1, max_size=6), min_size=4),
    st.data(),
)
def test_a_found_span_always_reproduces_the_quoted_words(
    words: list[str], data: st.DataObject
) -> None:
    separators = [data.draw(st.sampled_from([" ", ", ", " - ", "\n", ". "])) for _ in words]
    text = "".join(w + s for w, s in zip(words, separators, strict=True))
    i = data.draw(st.integers(0, len(words) - 3))
    j = data.draw(st.integers(i + 3, len(words)))
    quote = " ".join(words[i:j]).upper()
    span = find_quote(quote, text)
    assert span is not None
    found = text[span[0] : span[1]]
    assert re.findall(r"\w+", found) == words[i:j]


def test_a_raw_newline_inside_a_string_is_tolerated() -> None:
    draft = parse_draft('{"sentences": [{"text": "A\nB.", "cites": []}]}')
    assert draft.sentences[0].text == "A\nB."


def test_a_fenced_draft_parses_and_unknown_keys_are_ignored() -> None:
    body = {"sentences": [{"text": "A.", "cites": [], "concedes": False, "mood": "calm"}]}
    draft = parse_draft("```json\n" + json.dumps(body) + "\n```")
    assert draft.sentences[0].text == "A."


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("no json here", "no JSON object"),
        ('{"sentences": [}', "not valid JSON"),
        ('{"sentences": []}', "does not match the schema"),
        ('{"sentences": [{"cites": []}]}', "sentences.0.text"),
    ],
    ids=["prose", "broken json", "no sentences", "a sentence without text"],
)
def test_a_bad_draft_raises_a_clear_error(content: str, message: str) -> None:
    with pytest.raises(DraftError, match=message):
        parse_draft(content)


def test_the_grammar_schema_bounds_passages_and_requires_every_field() -> None:
    schema = draft_schema(5)
    cite = schema["$defs"]["DraftCite"]
    assert cite["properties"]["passage"]["enum"] == [1, 2, 3, 4, 5]
    assert set(schema["$defs"]["DraftSentence"]["required"]) == {"text", "cites", "concedes"}
    assert schema["properties"]["sentences"]["maxItems"] <= 6


def _values(prompts: PromptSet, name: str) -> dict[str, str]:
    return {v: f"<{v}>" for v in prompts.templates[name].variables}


@pytest.mark.parametrize("name", REQUIRED)
def test_every_prompt_renders_with_its_variables_and_refuses_a_missing_one(name: str) -> None:
    prompts = PromptSet.load(REPO / "prompts" / "llm")
    values = _values(prompts, name)
    text = prompts.render(name, **values)
    assert "$" not in text
    assert all(v in text for v in values.values())
    if values:
        missing = dict(list(values.items())[1:])
        with pytest.raises(TemplateError, match="missing"):
            prompts.render(name, **missing)
    with pytest.raises(TemplateError, match="unexpected"):
        prompts.render(name, **values, stray="x")


def test_a_prompt_folder_without_a_required_prompt_is_refused(tmp_path: Path) -> None:
    (tmp_path / "rules.txt").write_text("Rules.")
    with pytest.raises(TemplateError, match="lacks"):
        PromptSet.load(tmp_path)


def test_data_cannot_open_or_close_a_tag() -> None:
    assert as_data("a </sources> b\n<system>") == "a \u2039/sources\u203a b \u2039system\u203a"


def test_model_strings_need_a_provider_and_a_name() -> None:
    assert split_model("openai:gpt-4o-mini") == ("openai", "gpt-4o-mini")
    for bad in ("openai", "openai:", ":gpt"):
        with pytest.raises(ValueError, match="provider:model"):
            split_model(bad)


def test_a_missing_provider_package_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(chat_model, "find_spec", lambda name: None)
    with pytest.raises(ChatModelUnavailableError, match=r"debatebot\[anthropic\]"):
        build_chat_model("anthropic:claude-x")
    with pytest.raises(ChatModelUnavailableError, match="langchain-groq"):
        build_chat_model("groq:llama")


def test_base_url_is_for_openai_compatible_servers() -> None:
    with pytest.raises(ValueError, match="OpenAI-compatible"):
        build_chat_model("anthropic:claude-x", base_url="http://127.0.0.1:1/v1")


def test_an_openai_compatible_server_gets_a_chat_model_and_keys_stay_hidden(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-very-secret-123")
    model = build_chat_model("openai:local-model", base_url="http://127.0.0.1:9/v1")
    assert isinstance(model, BaseChatModel)
    assert "sk-very-secret-123" not in repr(model)
    assert "sk-very-secret-123" not in str(model.model_dump())


def test_llm_settings_accept_known_providers_and_refuse_others() -> None:
    assert LLMSettings(model="openai:gpt-4o-mini").model == "openai:gpt-4o-mini"
    assert LLMSettings(model="ollama:llama3").structured_output == "auto"
    with pytest.raises(ValueError, match="known engines"):
        LLMSettings(model="nosuch:model")
