"""Decisions over the build's links: keys by content, every edit, replay after a rebuild."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from review_helpers import NAME, Built

from bitext.review.model import AlignmentState, Conflict, ReviewError, sentence_keys
from bitext.review.workbench import Workbench
from bitext.types import AlignedPair, Alignment


def small() -> AlignmentState:
    """en first, as the build's JSONL writes it; shown zh | en."""
    pairs = (
        AlignedPair(("E0",), ("Z0",), 0.9, "1", (0,), (0,)),
        AlignedPair(("E1", "E2"), ("Z1", "Z2"), 0.4, "1", (1, 2), (1, 2)),
        AlignedPair(("E3",), ("Z3",), 0.2, "2", (3,), (3,)),
        AlignedPair(("E4",), (), 0.1, "2", (4,), ()),
    )
    return AlignmentState.from_alignment("d", Alignment("en", "zh", pairs))


def shapes(state: AlignmentState) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    return [(link.left, link.right) for link in state.links]


def test_chinese_is_shown_on_the_left_and_keys_are_by_content() -> None:
    state = small()
    assert state.langs == ("zh", "en")
    assert state.texts["zh"] == ["Z0", "Z1", "Z2", "Z3"]
    again = small()
    assert [link.key for link in state.links] == [link.key for link in again.links]


def test_repeated_sentences_get_keys_of_their_own() -> None:
    keys = sentence_keys("en", ["Amen.", "Go.", "Amen."])
    assert len(set(keys)) == 3 and keys[0].endswith("#0") and keys[2].endswith("#1")


def test_join_split_move_detach() -> None:
    state = small()
    state.apply("join", {"link": state.links[0].key})
    assert shapes(state)[0] == ((0, 1, 2), (0, 1, 2))
    assert state.links[0].status == "changed"
    state.apply("split", {"link": state.links[0].key, "cut": [1, 1]})
    assert shapes(state)[:2] == [((0,), (0,)), ((1, 2), (1, 2))]
    # the last Chinese sentence of link 1 belongs to the next link
    state.apply("move", {"link": state.links[1].key, "side": "zh", "to": "next"})
    assert shapes(state)[1:3] == [((1,), (1, 2)), ((2, 3), (3,))]
    # and back to the previous link
    state.apply("move", {"link": state.links[2].key, "side": "zh", "to": "prev"})
    assert shapes(state)[1:3] == [((1, 2), (1, 2)), ((3,), (3,))]
    key = state.keys["en"][2]
    state.apply("detach", {"link": state.links[1].key, "side": "en", "sentence": key})
    assert shapes(state)[1:3] == [((1, 2), (1,)), ((), (2,))]


def test_default_split_cut_follows_the_text_proportions() -> None:
    en = ("short.", "a much longer second sentence here.")
    zh = ("短。", "长得多的第二个句子在这里。")
    pairs = (AlignedPair(en, zh, 0.3, "1", (0, 1), (0, 1)),)
    state = AlignmentState.from_alignment("d", Alignment("en", "zh", pairs))
    assert state.default_cut(0) == (1, 1)


def test_bad_edits_change_nothing() -> None:
    state = small()
    before = shapes(state)
    with pytest.raises(ReviewError):
        state.apply("join", {"link": state.links[-1].key})  # nothing after the last
    with pytest.raises(ReviewError):
        state.apply("split", {"link": state.links[0].key, "cut": [0, 0]})
    with pytest.raises(ReviewError):
        state.apply("move", {"link": state.links[0].key, "side": "zh", "to": "prev"})
    with pytest.raises(ReviewError):
        state.apply("text", {"link": state.links[0].key, "side": "zh",
                             "sentence": state.keys["zh"][0], "text": "  "})
    with pytest.raises(Conflict):
        state.apply("accept", {"link": "no-such-link"})
    with pytest.raises(ReviewError):
        state.apply("rm -rf", {})
    assert shapes(state) == before


def test_version_check_refuses_a_stale_edit() -> None:
    state = small()
    link = state.links[0]
    state.check(link.key, 0)
    state.apply("accept", {"link": link.key})
    with pytest.raises(Conflict, match="another tab"):
        state.check(link.key, 0)


