"""The LLM engine streamed: each sentence checked as its JSON closes, sent once it is final.

The model is a scripted fake chat model that streams its answer in small pieces (JSON objects
split mid-string); the argument map, the grounding verifier and the services are real.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult

from bot.domain.motions import MotionRegistry
from bot.domain.replies import Reply
from bot.domain.sessions import SQLiteSessionRepository
from bot.engines.base import TurnResult
from bot.engines.llm.engine import LLMEngine, Progress
from bot.engines.llm.scan import SentenceScanner
from bot.services.chat_completions import ChatCompletionService, CompletionDone, Message
from bot.services.debates import DebateService
from bot.services.events import DoneEvent, SentenceEvent
from bot.services.questions import QuestionService
from tests.support.fake_chat import BreaksOff, ScriptedChatModel, Step, draft
from tests.support.fixtures_motion import MiniWorld, mini
from tests.support.sse import check_stream, parse_sse
from tests.unit.test_llm_engine import BUDGET, COST, MESSAGE, MODEL, build, cite, context
from tests.unit.test_streaming import app_with, start

__all__ = ["mini"]
HERONS = "Biologists warned that bridge construction would disturb nesting herons in the wetlands."
BUDGET_SHORT = "The city's annual capital budget is 120 million dollars."
OVERRUNS = "Cost overruns on the last three city projects exceeded forty percent of their budgets."
LEAD = "The cost alone settles this."


def claims(*texts: str) -> Step:
    """A draft of verbatim claims, each citing the shown passage that contains it (a text
    starting with "!" cites a passage that does not exist; "~" is a lead-in, no citation)."""

    def step(prompt: str) -> str:
        sentences: list[dict[str, object]] = []
        for text in texts:
            if text.startswith("!"):
                sentences.append({"text": text[1:], "cites": [{"passage": 99, "quote": text}]})
            elif text.startswith("~"):
                sentences.append({"text": text[1:], "cites": []})
            else:
                sentences.append(cite(prompt, text, text.split(" is ")[0].split(" would ")[0]))
        return draft(*sentences)

    return step


def run(progress: Progress[TurnResult]) -> tuple[list[Reply], TurnResult]:
    """Every reply the engine yielded, and its result."""
    seen: list[Reply] = []
    while True:
        try:
            seen.append(next(progress))
        except StopIteration as stop:
            return seen, stop.value


def texts(reply: Reply) -> list[str]:
    return [s.text for s in reply.sentences]


# -- reading JSON as it streams in ----------------------------------------------------------
def test_each_sentence_object_comes_out_the_moment_it_closes() -> None:
    tricky = {"text": 'A "quoted" } brace, a [bracket] and a \\ slash.', "cites": []}
    plain = {"text": "Plain.", "cites": [{"passage": 1, "quote": "x {y} z"}]}
    text = "```json\n" + json.dumps({"sentences": [tricky, plain]}) + "\n```"
    scanner = SentenceScanner()
    out: list[tuple[int, object]] = []
    for at, ch in enumerate(text):
        out += [(at, item) for item in scanner.feed(ch)]
    assert [item for _, item in out] == [tricky, plain]
    first_close = text.index('"cites": []}') + len('"cites": []}') - 1
    assert out[0][0] == first_close, "handed out on its closing brace, not later"
    assert scanner.closed


def test_a_claim_text_comes_out_once_it_is_complete_before_its_citations() -> None:
    cites = [{"passage": 1, "quote": "x"}]
    first = {"text": 'A "quoted" claim, with "text": inside.', "cites": cites}
    second = {"text": "Plain.", "cites": []}
    text = json.dumps({"sentences": [first, second]})
    scanner = SentenceScanner()
    early: list[tuple[int, str]] = []
    for at, ch in enumerate(text):
        scanner.feed(ch)
        found = scanner.early_text()
        if found is not None:
            early.append((at, found))
    assert [t for _, t in early] == [first["text"], second["text"]]
    assert early[0][0] < text.index('"cites"'), "before the citations are written"


def test_something_else_in_the_list_stops_the_scanner() -> None:
    scanner = SentenceScanner()
    assert scanner.feed('{"sentences": [{"text": "a"}, 42, {"text": "b"}]}') == [{"text": "a"}]
    assert scanner.broken


# -- the engine --------------------------------------------------------------------------------
def test_sentences_are_released_while_the_model_is_still_writing(mini: MiniWorld) -> None:
    engine, model = build(mini, claims(COST, BUDGET, HERONS, BUDGET_SHORT))
    progress = engine.stream_reply_turn(context(mini), MESSAGE)
    first = next(progress)
    total = len(claims(COST, BUDGET, HERONS, BUDGET_SHORT)(str(model.history[0][-1].content)))
    assert model.streamed_chars < total, "the first sentences came before the answer ended"
    # Three of at most six sentences passed: good enough whatever the other three are.
    assert [s.kind for s in first.sentences] == ["claim"] * 3
    seen, result = run(progress)
    final = result.reply
    assert final.engine == MODEL
    for reply in [first, *seen]:
        assert reply.sentences == final.sentences[: len(reply.sentences)], "a prefix"
    assert len(final.sentences) == 4


def test_a_bad_sentence_in_the_middle_is_never_released(mini: MiniWorld) -> None:
    engine, _ = build(mini, claims(COST, "!" + COST, BUDGET, HERONS, BUDGET_SHORT))
    seen, result = run(engine.stream_reply_turn(context(mini), MESSAGE))
    assert seen, "released before the end"
    assert len(seen[0].sentences) == 3, "released once 3 of 4 claims passed, 2 to come"
    for reply in seen:
        assert reply.sentences == result.reply.sentences[: len(reply.sentences)]
    assert len(result.reply.sentences) == 4
    assert result.reply.grounding.dropped == 1


def test_a_lead_in_is_held_until_its_claim_passes_and_shares_its_move(mini: MiniWorld) -> None:
    engine, _ = build(mini, claims("~" + LEAD, COST, BUDGET, HERONS))
    seen, result = run(engine.stream_reply_turn(context(mini), MESSAGE))
    lead, cost = seen[0].sentences[:2]
    assert (lead.kind, lead.text) == ("framing", LEAD)
    assert lead.move is not None
    assert lead.move == cost.move
    assert result.reply.sentences[0] == lead


def test_a_lead_in_goes_with_its_failing_claim(mini: MiniWorld) -> None:
    engine, _ = build(mini, claims("~" + LEAD, "!" + COST, COST, BUDGET, HERONS))
    _, result = run(engine.stream_reply_turn(context(mini), MESSAGE))
    assert result.reply.engine == MODEL
    assert LEAD not in result.reply.text


def test_an_answer_that_breaks_off_after_release_keeps_what_was_sent(mini: MiniWorld) -> None:
    four = claims(COST, BUDGET, HERONS, BUDGET_SHORT)
    probe, _ = build(mini, BreaksOff(four, after=0))
    cut = _after_objects(four(_prompt_of(probe, mini)), 3)  # just after the third sentence
    engine, model = build(mini, BreaksOff(four, after=cut))
    seen, result = run(engine.stream_reply_turn(context(mini), MESSAGE))
    assert seen
    assert result.reply.engine == MODEL, "committed: no fallback replaces what was sent"
    assert result.reply.fallback_reason is None
    assert result.reply.sentences == seen[-1].sentences
    assert len(result.reply.sentences) == 3
    assert len(model.history) == 1


def test_an_answer_that_breaks_off_before_release_falls_back(mini: MiniWorld) -> None:
    engine, _ = build(mini, BreaksOff(claims(COST, BUDGET, HERONS), after=60))
    seen, result = run(engine.stream_reply_turn(context(mini), MESSAGE))
    assert seen == []
    assert result.reply.engine == "extractive"
    assert result.reply.fallback_reason == f"{MODEL}: the model call failed (ConnectionError)"


def test_an_attempt_under_half_releases_nothing_and_the_retry_streams(mini: MiniWorld) -> None:
    engine, model = build(mini, claims(COST, "!" + BUDGET, "!" + HERONS), claims(COST, BUDGET))
    progress = engine.stream_reply_turn(context(mini), MESSAGE)
    first = next(progress)
    assert len(model.history) == 2, "nothing of the failed attempt was released"
    assert texts(first) == [f"{COST} [1]", f"{BUDGET} [2]"]
    _, result = run(progress)
    assert result.reply.sentences == first.sentences
    assert result.reply.grounding.dropped == 2


# -- the services and HTTP -----------------------------------------------------------------
def service(world: MiniWorld, engine: LLMEngine, tmp_path: Path) -> DebateService:
    motions = MotionRegistry(tmp_path / "seeds-unused", tmp_path / "motions")
    motions.add(world.motion)
    sessions = SQLiteSessionRepository(tmp_path / "sessions.db")
    return DebateService(motions, engine, world.verifier, sessions, stances=world.mapper.get)


def test_a_streamed_turn_sends_verified_sentences_before_the_model_ends(
    mini: MiniWorld, tmp_path: Path
) -> None:
    engine, model = build(mini, claims("~" + LEAD, COST, "!" + COST, BUDGET, HERONS, BUDGET_SHORT))
    debates = service(mini, engine, tmp_path)
    debate = debates.create_debate("bridge", "pro")
    events = debates.stream_turn(debate.debate_id, MESSAGE)
    first = next(events)
    assert isinstance(first, SentenceEvent)
    assert model.streamed_chars < _draft_length(model), "sent while the model was writing"
    rest = list(events)
    done = rest[-1]
    assert isinstance(done, DoneEvent)
    sent = [first.sentence, *(e.sentence for e in rest if isinstance(e, SentenceEvent))]
    stored = debates.transcript(debate.debate_id).turns[-1].reply
    assert done.result == debates.transcript(debate.debate_id).turns[-1]
    assert sent == stored.sentences
    assert all(s.supported for s in sent)
    assert first.sentence.text == LEAD, "the lead-in, sent with its verified claim"
    assert COST not in stored.text.replace(f"{COST} [1]", "", 1), "the bad copy was not sent"


def test_a_streamed_answer_sends_sentences_before_the_model_ends(mini: MiniWorld) -> None:
    engine, model = build(mini, claims(COST, BUDGET, OVERRUNS, BUDGET_SHORT))
    motions = MotionRegistry(Path("/nonexistent-seeds"), Path("/nonexistent-motions"))
    motions.add(mini.motion)
    events = QuestionService(motions, engine, mini.verifier).stream_ask("What would it cost?")
    first = next(events)
    assert isinstance(first, SentenceEvent)
    assert model.streamed_chars < _draft_length(model)
    *sentences, done = [first, *events]
    assert isinstance(done, DoneEvent)
    assert isinstance(done.result, Reply)
    assert [e.sentence for e in sentences if isinstance(e, SentenceEvent)] == (
        done.result.sentences
    )


def test_the_openai_stream_sends_sentences_before_the_model_ends(
    mini: MiniWorld, tmp_path: Path
) -> None:
    engine, model = build(mini, claims(COST, BUDGET, HERONS, BUDGET_SHORT))
    debates = service(mini, engine, tmp_path)
    questions = QuestionService(debates.motions, engine, mini.verifier)
    completions = ChatCompletionService(debates.motions, debates, questions)
    events = completions.stream("debate:bridge:con", [Message("user", MESSAGE)])
    first = next(events)
    assert isinstance(first, SentenceEvent)
    assert model.streamed_chars < _draft_length(model), "sent while the model was writing"
    *sentences, done = [first, *events]
    assert isinstance(done, CompletionDone)
    assert [e.sentence for e in sentences if isinstance(e, SentenceEvent)] == (
        done.completion.reply.sentences
    )


@pytest.mark.parametrize(
    "script",
    [
        claims(COST, "!" + COST, BUDGET, HERONS, BUDGET_SHORT),
        claims("~" + LEAD, "!" + BUDGET, COST, BUDGET, HERONS),
        BreaksOff(claims(COST, BUDGET, HERONS, BUDGET_SHORT), after=40),
    ],
    ids=["bad sentence in the middle", "lead-in of a failing claim", "broken before release"],
)
def test_over_http_the_stream_is_exactly_the_stored_turn(
    mini: MiniWorld, tmp_path: Path, script: Step
) -> None:
    engine, _ = build(mini, script)
    client = app_with(mini, engine, tmp_path)
    debate_id = start(client)
    response = client.post(
        f"/debates/{debate_id}/turns", json={"message": MESSAGE}, params={"stream": "true"}
    )
    done = check_stream(parse_sse(response.text))
    stored = client.get(f"/debates/{debate_id}").json()["turns"][-1]["reply"]
    assert stored == {k: done[k] for k in stored}
    assert done["sentences"], "never empty: the fallback writes it when the model cannot"


# -- helpers ---------------------------------------------------------------------------------
def _draft_length(model: ScriptedChatModel) -> int:
    step = model.script[min(len(model.history), len(model.script)) - 1]
    step = step.step if isinstance(step, BreaksOff) else step
    prompt = "\n".join(str(m.content) for m in model.history[-1])
    return len(step(prompt) if callable(step) else str(step))


def _prompt_of(engine: LLMEngine, world: MiniWorld) -> str:
    """The prompt the engine shows for this turn (asked of a model that breaks at once)."""
    engine.reply_turn(context(world), MESSAGE)
    model = engine.model
    assert isinstance(model, ScriptedChatModel)
    return "\n".join(str(m.content) for m in model.history[0])


def _after_objects(text: str, count: int) -> int:
    """The position just after the ``count``-th sentence object of ``text`` closes."""
    scanner = SentenceScanner()
    for at, ch in enumerate(text):
        scanner.feed(ch)
        if scanner.count == count:
            return at + 1
    raise AssertionError("fewer objects")


# -- native structured output (tool calling), streamed ---------------------------------------
class ToolCallingModel(ScriptedChatModel):
    """A scripted model with tool calling: its answer is the arguments of one tool call,
    streamed as tool-call chunks, as OpenAI or Anthropic models send them."""

    def bind_tools(self, tools: Any, **kwargs: Any) -> ToolCallingModel:  # type: ignore[override]
        return self

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        text, _ = self._next(messages)
        call = {"name": "DraftReply", "args": json.loads(text), "id": "call-1"}
        return ChatResult(generations=[ChatGeneration(message=AIMessage("", tool_calls=[call]))])

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        text, _ = self._next(messages)
        self.streamed += 1
        for at in range(0, len(text), self.chunk_size):
            first = at == 0
            piece = text[at : at + self.chunk_size]
            self.streamed_chars += len(piece)
            chunk = {
                "name": "DraftReply" if first else None,
                "args": piece,
                "id": "call-1" if first else None,
                "index": 0,
            }
            message = AIMessageChunk(content="", tool_call_chunks=[chunk])  # type: ignore[list-item]
            yield ChatGenerationChunk(message=message)


def test_native_tool_calls_stream_sentence_by_sentence(mini: MiniWorld) -> None:
    engine, _ = build(mini)
    model = ToolCallingModel(script=[claims(COST, BUDGET, HERONS, BUDGET_SHORT)])
    engine.model = model
    progress = engine.stream_reply_turn(context(mini), MESSAGE)
    first = next(progress)
    assert model.streamed == 1, "the bound model was streamed, not invoked"
    assert model.streamed_chars < _draft_length(model), "released while the call was streaming"
    _, result = run(progress)
    assert engine.structured_output == "native"
    assert result.reply.engine == MODEL
    assert result.reply.sentences[: len(first.sentences)] == first.sentences
    assert len(result.reply.sentences) == 4


def test_a_native_answer_judged_whole_uses_the_providers_parse(mini: MiniWorld) -> None:
    engine, _ = build(mini)
    model = ToolCallingModel(script=[claims(COST, "!" + BUDGET, "!" + HERONS), claims(COST)])
    engine.model = model
    seen, result = run(engine.stream_reply_turn(context(mini), MESSAGE))
    assert len(model.history) == 2, "one of three claims passed: asked again"
    assert "passage 99 does not exist" in str(model.history[1][-1].content)
    assert [texts(r) for r in seen] == [[f"{COST} [1]"]]
    assert result.reply.engine == MODEL
