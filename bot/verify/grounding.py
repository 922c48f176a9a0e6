"""The grounding verifier: every claim sentence must be supported by the exact spans it cites.

A citation passes when its marker resolves, its quote is byte-for-byte the document text at
``[start, end)``, and the quote supports the sentence: the sentence's numbers and names occur
in the quote, negation agrees, content words overlap and the embeddings are close.
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import replace

from langchain_core.embeddings import Embeddings
from langchain_core.language_models import BaseChatModel

from bot.domain.motions import Side
from bot.domain.replies import Citation, Grounding, Reply, Sentence
from bot.text import features as tf
from bot.verify.base import SupportResult
from bot.verify.calibration import MINILM, Calibration
from bot.verify.layers import JudgeChain, SemanticThresholds, VerifyLayerSettings, build_chain
from bot.verify.layers.attribution import CHECK as ATTRIBUTION_CHECK
from bot.verify.layers.attribution import names_a_clause, speaker_mismatches
from bot.verify.layers.base import Finding
from bot.verify.moves import StanceLookup, check_moves
from retrieval.records import Document, DocumentSource

logger = logging.getLogger(__name__)

# Support = mean of content-word overlap and embedding cosine; its thresholds are calibrated
# per grounding model (bot/verify/calibration.py). Wrong numbers, names and negations score
# 0.9+ too: only the hard checks catch those.
# Support of a sentence that fails a hard check (missing number/name, negation, bad span).
HARD_FAIL_CAP = 0.2
# Verdicts kept per verifier (a few hundred bytes each).
VERDICT_CACHE_SIZE = 4096
# The token-level checks that run before the layers. The names check ("names" here) is off:
# on the dev claims it cost recall and no precision beyond the names layer. The negation
# check is off too: it refused any paraphrase that moves a "not" (14 true dev claims), and
# the negation layer reads the scope from the parse.
LEXICAL_CHECKS = frozenset({"numbers"})
# Words that only attribute a claim to its source ("According to X, ...", "The seed document
# says that ..."); in the attribution part of a claim they need not occur in the quote.
_ATTRIBUTION_TEXT = """
    according seed document documents source sources report reports reported article
    paper study analysis brief author authors say says said state states stated note notes
    noted write writes wrote explain explains explained observe observes observed record
    records recorded describe describes described recount recounts recounted add adds added
    argue argues argued claim claims claimed find finds found show shows showed notice
    statement press fact sheet opinion ruling decision"""
ATTRIBUTION_WORDS = frozenset(_ATTRIBUTION_TEXT.split())
_ATTRIBUTION = re.compile(
    r"^\s*(?:(?:according to|as)\b[^,]{0,120},"
    r"|[^,]{0,120}?\b(?:says|said|argue|argues|argued|contend|contends|reports|reported|notes|noted|states|stated|writes|wrote|"
    r"explains|explained|observes|observed|records|recorded|describes|described|"
    r"recounts|recounted|adds|added)\b(?:\s+that\b)?[,:]?)\s*",
    re.IGNORECASE,
)


def source_prefix(claim: str) -> tuple[str, str]:
    """Split a claim into the part naming its source and the rest ("", claim when none).

    As :func:`split_attribution`, but the verb that ends the source must be in lowercase, so
    "The United States was ..." names no source.
    """
    prefix, body = split_attribution(claim)
    words = prefix.rstrip(",:").split()
    if words and words[-1] == "that":
        words = words[:-1]
    words[-1:] = [w.rstrip(":") for w in words[-1:]]
    if not prefix or prefix[:1] in "Aa" and prefix.lower().startswith(("according", "as ")):
        return prefix, body
    if not words or not words[-1].islower() or not names_a_clause(claim, prefix):
        return "", claim
    return prefix, body


def _fail(*reasons: str) -> SupportResult:
    findings = [Finding("span", "", "", reason) for reason in reasons]
    return SupportResult(supported=False, support=0.0, reasons=list(reasons), findings=findings)


def _refused(findings: list[Finding], support: float, claim: str, quote: str) -> SupportResult:
    """Not supported, for the reasons the findings give (support at most HARD_FAIL_CAP when a
    rule refused, the semantic score when only the score fell short). A finding that names no
    part compared the whole claim or the whole quote."""
    findings = [
        replace(f, claim_part=f.claim_part or claim, evidence_part=f.evidence_part or quote)
        for f in findings
    ]
    return SupportResult(
        supported=False,
        support=round(min(max(support, 0.0), HARD_FAIL_CAP if support == 0.0 else 1.0), 4),
        reasons=[str(f) for f in findings],
        findings=findings,
    )


def _flat(text: str) -> str:
    """Text compared for verbatim quoting: spaces collapsed, no final period."""
    return " ".join(text.split()).rstrip(". ")


def quotes_verbatim(claim: str, quote: str, title: str = "") -> bool:
    """Whether the claim is its quote, bare or after one of the engine's attribution prefixes
    ("The seed document's authors argue that <quote>", 'The document "<title>" says: <quote>'
    or its older form '... says that <quote>'; the quote's first letter may be lowercased)."""
    body, flat_quote = _flat(claim), _flat(quote)
    if not flat_quote:
        return False
    if body == flat_quote:
        return True
    for prefix in _verbatim_prefixes(title):
        if body.startswith(prefix):
            rest = body[len(prefix) :]
            if rest == flat_quote or (rest[:1].lower() + rest[1:]) == (
                flat_quote[:1].lower() + flat_quote[1:]
            ):
                return True
    return False


def _verbatim_prefixes(title: str) -> list[str]:
    prefixes = ["The seed document's authors argue that "]
    if title:
        short = " ".join(title.replace(",", "").replace('"', "").split())
        names = [short] + ([f"{short[:60].rsplit(' ', 1)[0]}..."] if len(short) > 60 else [])
        # The titled attribution: "... says: <quote>" now, "... says that <quote>" before.
        tails = (":", " that")
        prefixes += [f'The document "{name}" says{tail} ' for name in names for tail in tails]
    return prefixes


def _mismatch_hint(quote: str, actual: str) -> str:
    """Why two strings differ, when the reason is a classic one."""
    if unicodedata.normalize("NFKC", quote) == unicodedata.normalize("NFKC", actual):
        return " (differs in Unicode normalization)"
    if " ".join(quote.split()) == " ".join(actual.split()):
        return " (differs in whitespace)"
    return ""


def split_attribution(sentence: str) -> tuple[str, str]:
    """Split ``"According to X, body"`` into ``("According to X,", "body")``."""
    match = _ATTRIBUTION.match(sentence)
    if not match or match.end() >= len(sentence):
        return "", sentence
    return sentence[: match.end()].strip(), sentence[match.end() :].strip()


def default_chain(
    embeddings: Embeddings,
    calibration: Calibration = MINILM,
    settings: VerifyLayerSettings | None = None,
    chat_model: BaseChatModel | None = None,
) -> JudgeChain:
    """The rule layers and the semantic score (thresholds calibrated on the grounding model),
    then the optional judges ``settings`` turn on (all off by default: the chain is offline)."""
    thresholds = SemanticThresholds(
        support=calibration.support_threshold,
        min_overlap=calibration.min_overlap,
        min_cosine=calibration.min_cosine,
    )
    return build_chain(settings or VerifyLayerSettings(), embeddings, chat_model, thresholds)


class GroundingVerifier:
    """Checks claims against quoted spans and strips unsupported claims from replies."""

    def __init__(
        self,
        embeddings: Embeddings,
        documents: DocumentSource,
        calibration: Calibration = MINILM,
        chain: JudgeChain | None = None,
        lexical: frozenset[str] = LEXICAL_CHECKS,
    ) -> None:
        self.embeddings = embeddings
        self.documents = documents
        self.calibration = calibration
        self.threshold = calibration.support_threshold
        self.chain = chain if chain is not None else default_chain(embeddings, calibration)
        rules = [r for r in self.chain.rules if r.name != ATTRIBUTION_CHECK]
        self.attributed_chain = JudgeChain(rules, self.chain.semantic, self.chain.judges)
        self.lexical = lexical
        # Verdicts by (claim, quote, title): the engine's check of a draft sentence, the
        # service's check of the reply and a streamed reply's growing prefixes judge the same
        # claim against the same quote. The chain is fixed, so a verdict never goes stale.
        self._verdicts: OrderedDict[tuple[str, str, str], SupportResult] = OrderedDict()
        self._verdicts_lock = threading.Lock()

    def warm(self) -> None:
        """Load the parser, the lexicon and the model now (WordNet takes seconds to open)."""
        self.check_claim("The United States did not meet Hamas in 2025.", "Hamas met them.")

    def warm_chain(self) -> None:
        """Run the layered chain once, loading spaCy and WordNet (``warm``'s claim fails the
        lexical checks, so it never reaches them: the first paraphrase pays for both)."""
        self.chain.judge("Officials met the envoy in Doha.", "The envoy met officials in Doha.")

    def prepare(self, evidence: Sequence[str]) -> None:
        """Parse and embed evidence texts ahead of their checks (the LLM engine does this for
        the passages it shows, while the model writes); verdicts do not change."""
        self.chain.prepare(evidence)

    def prepare_claim(self, claim: str) -> None:
        """Parse and embed a claim ahead of its check, as the chain will read it (the LLM
        engine does this while the model writes the claim's citations)."""
        prefix, body = source_prefix(" ".join(tf.strip_markers(claim).split()))
        self.chain.prepare([body[:1].upper() + body[1:] if prefix else body])

    def check_claim(self, claim: str, quote: str, title: str = "") -> SupportResult:
        """Whether ``quote`` supports ``claim`` (content only; offsets are not checked).

        A claim that is its quote, bare or after an attribution prefix, is supported as it
        stands. Any other claim goes through the lexical checks and the layered entailment
        chain (:mod:`bot.verify.layers`); the first check that fails is the answer.
        """
        text = " ".join(tf.strip_markers(claim).split())
        if quotes_verbatim(text, quote, title):
            return SupportResult(supported=True, support=1.0)
        key = (text, quote, title)
        with self._verdicts_lock:
            known = self._verdicts.get(key)
            if known is not None:
                self._verdicts.move_to_end(key)
                return known
        result = self._judge_claim(text, quote, title)
        with self._verdicts_lock:
            self._verdicts[key] = result
            if len(self._verdicts) > VERDICT_CACHE_SIZE:
                self._verdicts.popitem(last=False)
        return result

    def clear_cache(self) -> None:
        """Forget the cached verdicts (benchmarks measure the checks themselves)."""
        with self._verdicts_lock:
            self._verdicts.clear()

    def _judge_claim(self, text: str, quote: str, title: str) -> SupportResult:
        """The lexical checks, then the layered chain (``check_claim`` without its cache)."""
        findings = self._lexical_findings(text, quote, title)
        if findings:
            return _refused(findings, 0.0, text, quote)
        prefix, body = source_prefix(text)
        speaker = speaker_mismatches(text, prefix, quote) if prefix else []
        if speaker:  # "Hamas said it ordered" where the evidence has Netanyahu say it
            return _refused(speaker, 0.0, text, quote)
        # "According to X, V" / "X says that V": the evidence is X's own text, so V is judged
        # as X's statement (the attribution rule, bare V vs X's view, does not apply).
        chain = self.attributed_chain if prefix else self.chain
        verdict = chain.judge(body[:1].upper() + body[1:] if prefix else text, quote)
        score = verdict.score if verdict.score is not None else 0.0
        if verdict.supported:
            return SupportResult(supported=True, support=round(min(max(score, 0.0), 1.0), 4))
        findings = verdict.reasons or [
            Finding(verdict.check, text, quote, "the evidence does not support the claim")
        ]
        return _refused(findings, score if verdict.check == "semantic" else 0.0, text, quote)

    def _lexical_findings(self, text: str, quote: str, title: str) -> list[Finding]:
        """The token-level hard checks: numbers and names in the quote, negation agreeing."""
        prefix, body = split_attribution(text)
        # Attribution words and the cited title are free, but only inside the attribution.
        free = {t.lower for t in tf.tokenize(title)} | ATTRIBUTION_WORDS
        prefix_tokens = [t for t in tf.tokenize(prefix) if t.lower not in free]
        claim_tokens = prefix_tokens + tf.tokenize(body)
        quote_tokens = tf.tokenize(quote)
        quote_words = {t.lower for t in quote_tokens}
        quote_initials = tf.initials(quote_tokens)
        findings: list[Finding] = []
        if "numbers" in self.lexical:
            findings += [
                Finding("numbers", number, "", reason)
                for number, reason in self._number_reasons(claim_tokens, quote_tokens)
            ]
        seen: set[str] = set()
        # Names in the attribution always count: who said it is part of the claim.
        named = claim_tokens if "names" in self.lexical else claim_tokens[: len(prefix_tokens)]
        for name in tf.names(named):
            found = tf.name_in(name, quote_words) or tf.acronym_in(name, quote_initials)
            if name.lower not in seen and not found:
                findings.append(Finding("names", name.text, "", f"name {name.text} not in quote"))
            seen.add(name.lower)
        if "negation" in self.lexical:
            findings += [
                Finding("negation", body, quote, reason)
                for reason in self._negation_reasons(claim_tokens, quote_tokens)
            ]
        return findings

    @staticmethod
    def _negation_reasons(claim: list[tf.Token], quote: list[tf.Token]) -> list[str]:
        """One side negates words that the other side states plainly (and never negates)."""
        claim_neg, claim_plain = tf.negation_profile(claim)
        quote_neg, quote_plain = tf.negation_profile(quote)
        if (claim_neg - claim_plain) & (quote_plain - quote_neg):
            return ["negation mismatch: the sentence negates what the quote states"]
        if (quote_neg - quote_plain) & (claim_plain - claim_neg):
            return ["negation mismatch: the quote negates what the sentence states"]
        return []

    @staticmethod
    def _number_reasons(claim: list[tf.Token], quote: list[tf.Token]) -> list[tuple[str, str]]:
        """Numbers missing from the quote, or bound there to other words (2019 vs 2016 MOU)."""
        claim_bound, quote_bound = tf.number_bindings(claim), tf.number_bindings(quote)
        reasons: list[tuple[str, str]] = []
        for number, near in sorted(claim_bound.items()):
            if number not in quote_bound:
                reasons.append((number, f"number {number} not in quote"))
                continue
            if near & quote_bound[number]:
                continue
            rivals = sorted(
                other for other, words in quote_bound.items() if other != number and near & words
            )
            if rivals:
                reasons.append(
                    (number, f"number {number} is attached to other numbers ({rivals[0]}) in quote")
                )
        return reasons

    def _resolve(self, doc_id: str, start: int, end: int) -> tuple[Document | None, str | None]:
        document = self.documents.get_document(doc_id)
        if document is None:
            return None, f"unknown document {doc_id!r} (not found)"
        if not 0 <= start < end <= len(document.text):
            return None, (
                f"span [{start}, {end}) is out of range for document {doc_id!r} "
                f"of length {len(document.text)}"
            )
        return document, None

    def check_span(self, claim: str, doc_id: str, start: int, end: int) -> SupportResult:
        """Resolve ``doc_id`` and check the claim against ``document.text[start:end]``."""
        document, error = self._resolve(doc_id, start, end)
        if document is None:
            return _fail(error or "unresolvable span")
        return self.check_claim(claim, document.text[start:end], title=document.title)

    def check_citation(self, claim: str, citation: Citation) -> SupportResult:
        """The citation's quote is exactly the document text at its offsets, and supports claim."""
        document, error = self._resolve(citation.doc_id, citation.start, citation.end)
        if document is None:
            return _fail(error or "unresolvable span")
        actual = document.text[citation.start : citation.end]
        if citation.quote != actual:
            return _fail(
                f"quote does not match document text at [{citation.start}, {citation.end})"
                + _mismatch_hint(citation.quote, actual)
            )
        return self.check_claim(claim, citation.quote, title=citation.title)

    def check_sentence(self, sentence: Sentence, citations: dict[int, Citation]) -> SupportResult:
        """A claim sentence is supported iff it cites, and every citation passes."""
        markers = _markers(sentence)
        if not markers:
            return _fail("claim has no citations")
        results: list[SupportResult] = []
        for marker in markers:
            citation = citations.get(marker)
            if citation is None:
                results.append(_fail(f"marker [{marker}] does not resolve to a citation"))
            else:
                results.append(self.check_citation(sentence.text, citation))
        reasons = [
            f"[{m}] {r}" for m, res in zip(markers, results, strict=True) for r in res.reasons
        ]
        support = min(r.support for r in results)
        return SupportResult(supported=not reasons, support=support, reasons=reasons)

    @staticmethod
    def check_framing(sentence: Sentence, allowed: set[str]) -> SupportResult:
        """Framing carries no citations, numbers, or names beyond ``allowed`` (lowercased)."""
        if _markers(sentence):
            return _fail("framing sentence carries citations; facts belong in claims")
        tokens = tf.tokenize(tf.strip_markers(sentence.text))
        reasons = [f"framing contains number {n}" for n in sorted(tf.numbers(tokens))]
        reasons += [
            f"framing contains name {t.text}"
            for t in tf.names(tokens, include_initial=False)
            if not tf.name_in(t, allowed)
        ]
        return SupportResult(
            supported=not reasons, support=0.0 if reasons else 1.0, reasons=reasons
        )

    def verify(
        self,
        reply: Reply,
        allowed_terms: frozenset[str] = frozenset(),
        side: Side | None = None,
        stance: StanceLookup | None = None,
    ) -> Reply:
        """Score every sentence and drop the ones that fail.

        Failing claims (and framing that smuggles in facts) are logged and removed. With a
        ``side`` and a ``stance`` lookup, each move is also checked as a whole
        (:mod:`bot.verify.moves`) and misfits are removed. Citations nobody cites any more are
        dropped, the text is rebuilt from the remaining sentences, and ``grounding`` counts
        the claims sent (all verified), the ones dropped, and the moves checked and dropped.
        Markers are not renumbered.
        """
        citations = {c.marker: c for c in reply.citations}
        checked: list[tuple[Sentence, SupportResult]] = []
        for sentence in reply.sentences:
            if sentence.kind == "claim":
                checked.append((sentence, self.check_sentence(sentence, citations)))
        passed = {id(s) for s, r in checked if r.supported}
        verdict = None
        if side is not None and stance is not None:
            verdict = check_moves(
                reply.sentences,
                lambda i: id(reply.sentences[i]) in passed,
                citations,
                side,
                stance,
            )
            for reason in verdict.reasons:
                logger.warning("dropping misfit move: %s", reason)
        misfit = {id(reply.sentences[i]) for i in verdict.dropped_sentences} if verdict else set()
        kept_claims = [s for s, r in checked if r.supported and id(s) not in misfit]
        allowed = {t.lower for term in allowed_terms for t in tf.tokenize(term)}
        for sentence in kept_claims:
            allowed |= {t.lower for t in tf.tokenize(sentence.text)}
            allowed |= {
                t.lower
                for m in _markers(sentence)
                if m in citations
                for t in tf.tokenize(citations[m].title)
            }
        results = {id(s): r for s, r in checked}
        kept: list[Sentence] = []
        for sentence in reply.sentences:
            if id(sentence) in misfit:
                continue
            result = (
                results[id(sentence)]
                if sentence.kind == "claim"
                else self.check_framing(sentence, allowed)
            )
            if not result.supported:
                logger.warning(
                    "dropping unsupported %s sentence %r: %s",
                    sentence.kind,
                    sentence.text,
                    "; ".join(result.reasons),
                )
                continue
            kept.append(sentence.model_copy(update={"supported": True, "support": result.support}))
        cited = {m for s in kept for m in _markers(s)}
        claims = sum(1 for s in kept if s.kind == "claim")
        return reply.model_copy(
            update={
                "sentences": kept,
                "text": " ".join(s.text for s in kept),
                "citations": [c for c in reply.citations if c.marker in cited],
                "grounding": Grounding(
                    claims=claims,
                    supported=claims,
                    rate=1.0,
                    dropped=len(checked) - len(kept_claims),
                    moves=verdict.moves if verdict else 0,
                    moves_dropped=verdict.moves_dropped if verdict else 0,
                ),
            }
        )


def _markers(sentence: Sentence) -> list[int]:
    """The markers a sentence cites: its citation list plus any ``[n]`` in its text."""
    inline = [int(m) for m in re.findall(r"\[(\d+)\]", sentence.text)]
    return list(dict.fromkeys([*sentence.citations, *inline]))
