"""Sentence-level reranking with fake embeddings: reorders, never drops, caches vectors."""

from __future__ import annotations

import numpy as np

from retrieval.records import SearchHit
from retrieval.rerank import SentenceReranker, titled, wanted_feature
from tests.support.fake_embeddings import HashEmbeddings


def hit(pid: str, text: str) -> SearchHit:
    return SearchHit(pid, "doc", "title", None, text, 0, len(text), 0.0)


HITS = [
    hit("a", "The talks were long. Many people attended them in the spring."),
    hit("b", "The weather was mild. Nobody mentioned the talks at all."),
    hit("c", "Officials said the ceasefire took effect on 10 October 2025. It held."),
]


def test_wanted_feature() -> None:
    assert wanted_feature("When did the ceasefire take effect?") == "date"
    assert wanted_feature("How many prisoners were freed?") == "number"
    assert wanted_feature("how long was he held?") == "duration"
    assert wanted_feature("Why did Bush stop the dialogue?") == "cause"
    assert wanted_feature("Who met them?") is None


def test_a_deep_passage_with_the_answer_sentence_moves_into_the_top_and_none_is_lost() -> None:
    embeddings = HashEmbeddings()
    reranker = SentenceReranker(embeddings)
    filler = [
        hit(f"f{i}", f"Filler passage number {i} says little. It is about trade.") for i in range(7)
    ]
    hits = [*filler, HITS[2], HITS[0], HITS[1]]
    query = "When did the ceasefire take effect?"
    top = reranker.rerank(query, embeddings.embed_query(query), hits, k=5)
    assert "c" in [h.passage_id for h in top]
    everything = reranker.rerank(query, embeddings.embed_query(query), hits, k=len(hits))
    assert sorted(h.passage_id for h in everything) == sorted(h.passage_id for h in hits)


def test_sentence_vectors_are_embedded_once_per_passage() -> None:
    embeddings = HashEmbeddings()
    reranker = SentenceReranker(embeddings)
    for query in ("ceasefire", "talks"):
        reranker.rerank(query, embeddings.embed_query(query), HITS, k=2)
    sentence_calls = [texts for texts in embeddings.history if len(texts) > 1]
    assert len(sentence_calls) == 1
    assert len(sentence_calls[0]) == 12  # six sentences, after their title and alone


def test_without_a_query_vector_only_the_lexical_ranking_is_added() -> None:
    out = SentenceReranker(HashEmbeddings()).rerank("ceasefire effect", None, HITS, k=2)
    assert [h.passage_id for h in out][0] in {"a", "c"}
    assert len(out) == 2


def test_sentences_are_embedded_and_matched_after_their_document_title() -> None:
    embeddings = HashEmbeddings()
    reranker = SentenceReranker(embeddings)
    titled_hit = SearchHit(
        "t", "doc", "Qatar mediation", None, "He met them. It went well.", 0, 26, 0.0
    )
    data = reranker.sentence_data([titled_hit])[0]
    assert embeddings.history[-1] == [
        titled("Qatar mediation", "He met them."),
        titled("Qatar mediation", "It went well."),
        "He met them.",
        "It went well.",
    ]
    assert data.texts == ("He met them.", "It went well.")
    assert all("qatar" in tokens for tokens in data.tokens)
    assert titled("", "Alone.") == "Alone."


def test_a_title_word_lifts_the_passage_of_that_document() -> None:
    # The titled rankings alone: the lone sentences are the same text and tie.
    embeddings = HashEmbeddings()
    reranker = SentenceReranker(embeddings, weights=(1.0, 0.5, 2.0, 0.0))
    plain = SearchHit("p", "d1", "Weather report", None, "He met them in spring.", 0, 22, 0.0)
    about = SearchHit("q", "d2", "Qatar mediation", None, "He met them in spring.", 0, 22, 0.0)
    query = "Who met them in Qatar?"
    top = reranker.rerank(query, embeddings.embed_query(query), [plain, about], k=1)
    assert [h.passage_id for h in top] == ["q"]


def test_a_changed_title_is_embedded_again() -> None:
    embeddings = HashEmbeddings()
    reranker = SentenceReranker(embeddings)
    first = hit("a", "One sentence here.")
    renamed = SearchHit("a", "doc", "new title", None, first.text, 0, len(first.text), 0.0)
    reranker.sentence_data([first])
    reranker.sentence_data([first])
    reranker.sentence_data([renamed])
    assert len(embeddings.history) == 2


def test_without_titles_sentences_are_embedded_alone() -> None:
    embeddings = HashEmbeddings()
    reranker = SentenceReranker(embeddings, titles=False)
    titled_hit = SearchHit("t", "doc", "Qatar mediation", None, "He met them.", 0, 12, 0.0)
    data = reranker.sentence_data([titled_hit])[0]
    assert embeddings.history[-1] == ["He met them."]
    assert "qatar" not in data.tokens[0]


def test_lone_sentence_vectors_are_kept_beside_the_titled_ones() -> None:
    embeddings = HashEmbeddings()
    reranker = SentenceReranker(embeddings)
    titled_hit = SearchHit("t", "doc", "Qatar mediation", None, "He met them.", 0, 12, 0.0)
    data = reranker.sentence_data([titled_hit])[0]
    alone = np.asarray(embeddings.embed_query("He met them."))
    assert data.lone_vectors is not None
    assert float(data.lone_vectors[0] @ alone) / float(np.linalg.norm(alone)) > 0.999
    assert float(data.vectors[0] @ data.lone_vectors[0]) < 0.999


def test_an_untitled_passage_is_embedded_once_and_reuses_its_vectors() -> None:
    embeddings = HashEmbeddings()
    reranker = SentenceReranker(embeddings)
    bare = SearchHit("b", "doc", "", None, "He met them. It went well.", 0, 26, 0.0)
    data = reranker.sentence_data([bare])[0]
    assert embeddings.history[-1] == ["He met them.", "It went well."]
    assert data.lone_vectors is not None
    assert np.array_equal(data.lone_vectors, data.vectors)


def test_a_zero_lone_weight_skips_the_lone_vectors() -> None:
    embeddings = HashEmbeddings()
    reranker = SentenceReranker(embeddings, weights=(1.0, 0.5, 2.0, 0.0))
    data = reranker.sentence_data([HITS[0]])[0]
    assert embeddings.history[-1] == [titled("title", t) for t in data.texts]
    assert data.lone_vectors is None
    assert SentenceReranker(embeddings, weights=(1.0, 0.5, 2.0)).weights == [1.0, 0.5, 2.0, 0.0]
