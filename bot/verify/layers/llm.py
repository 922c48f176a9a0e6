"""An optional judge: any LangChain chat model, asked for a JSON verdict."""

from __future__ import annotations

import json
import re
import string
from dataclasses import dataclass
from pathlib import Path

import yaml
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage, SystemMessage

from bot.verify.layers.base import Finding, Verdict

CHECK = "llm"
PROMPT_PATH = Path(__file__).resolve().parents[3] / "prompts" / "verify" / "entailment.yaml"
_VERDICTS = {"supported": True, "not_supported": False, "unsure": None}
_JSON = re.compile(r"\{.*\}", re.DOTALL)


@dataclass(frozen=True)
class EntailmentPrompt:
    """The system and user templates of the entailment prompt."""

    system: str
    user: str
    variables: tuple[str, ...]

    @classmethod
    def load(cls, path: Path = PROMPT_PATH) -> EntailmentPrompt:
        """Read the prompt file; unknown keys or a template/variable mismatch raise."""
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        unknown = set(data) - {"description", "variables", "system", "user"}
        if unknown:
            raise ValueError(f"unknown keys in {path}: {sorted(unknown)}")
        prompt = cls(data["system"], data["user"], tuple(data["variables"]))
        used = {f for _, f, _, _ in string.Formatter().parse(prompt.user) if f}
        if used != set(prompt.variables):
            raise ValueError(f"{path}: template uses {sorted(used)}, declares {prompt.variables}")
        return prompt

    def render(self, **values: str) -> str:
        """The user message; a missing variable raises."""
        missing = set(self.variables) - set(values)
        if missing:
            raise KeyError(f"missing prompt variables: {sorted(missing)}")
        return self.user.format(**values)


def parse_verdict(text: str) -> Verdict:
    """Read the model's JSON verdict; anything unreadable is no opinion, with the reason."""
    match = _JSON.search(text)
    try:
        data = json.loads(match.group()) if match else None
    except json.JSONDecodeError:
        data = None
    if not isinstance(data, dict) or data.get("verdict") not in _VERDICTS:
        return Verdict(None, CHECK, [Finding(CHECK, "", "", f"unreadable verdict: {text[:120]!r}")])
    finding = Finding(
        CHECK,
        str(data.get("claim_part", "")),
        str(data.get("evidence_part", "")),
        str(data.get("reason", "")) or str(data["verdict"]),
    )
    return Verdict(_VERDICTS[data["verdict"]], CHECK, [finding])


class LLMJudge:
    """Asks the configured chat model whether the evidence entails the claim."""

    name = CHECK

    def __init__(self, model: BaseChatModel, prompt: EntailmentPrompt | None = None) -> None:
        self.model = model
        self.prompt = prompt or EntailmentPrompt.load()

    def judge(self, claim: str, evidence: str) -> Verdict:
        """One call to the model, read as a JSON verdict."""
        messages = [
            SystemMessage(self.prompt.system),
            HumanMessage(self.prompt.render(claim=claim, evidence=evidence)),
        ]
        reply = self.model.invoke(messages)
        content = reply.content if isinstance(reply.content, str) else json.dumps(reply.content)
        return parse_verdict(content)
