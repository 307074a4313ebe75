"""Property: search returns exactly the messages that contain the query, newest first, up to the limit.

Checked against a brute-force scan over random small corpora of Chinese, ASCII (both cases), full-width
forms, punctuation that means something to FTS5, and emoji, with queries cut from the corpus (so they
match) or made up (so they mostly do not), through every path: global, one conversation scanned, one
conversation through the index.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from unittest import mock

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.store import LocalStore, search
from desktop.store.search import normalise_query
from desktop.store.text import find_spans, fold
from tests.store.factories import T0, msg

ALPHABET = "退款申请单发货了吗好的亲在你aAbBzZ09 ，,\"'*-^():ＡＢｚ😊❤️"
texts = st.text(alphabet=ALPHABET, min_size=1, max_size=12)
corpora = st.lists(
    st.tuples(texts, st.integers(0, 15), st.sampled_from(["c1", "c2"])), min_size=1, max_size=14
)


@st.composite
def corpus_and_query(draw: st.DrawFn) -> tuple[list[tuple[str, int, str]], str]:
    corpus = draw(corpora)
    if draw(st.booleans()):
        text = draw(st.sampled_from(corpus))[0]
        start = draw(st.integers(0, len(text) - 1))
        end = draw(st.integers(start + 1, min(len(text), start + 6)))
        return corpus, text[start:end]
    return corpus, draw(st.text(alphabet=ALPHABET, min_size=1, max_size=6))


def brute_force(
    corpus: list[tuple[str, int, str]], query: str, limit: int, conversation_id: str | None
) -> list[tuple[str, list[tuple[int, int]]]]:
    needle = normalise_query(query)
    if not needle:
        return []
    matching = [
        (at, n, f"m{n}", find_spans(fold(text), needle))
        for n, (text, at, cid) in enumerate(corpus)
        if needle in fold(text) and conversation_id in (None, cid)
    ]
    matching.sort(reverse=True)  # newest first; same millisecond: the later arrival first
    return [(mid, spans) for _, _, mid, spans in matching[:limit]]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    case=corpus_and_query(),
    limit=st.integers(1, 6),
    scope=st.sampled_from([None, "c1", "c2"]),
    through_index=st.booleans(),
)
def test_search_matches_a_brute_force_scan(
    case: tuple[list[tuple[str, int, str]], str], limit: int, scope: str | None, through_index: bool
) -> None:
    corpus, query = case
    with tempfile.TemporaryDirectory() as tmp, LocalStore.open(Path(tmp) / "cache.sqlite3") as store:
        store.add_messages(
            [msg(f"m{n}", text, conversation_id=cid, at=T0 + at) for n, (text, at, cid) in enumerate(corpus)]
        )
        scan_max = -1 if through_index else search.SCAN_MAX_MESSAGES
        with mock.patch.object(search, "SCAN_MAX_MESSAGES", scan_max):
            hits = store.search(query, limit=limit, conversation_id=scope)
    assert [(hit.message.id, hit.spans) for hit in hits] == brute_force(corpus, query, limit, scope)
    for hit in hits:
        assert all(fold(hit.text[a:b]) == normalise_query(query) for a, b in hit.spans)