def test_text_fix_keeps_the_original_and_the_key() -> None:
    state = small()
    key = state.links[0].key
    state.apply("text", {"link": key, "side": "en", "sentence": state.keys["en"][0],
                         "text": "E0 fixed"})
    row = state.link_dict(0)
    assert row["right"][0]["text"] == "E0 fixed" and row["right"][0]["original"] == "E0"
    assert row["key"] == key and row["status"] == "changed"


def test_decisions_survive_a_rebuild(built: Built, tmp_path: Path) -> None:
    bench = Workbench(built.out, "ann")
    state = bench.alignment(NAME)
    first = state.links[3]
    bench.edit_link(NAME, "accept", {"link": first.key}, 0)
    bench.edit_link(NAME, "join", {"link": state.links[5].key}, None)
    shape_after = [(link.left, link.right, link.status) for link in state.links]
    bench.close()
    # A rebuild writes the same files again: here, the same links in a fresh folder
    # with the database carried over.
    rebuilt = tmp_path / "rebuilt"
    shutil.copytree(built.out, rebuilt)
    again = Workbench(rebuilt, "bob").alignment(NAME)
    assert [(link.left, link.right, link.status) for link in again.links] == shape_after
    assert again.stale == 0


def test_decisions_on_changed_text_go_stale_not_elsewhere(built: Built) -> None:
    bench = Workbench(built.out, "ann")
    state = bench.alignment(NAME)
    target = state.links[3]
    bench.edit_link(NAME, "accept", {"link": target.key}, 0)
    words = {state.texts["en"][i] for i in target.right}
    bench.close()
    jsonl = built.out / f"{NAME}.jsonl"
    rows = [json.loads(x) for x in jsonl.read_text(encoding="utf-8").splitlines()]
    for row in rows:
        if set(row["en"]) == words:
            row["en"] = [s + " (revised)" for s in row["en"]]
    jsonl.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                     encoding="utf-8")
    again = Workbench(built.out, "ann").alignment(NAME)
    assert again.stale == 1
    assert not any(link.reviewed for link in again.links)


def test_reviewed_up_to_here_marks_the_links_read_through() -> None:
    state = small()
    state.apply("accept", {"link": state.links[1].key})
    state.apply("reviewed", {"link": state.links[2].key})
    # Read through to link 2: link 0 and 2 are reviewed, the accepted one stays
    # accepted, and link 3 (after the mark) is still to review.
    assert [link.status for link in state.links] == [
        "reviewed", "accepted", "reviewed", "unreviewed"]
    assert state.counts()["remaining"] == 1
    assert state.queue_next() == 3
    # An edit of a read-through link makes it changed; withdrawing puts it back.
    state.apply("unaccept", {"link": state.links[0].key})
    assert state.links[0].status == "unreviewed"
    state.apply("join", {"link": state.links[2].key})
    assert [link.status for link in state.links] == ["unreviewed", "accepted", "changed"]
    with pytest.raises(Conflict):
        state.apply("reviewed", {"link": "no-such-link"})


def test_a_typed_terms_frequency_is_counted_once_per_memory(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A term the reviewer typed is counted in the memory (GlossaryState.freq) for
    every entry the page lists, on every request: the memory is scanned once per
    term, and counted again only when the state is given another memory."""
    from bitext.languages import terms
    from bitext.review.model import GlossaryState

    scanned: list[str] = []
    real = terms.term_spans

    def counting(text: str, *args: object, **kwargs: object) -> object:
        scanned.append(text)
        return real(text, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(terms, "term_spans", counting)
    state = GlossaryState("d", ("zh", "en"), {}, [],
                          memory={"en": ["The Member States met.", "Member States agreed."]})
    assert state.freq("Member States", "en") == 2 and len(scanned) == 2
    assert state.freq("Member States", "en") == 2 and len(scanned) == 2  # not scanned again
    assert state.freq("States", "en") == 2 and len(scanned) == 4  # another term is
    state.memory = {"en": ["Member States agreed."]}
    assert state.freq("Member States", "en") == 1  # another memory: counted in it
