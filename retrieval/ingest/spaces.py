"""Repairing vector spaces: re-embed on a recipe change, fill an extra space's gaps."""

from __future__ import annotations

import logging
from collections.abc import Mapping

from retrieval.ingest.pipeline import Indexer
from retrieval.records import Passage
from retrieval.stores.chroma import PRIMARY_SPACE

log = logging.getLogger(__name__)


def reconcile_spaces(indexer: Indexer, passages: Mapping[str, Passage]) -> None:
    """Bring every space in line with its model and the stored passages.

    A space whose recipe changed is re-embedded in full (stored passages are kept, so
    uploaded documents survive a model change); an extra space that missed writes
    while it was not configured gets the missing passages and loses the stale ones.
    """
    store = indexer.store
    for space in indexer.spaces:
        stored, wanted = store.recipe(space), indexer.recipe(space)
        if stored != wanted:
            if passages:
                log.warning(
                    "space %r: recipe %s -> %s, re-embedding %d passages",
                    space or "primary",
                    stored,
                    wanted,
                    len(passages),
                )
                if space != PRIMARY_SPACE:
                    store.clear_space(space)
                indexer.embed_and_store(list(passages.values()), False, [space])
            store.set_recipe(wanted, space)
        elif space != PRIMARY_SPACE:
            present = store.space_ids(space)
            missing = [p for pid, p in passages.items() if pid not in present]
            if missing:
                indexer.embed_and_store(missing, False, [space])
            store.delete_from_space(space, sorted(present - passages.keys()))
