"""The stateless endpoint's rebuild gives the native API's replies (real engine, fake vectors)."""

from __future__ import annotations

from pathlib import Path

from bot.domain.motions import MotionRegistry
from bot.domain.sessions import SQLiteSessionRepository
from bot.services.chat_completions import ChatCompletionService, Message
from bot.services.debates import DebateService
from bot.services.questions import QuestionService
from tests.support.fixtures_motion import MiniWorld
from tests.support.fixtures_motion import mini as mini  # noqa: F401 (fixture)

SPEECHES = [
    "A second bridge would cut crossing times on the river by half.",
    "The bridge project would create 2,000 construction jobs.",
    "Tourists would come to the markets of the old town.",
]


def test_each_rebuilt_turn_equals_the_native_turn(mini: MiniWorld, tmp_path: Path) -> None:
    motions = MotionRegistry(tmp_path / "seeds", tmp_path / "store").load()
    sessions = SQLiteSessionRepository(tmp_path / "sessions.db")
    native = DebateService(motions, mini.engine, mini.verifier, sessions)
    debate = native.create_debate("bridge", "pro")
    expected = [native.take_turn(debate.debate_id, speech).reply for speech in SPEECHES]
    questions = QuestionService(motions, mini.engine, mini.verifier)
    service = ChatCompletionService(motions, native, questions)
    messages: list[Message] = []
    for index, speech in enumerate(SPEECHES):
        messages.append(Message("user", speech))
        completion = service.complete("debate:bridge:con", messages)
        assert completion.turn == index
        assert completion.reply == expected[index]
        messages.append(Message("assistant", completion.reply.text))
    assert expected[0] != expected[1]
    sessions.close()
