"""_free_counts: occurrences of a linked term outside a longer linked term's,
checked against the definition on random spans (one segment holding thousands of
occurrences, as a memory unit of a whole document does, must not be quadratic)."""

from __future__ import annotations

import random

from bitext.glossary.candidates import _Entry, _Occ
from bitext.glossary.link import _free_counts


def _by_definition(items: list[tuple[str, list[str]]], entries: dict[str, _Entry],
                   containers: list[tuple[str, list[str]]] | None = None) -> dict[str, int]:
    spans = [(o.seg, o.start, o.end, rep) for rep, keys in (items if containers is None
                                                            else containers)
             for k in keys for o in entries[k].occs]
    return {rep: sum(not any(seg == o.seg and s <= o.start and o.end <= e
                             and e - s > o.end - o.start and other != rep
                             for seg, s, e, other in spans)
                     for k in keys for o in entries[k].occs)
            for rep, keys in items}


def test_free_counts_match_the_definition() -> None:
    rng = random.Random(7)
    for _ in range(200):
        entries: dict[str, _Entry] = {}
        items: list[tuple[str, list[str]]] = []
        for r in range(rng.randint(1, 5)):
            keys = []
            for k in range(rng.randint(1, 3)):
                key = f"r{r}k{k}"
                occs = []
                for _ in range(rng.randint(0, 8)):
                    start = rng.randint(0, 12)
                    occs.append(_Occ(rng.randint(0, 2), start, start + rng.randint(1, 6)))
                entries[key] = _Entry(key, occs)
                keys.append(key)
            items.append((f"rep{r}", keys))
        assert _free_counts(items, entries) == _by_definition(items, entries)
        # only some classes contain: the others' spans take no occurrence
        some = [item for item in items if rng.random() < 0.5]
        assert _free_counts(items, entries, some) == _by_definition(items, entries, some)


def test_one_segment_with_many_occurrences() -> None:
    n = 20_000  # quadratic, this was 4 * 10^8 comparisons
    entries = {"a": _Entry("a", [_Occ(0, 10 * i, 10 * i + 2) for i in range(n)]),
               "b": _Entry("b", [_Occ(0, 10 * i, 10 * i + 5) for i in range(0, n, 2)])}
    free = _free_counts([("a", ["a"]), ("b", ["b"])], entries)
    assert free == {"a": n // 2, "b": n // 2}


def test_a_class_that_is_no_container_takes_no_occurrence() -> None:
    """A longer linked term left out of the containers (a pair no cut keeps,
    rank.make_concepts) does not make the occurrence inside it unfree."""
    entries = {"a": _Entry("a", [_Occ(0, 5, 8), _Occ(1, 0, 3)]),
               "b": _Entry("b", [_Occ(0, 0, 8)])}
    items = [("a", ["a"]), ("b", ["b"])]
    assert _free_counts(items, entries) == {"a": 1, "b": 1}
    assert _free_counts(items, entries, [("a", ["a"])]) == {"a": 2, "b": 1}
