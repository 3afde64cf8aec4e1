"""The reviewed state of one document: the build's output plus the decisions replayed.

Decisions name what they change by *content*, never by position:

* a sentence by its **sentence key**, a hash of its language and original text
  plus its occurrence number among identical sentences of that language
  (``"zh:3f2a...#0"``), so a repeated sentence still has a key of its own;
* a link by its **link key**, a hash of the sentence keys on both sides.

Rebuilding the same documents gives the same keys, so the decisions apply
again; a decision whose link no longer exists (the documents changed) is
counted as *stale* and skipped, never applied somewhere else.

Each link also carries a ``version`` that every decision touching it raises.
A client sends the version it saw; if the link has moved on (another tab,
another reviewer), the edit is refused with :class:`Conflict` instead of
overwriting what the client never saw (optimistic concurrency).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from bitext.errors import BitextError
from bitext.glossary.model import Concept, Example, Term
from bitext.types import Alignment

LINK_OPS = ("accept", "unaccept", "reviewed", "join", "split", "move", "detach", "text")
TERM_OPS = ("status", "edit", "add_variant", "remove_variant", "merge", "note")
TERM_STATUSES = ("candidate", "accepted", "rejected")


def _marks(text: str, terms: Iterable[str], lang: str) -> list[list[int]]:
    """Where ``text`` holds one of ``terms`` in a form the glossary counts as the
    term (:func:`~bitext.languages.terms.term_spans`), as ``[start, end]`` in the
    page's string units: UTF-16 code units, two for a character outside the BMP."""
    from bitext.languages.terms import term_spans

    spans = term_spans(text, terms, lang)
    if all(ord(c) < 0x10000 for c in text):
        return [[a, b] for a, b in spans]
    units = [0]
    for c in text:
        units.append(units[-1] + (2 if ord(c) >= 0x10000 else 1))
    return [[units[a], units[b]] for a, b in spans]


class ReviewError(BitextError):
    """A decision that cannot apply (wrong arguments, nothing to join...). HTTP 400."""


class Conflict(ReviewError):
    """The link or concept changed since the client loaded it. HTTP 409."""


def _digest(text: str, size: int = 8) -> str:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=size).hexdigest()


# The form of each key the page sends back (from _digest's 8 bytes, in hex): a
# value of another form is a client's mistake (400), not a link or concept
# edited away meanwhile (409, which tells the reviewer to reload).
KEY_FORMS = {
    "link": re.compile(r"[0-9a-f]{16}"),  # link_key
    "sentence": re.compile(r"[A-Za-z0-9-]+:[0-9a-f]{16}#[0-9]+"),  # sentence_keys
    "concept": re.compile(r"[0-9a-f]{16}(-[1-9][0-9]*)?"),  # GlossaryState.from_concepts
}


def check_key(payload: dict[str, Any], field: str, form: str, *, required: bool) -> None:
    """Raise :class:`ReviewError` (a bad request) when ``payload[field]`` is not
    a key of ``form`` (:data:`KEY_FORMS`); an absent optional field passes."""
    value = payload.get(field)
    if value is None and not required:
        return
    if not (isinstance(value, str) and KEY_FORMS[form].fullmatch(value)):
        raise ReviewError(f"{field} must be a {form} key as the page sends it, got "
                          f"{json.dumps(value)[:40]}")


def sentence_keys(lang: str, texts: Sequence[str]) -> list[str]:
    """Content keys of a document's sentences, in order (see the module docstring)."""
    seen: dict[str, int] = {}
    keys = []
    for text in texts:
        h = _digest(f"{lang}\x00{text}")
        n = seen.get(h, 0)
        seen[h] = n + 1
        keys.append(f"{lang}:{h}#{n}")
    return keys


def link_key(left: Iterable[str], right: Iterable[str]) -> str:
    """The key of a link from the sentence keys of its two sides."""
    return _digest(" ".join(left) + "|" + " ".join(right))


def display_order(lang1: str, lang2: str) -> tuple[str, str]:
    """Which language is shown on the left: the non-English one when exactly one
    side is English (the UN translates from English; reviewers read the
    translation against it, zh | en)."""
    if lang1.split("-")[0] == "en" and lang2.split("-")[0] != "en":
        return lang2, lang1
    return lang1, lang2


@dataclass
class Link:
    """One link of the working alignment. ``left``/``right`` are sentence indices."""

    left: tuple[int, ...]
    right: tuple[int, ...]
    score: float
    label: str
    key: str
    version: int = 0
    reviewed: bool = False  # accepted or changed by a reviewer
    changed: bool = False
    read: bool = False  # read through ("reviewed up to here") without a decision of its own
    reviewer: str = ""  # who made the last decision on this link, and when (ISO 8601)
    at: str = ""

    @property
    def shape(self) -> str:
        return f"{len(self.left)}-{len(self.right)}"

    @property
    def one_sided(self) -> bool:
        """A link with an empty side (1-0, 0-1): a sentence with no counterpart."""
        return not self.left or not self.right

    @property
    def status(self) -> str:
        """The TMX ``x-status`` prop: ``changed`` (edited by a reviewer), ``accepted``
        (accepted as aligned, link by link), ``reviewed`` (read through by a reviewer
        who marked a stretch of the document as reviewed, with no objection) or
        ``unreviewed``."""
        if self.changed:
            return "changed"
        if self.reviewed:
            return "accepted"
        return "reviewed" if self.read else "unreviewed"

    @property
    def done(self) -> bool:
        """Whether a reviewer has seen this link (any status but ``unreviewed``)."""
        return self.reviewed or self.read


@dataclass
class AlignmentState:
    """A document's sentence alignment with the decisions applied.

    ``langs`` is (left, right) in display order; ``texts[lang]`` the current text
    of every sentence (fixed typos included), ``originals[lang]`` the text the
    build wrote, ``keys[lang]`` the sentence keys.
    """

    doc: str
    langs: tuple[str, str]
    texts: dict[str, list[str]]
    originals: dict[str, list[str]]
    keys: dict[str, list[str]]
    links: list[Link]
    signature: dict[str, str] = field(default_factory=dict)
    doc_id: str = ""
    source_langs: tuple[str, str] = ("", "")
    stale: int = 0
    _index: dict[str, int] = field(default_factory=dict)
    _skey: dict[str, dict[str, int]] = field(default_factory=dict)

    # -- construction ----------------------------------------------------------

    @classmethod
    def from_alignment(cls, doc: str, alignment: Alignment) -> AlignmentState:
        """The state before any decision, from the build's sentence links."""
        left, right = display_order(alignment.src_lang, alignment.tgt_lang)
        swap = left != alignment.src_lang
        texts: dict[str, dict[int, str]] = {left: {}, right: {}}
        spans: list[tuple[tuple[int, ...], tuple[int, ...], float, str]] = []
        next_free = {left: 0, right: 0}
        for pair in alignment.pairs:
            sides = ((pair.tgt, pair.tgt_ids), (pair.src, pair.src_ids)) if swap else (
                (pair.src, pair.src_ids), (pair.tgt, pair.tgt_ids))
            idx: list[tuple[int, ...]] = []
            for lang, (sentences, ids) in zip((left, right), sides, strict=True):
                # Files without indices (or with the wrong number) get running ones.
                if len(ids) != len(sentences):
                    ids = tuple(range(next_free[lang], next_free[lang] + len(sentences)))
                side = texts[lang]
                for i, text in zip(ids, sentences, strict=True):
                    side[i] = text
                if ids:
                    next_free[lang] = max(next_free[lang], max(ids) + 1)
                idx.append(ids)
            spans.append((idx[0], idx[1], pair.score, pair.label))
        lists: dict[str, list[str]] = {}
        remap: dict[str, dict[int, int] | None] = {}
        for lang, side in texts.items():
            order = sorted(side)
            lists[lang] = [side[i] for i in order]
            # Compact the indices to 0..n-1 in order (a build may skip empty
            # sentences); the usual file needs no remapping.
            remap[lang] = None if order == list(range(len(order))) else {
                old: new for new, old in enumerate(order)}
        keys = {lang: sentence_keys(lang, lists[lang]) for lang in lists}
        lkeys, rkeys = keys[left], keys[right]
        lmap, rmap = remap[left], remap[right]
        links = []
        for a, b, score, label in spans:
            la = a if lmap is None else tuple(lmap[i] for i in a)
            lb = b if rmap is None else tuple(rmap[i] for i in b)
            if not la and not lb:
                continue
            links.append(Link(la, lb, score, label,
                              link_key([lkeys[i] for i in la], [rkeys[i] for i in lb])))
        state = cls(doc, (left, right), {k: list(v) for k, v in lists.items()}, lists, keys,
                    links, dict(alignment.signature), alignment.doc_id,
                    (alignment.src_lang, alignment.tgt_lang))
        state._reindex()
        state._skey = {lang: {k: i for i, k in enumerate(keys[lang])} for lang in keys}
        return state

    def clone(self) -> AlignmentState:
        """A copy to apply decisions to; the sentence keys and original texts, which
        never change, are shared."""
        links = [Link(x.left, x.right, x.score, x.label, x.key, x.version, x.reviewed,
                      x.changed, x.read, x.reviewer, x.at) for x in self.links]
        state = AlignmentState(self.doc, self.langs,
                               {k: list(v) for k, v in self.texts.items()}, self.originals,
                               self.keys, links, dict(self.signature), self.doc_id,
                               self.source_langs)
        state._index = dict(self._index)
        state._skey = self._skey
        return state

    def _reindex(self) -> None:
        self._index = {link.key: n for n, link in enumerate(self.links)}

    def _make(self, left: Sequence[int], right: Sequence[int], template: Link) -> Link:
        l_lang, r_lang = self.langs
        key = link_key((self.keys[l_lang][i] for i in left), (self.keys[r_lang][i] for i in right))
        return Link(tuple(left), tuple(right), 1.0, template.label, key,
                    version=template.version + 1, reviewed=True, changed=True)

    # -- queries ---------------------------------------------------------------

    def position(self, key: str) -> int:
        """Where the link with this key is now; :class:`Conflict` if it is gone."""
        pos = self._index.get(key)
        if pos is None:
            raise Conflict("this link was changed meanwhile (in another tab or by another "
                           "reviewer); the view has been reloaded, check it and try again")
        return pos

    def counts(self) -> dict[str, int]:
        reviewed = sum(1 for link in self.links if link.done)
        return {"links": len(self.links), "reviewed": reviewed,
                "remaining": len(self.links) - reviewed, "stale": self.stale}

    def link_dict(self, pos: int) -> dict[str, Any]:
        link = self.links[pos]
        l_lang, r_lang = self.langs

        def side(lang: str, ids: tuple[int, ...]) -> list[dict[str, Any]]:
            return [{"i": i, "key": self.keys[lang][i], "text": self.texts[lang][i],
                     **({"original": self.originals[lang][i]}
                        if self.texts[lang][i] != self.originals[lang][i] else {})}
                    for i in ids]

        return {"pos": pos, "key": link.key, "version": link.version, "label": link.label,
                "score": round(link.score, 4), "status": link.status,
                "reviewer": link.reviewer, "at": link.at,
                "left": side(l_lang, link.left), "right": side(r_lang, link.right)}

    def page(self, offset: int, limit: int) -> list[dict[str, Any]]:
        offset = max(0, min(offset, len(self.links)))
        return [self.link_dict(n) for n in range(offset, min(len(self.links), offset + limit))]

    def queue_next(self, after: str | None = None, backwards: bool = False,
                   below: float | None = None, one_sided: bool = False) -> int | None:
        """The position of the next unreviewed link, lowest confidence first (ties in
        document order), after the link ``after`` in that order (wrapping around);
        None when every link is reviewed, or every link scoring below ``below``,
        or with ``one_sided`` every link with an empty side (1-0, 0-1), which
        may score high: a sentence with no counterpart is a translator's check
        of its own, whatever the aligner thinks of it."""
        order = sorted((link.score, n) for n, link in enumerate(self.links)
                       if (not link.done or link.key == after)
                       and (below is None or link.score < below)
                       and (not one_sided or link.one_sided))
        if not order:
            return None
        if backwards:
            order.reverse()
        start = 0
        if after is not None and after in self._index:
            here = self._index[after]
            mark = (self.links[here].score, here)
            start = next((k + 1 for k, item in enumerate(order) if item == mark), 0)
        # Past the end the queue wraps around to the links skipped on the way.
        for _, pos in order[start:] + order[:start]:
            if not self.links[pos].done and self.links[pos].key != after:
                return pos
        return None

    def unreviewed_below(self, below: float) -> int:
        """How many links scoring below ``below`` are not reviewed yet."""
        return sum(1 for link in self.links if not link.done and link.score < below)

    def unreviewed_one_sided(self) -> int:
        """How many links with an empty side (1-0, 0-1) are not reviewed yet."""
        return sum(1 for link in self.links
                   if not link.done and link.one_sided)

    def search(self, query: str, limit: int = 100) -> list[dict[str, Any]]:
        """Links whose text (either language) contains ``query``, case-insensitively."""
        needle = query.casefold().strip()
        if not needle:
            return []
        hits: list[dict[str, Any]] = []
        l_lang, r_lang = self.langs
        for n, link in enumerate(self.links):
            for lang, ids in ((l_lang, link.left), (r_lang, link.right)):
                text = " ".join(self.texts[lang][i] for i in ids)
                if needle in text.casefold():
                    hits.append({"pos": n, "key": link.key, "lang": lang, "text": text[:300]})
                    break
            if len(hits) >= limit:
                break
        return hits

    # -- decisions -------------------------------------------------------------

    def check(self, key: str, version: int | None) -> int:
        pos = self.position(key)
        if version is not None and self.links[pos].version != version:
            raise Conflict("this link was changed meanwhile (in another tab or by another "
                           "reviewer); the view has been reloaded, check it and try again")
        return pos

    def apply(self, op: str, payload: dict[str, Any], reviewer: str = "", at: str = ""
              ) -> list[int]:
        """Apply one decision made by ``reviewer`` at ``at``; returns the positions of
        the links it produced.

        Raises :class:`Conflict` when the link it names is gone, :class:`ReviewError`
        when it cannot apply. Nothing changes when it raises.
        """
        handler: Callable[[dict[str, Any]], list[int]] | None = getattr(self, f"_op_{op}", None)
        if op not in LINK_OPS or handler is None:
            raise ReviewError(f"unknown alignment operation {op!r}")
        positions = handler(payload)
        for pos in positions:
            self.links[pos].reviewer, self.links[pos].at = reviewer, at
        return positions

    def _side(self, payload: dict[str, Any]) -> str:
        lang = payload.get("side")
        if lang not in self.langs:
            raise ReviewError(f"side must be one of {', '.join(self.langs)}")
        return str(lang)

    def _op_accept(self, p: dict[str, Any]) -> list[int]:
        pos = self.position(str(p.get("link")))
        link = self.links[pos]
        link.reviewed = True
        link.version += 1
        return [pos]

    def _op_unaccept(self, p: dict[str, Any]) -> list[int]:
        pos = self.position(str(p.get("link")))
        link = self.links[pos]
        link.reviewed = link.changed
        link.read = False
        link.version += 1
        return [pos]

    def _op_reviewed(self, p: dict[str, Any]) -> list[int]:
        """Reviewed up to here: every link from the start of the document to this one
        that no reviewer has seen becomes ``reviewed`` (a translator reads the
        document through, fixing what is wrong, and marks what was read)."""
        pos = self.position(str(p.get("link")))
        marked = []
        for n in range(pos + 1):
            link = self.links[n]
            if not link.done:
                link.read = True
                link.version += 1
                marked.append(n)
        return marked

    def _op_join(self, p: dict[str, Any]) -> list[int]:
        pos = self.position(str(p.get("link")))
        if pos + 1 >= len(self.links):
            raise ReviewError("the last link has no next link to join with")
        first, second = self.links[pos], self.links[pos + 1]
        if p.get("next") not in (None, second.key):
            raise Conflict("the next link changed meanwhile; reload and try again")
        joined = self._make(first.left + second.left, first.right + second.right, first)
        joined.version = max(first.version, second.version) + 1
        self.links[pos:pos + 2] = [joined]
        self._reindex()
        return [pos]

    def default_cut(self, pos: int) -> tuple[int, int]:
        """Where to split a link when the reviewer gives no cut: the cut whose two
        halves keep the closest proportion of text on both sides (in characters),
        preferring cuts that leave a sentence on both sides of both halves."""
        link = self.links[pos]
        l_lang, r_lang = self.langs
        a = [len(self.texts[l_lang][i]) for i in link.left]
        b = [len(self.texts[r_lang][i]) for i in link.right]
        best: tuple[tuple[int, float], tuple[int, int]] | None = None
        for i in range(len(a) + 1):
            for j in range(len(b) + 1):
                if (i + j == 0) or (i == len(a) and j == len(b)):
                    continue
                lopsided = int(not (0 < i < len(a) or not a)) + int(not (0 < j < len(b) or not b))
                fa = sum(a[:i]) / max(1, sum(a))
                fb = sum(b[:j]) / max(1, sum(b))
                cost = (lopsided, abs(fa - fb))
                if best is None or cost < best[0]:
                    best = (cost, (i, j))
        if best is None:
            raise ReviewError("a link with one sentence cannot be split")
        return best[1]

    def _op_split(self, p: dict[str, Any]) -> list[int]:
        pos = self.position(str(p.get("link")))
        link = self.links[pos]
        cut = p.get("cut")
        if cut is None:
            i, j = self.default_cut(pos)
        else:
            try:
                i, j = int(cut[0]), int(cut[1])
            except (TypeError, ValueError, OverflowError, IndexError, KeyError) as err:
                raise ReviewError("cut must be two numbers [left, right]") from err
        if not (0 <= i <= len(link.left) and 0 <= j <= len(link.right)):
            raise ReviewError(f"cut [{i}, {j}] is outside the link ({link.shape})")
        if i + j == 0 or (i == len(link.left) and j == len(link.right)):
            raise ReviewError("that cut leaves one half empty; choose a cut inside the link")
        one = self._make(link.left[:i], link.right[:j], link)
        two = self._make(link.left[i:], link.right[j:], link)
        self.links[pos:pos + 1] = [one, two]
        self._reindex()
        return [pos, pos + 1]

    def _op_move(self, p: dict[str, Any]) -> list[int]:
        pos = self.position(str(p.get("link")))
        lang = self._side(p)
        direction = p.get("to")
        if direction not in ("prev", "next"):
            raise ReviewError("to must be 'prev' or 'next'")
        other = pos - 1 if direction == "prev" else pos + 1
        if not 0 <= other < len(self.links):
            raise ReviewError(f"there is no {'previous' if direction == 'prev' else 'next'} "
                              "link to move the sentence to")
        if p.get("neighbour") not in (None, self.links[other].key):
            raise Conflict("the neighbouring link changed meanwhile; reload and try again")
        link, near = self.links[pos], self.links[other]
        is_left = lang == self.langs[0]
        ids = link.left if is_left else link.right
        if not ids:
            raise ReviewError(f"this link has no {lang} sentence to move")
        moved = ids[0] if direction == "prev" else ids[-1]
        rest = ids[1:] if direction == "prev" else ids[:-1]
        near_ids = near.left if is_left else near.right
        near_new = (*near_ids, moved) if direction == "prev" else (moved, *near_ids)
        if is_left:
            new_link = self._make(rest, link.right, link)
            new_near = self._make(near_new, near.right, near)
        else:
            new_link = self._make(link.left, rest, link)
            new_near = self._make(near.left, near_new, near)
        lo = min(pos, other)
        pair = [new_near, new_link] if direction == "prev" else [new_link, new_near]
        pair = [x for x in pair if x.left or x.right]
        self.links[lo:lo + 2] = pair
        self._reindex()
        return list(range(lo, lo + len(pair)))

    def _op_detach(self, p: dict[str, Any]) -> list[int]:
        """A sentence with no counterpart: it becomes a link of its own (1-0 or 0-1)."""
        pos = self.position(str(p.get("link")))
        lang = self._side(p)
        link = self.links[pos]
        is_left = lang == self.langs[0]
        ids = link.left if is_left else link.right
        other_ids = link.right if is_left else link.left
        try:
            index = self._skey[lang][str(p.get("sentence"))]
        except KeyError as err:
            raise Conflict("that sentence is not in this link any more; reload") from err
        if index not in ids:
            raise Conflict("that sentence is not in this link any more; reload")
        if len(ids) == 1 and not other_ids:
            raise ReviewError("this sentence has no counterpart already")
        alone = self._make((index,), (), link) if is_left else self._make((), (index,), link)
        rest_ids = tuple(i for i in ids if i != index)
        rest = self._make(rest_ids, other_ids, link) if is_left else self._make(
            other_ids, rest_ids, link)
        if ids[0] == index:
            new = [alone, rest]
        elif ids[-1] == index:
            new = [rest, alone]
        else:
            # From the middle: the link splits around it, each half keeping the
            # other side's sentences in proportion is a guess; keep them whole
            # before, as the reviewer can move them with one key.
            cut = ids.index(index)
            before = ids[:cut]
            after = ids[cut + 1:]
            one = (self._make(before, other_ids, link) if is_left
                   else self._make(other_ids, before, link))
            two = self._make(after, (), link) if is_left else self._make((), after, link)
            new = [one, alone, two]
        new = [x for x in new if x.left or x.right]
        self.links[pos:pos + 1] = new
        self._reindex()
        return list(range(pos, pos + len(new)))

    def _op_text(self, p: dict[str, Any]) -> list[int]:
        lang = self._side(p)
        try:
            index = self._skey[lang][str(p.get("sentence"))]
        except KeyError as err:
            raise Conflict("that sentence is not in the document any more; reload") from err
        text = p.get("text")
        if not isinstance(text, str) or not text.strip():
            raise ReviewError("the corrected text is empty; mark the sentence as having no "
                              "counterpart instead")
        if "\n" in text or "\r" in text:
            raise ReviewError("a sentence cannot hold a line break")
        pos = self.position(str(p.get("link")))
        link = self.links[pos]
        if index not in (link.left if lang == self.langs[0] else link.right):
            raise Conflict("that sentence is not in this link any more; reload")
        self.texts[lang][index] = text.strip()
        link.changed = True
        link.reviewed = True
        link.version += 1
        return [pos]


# -- glossary ------------------------------------------------------------------


@dataclass
class TermEntry:
    """One concept of the glossary under review.

    ``terms[lang]`` is the current term list, preferred first; ``proposed[lang]``
    the preferred term the extractor proposed. ``status`` is ``candidate``,
    ``accepted``, ``rejected`` or ``merged`` (folded into ``merged_into``).
    """

    key: str
    rank: int
    concept: Concept
    terms: dict[str, list[str]]
    proposed: dict[str, str]
    examples: list[tuple[str, str, str]]
    status: str = "candidate"
    note: str = ""
    merged_into: str | None = None
    merged_from: list[str] = field(default_factory=list)
    edited: set[str] = field(default_factory=set)
    version: int = 0
    reviewer: str = ""
    decided_at: str = ""


@dataclass
class GlossaryState:
    """A document's glossary with the decisions applied; ``order`` is by rank score."""

    doc: str
    langs: tuple[str, str]
    entries: dict[str, TermEntry]
    order: list[str]
    stale: int = 0
    # The document's sentences as the build wrote them (``memory[lang]``, keyed
    # by base language code), where a term the reviewer typed is counted as the
    # glossary counts a term (term_spans); None counts it 0 (no memory read).
    memory: dict[str, list[str]] | None = None
    # freq's counts, ``(lang, text) -> count``, and the memory they were counted
    # in: the page lists a typed term on every request, and the memory (a whole
    # document) stays the same until another is given.
    _counts: dict[tuple[str, str], int] = field(default_factory=dict, repr=False,
                                                compare=False)
    _counted_in: object = field(default=None, repr=False, compare=False)

    def freq(self, text: str, lang: str) -> int:
        """How often ``text`` occurs in the memory's ``lang`` side: a term typed
        by the reviewer, which the extractor never counted."""
        from bitext.languages.terms import term_spans

        if self._counted_in is not self.memory:
            self._counts, self._counted_in = {}, self.memory
        count = self._counts.get((lang, text))
        if count is None:
            sentences = (self.memory or {}).get(lang.split("-")[0], [])
            count = sum(len(term_spans(s, [text], lang)) for s in sentences)
            self._counts[(lang, text)] = count
        return count

    @classmethod
    def from_concepts(cls, doc: str, concepts: Sequence[Concept]) -> GlossaryState:
        langs = display_order(concepts[0].src_lang, concepts[0].tgt_lang) if concepts else (
            "zh", "en")
        ranked = sorted(enumerate(concepts), key=lambda nc: (-nc[1].rank_score, nc[0]))
        entries: dict[str, TermEntry] = {}
        order = []
        for rank, (_, concept) in enumerate(ranked, start=1):
            terms = {lang: [t.text for t in concept.terms_in(lang)] for lang in langs}
            base = _digest("\x00".join(terms[lang][0] if terms[lang] else "" for lang in langs))
            key, n = base, 1
            while key in entries:
                key, n = f"{base}-{n}", n + 1
            src_is_left = concept.src_lang.split("-")[0] == langs[0].split("-")[0]
            examples = [(e.src, e.tgt, e.label) if src_is_left else (e.tgt, e.src, e.label)
                        for e in concept.examples]
            entries[key] = TermEntry(key, rank, concept, terms,
                                     {lang: (terms[lang][0] if terms[lang] else "")
                                      for lang in langs}, examples)
            order.append(key)
        return cls(doc, langs, entries, order)

    def counts(self) -> dict[str, int]:
        statuses = [e.status for e in self.entries.values() if e.status != "merged"]
        return {"concepts": len(statuses),
                "accepted": statuses.count("accepted"),
                "rejected": statuses.count("rejected"),
                "remaining": statuses.count("candidate"),
                "stale": self.stale}

    def entry_dict(self, entry: TermEntry) -> dict[str, Any]:
        c = entry.concept
        freq = {(t.lang.split("-")[0], t.text): t.freq for t in c.terms}
        for merged in entry.merged_from:  # a merged concept's terms keep their counts
            for t in self.entries[merged].concept.terms:
                freq.setdefault((t.lang.split("-")[0], t.text), t.freq)
        return {
            "key": entry.key, "rank": entry.rank, "version": entry.version,
            "status": entry.status, "note": entry.note, "kind": c.kind,
            "score": round(c.score, 4), "rank_score": round(c.rank_score, 4),
            "cooc": c.cooc,
            "terms": {lang: [{"text": t, "freq": freq[(lang.split("-")[0], t)]
                              if (lang.split("-")[0], t) in freq else self.freq(t, lang)}
                             for t in entry.terms[lang]]
                      for lang in self.langs},
            "proposed": entry.proposed,
            "edited": sorted(entry.edited),
            "merged_from": [self.entries[k].proposed for k in entry.merged_from],
            "examples": [{"left": a, "right": b, "label": label,
                          "marks": {"left": _marks(a, entry.terms[self.langs[0]], self.langs[0]),
                                    "right": _marks(b, entry.terms[self.langs[1]],
                                                    self.langs[1])}}
                         for a, b, label in entry.examples[:8]],
            "reviewer": entry.reviewer, "decided_at": entry.decided_at,
        }

    def listing(self, *, status: str | None, query: str, offset: int, limit: int
                ) -> tuple[int, list[dict[str, Any]]]:
        if status and status not in TERM_STATUSES:
            raise ReviewError(f"status filter {status!r}: give one of "
                              f"{', '.join(TERM_STATUSES)}, or none for all")
        needle = query.casefold().strip()
        out = []
        for key in self.order:
            entry = self.entries[key]
            if entry.status == "merged":
                continue
            if status and entry.status != status:
                continue
            if needle and not any(needle in t.casefold()
                                  for terms in entry.terms.values() for t in terms):
                continue
            out.append(entry)
        return len(out), [self.entry_dict(e) for e in out[offset:offset + limit]]

    def check(self, key: str, version: int | None) -> TermEntry:
        entry = self.entries.get(key)
        if entry is None or entry.status == "merged":
            raise Conflict("this concept was changed meanwhile (merged, or the glossary was "
                           "rebuilt); reload")
        if version is not None and entry.version != version:
            raise Conflict("this concept was changed meanwhile (in another tab or by another "
                           "reviewer); the view has been reloaded, check it and try again")
        return entry

    def apply(self, op: str, p: dict[str, Any], reviewer: str = "", at: str = "") -> TermEntry:
        """Apply one decision; returns the entry it changed. Nothing changes on error."""
        if op not in TERM_OPS:
            raise ReviewError(f"unknown glossary operation {op!r}")
        entry = self.check(str(p.get("concept")), None)
        lang = str(p.get("lang", ""))
        if op in ("edit", "add_variant", "remove_variant") and lang not in self.langs:
            raise ReviewError(f"lang must be one of {', '.join(self.langs)}")
        raw = p.get("text", "")
        if op in ("edit", "add_variant", "remove_variant", "note") and not isinstance(raw, str):
            raise ReviewError("text must be a string")
        text = str(raw).strip() if op == "note" else " ".join(str(raw).split())
        if op == "status":
            if p.get("status") not in TERM_STATUSES:
                raise ReviewError(f"status must be one of {', '.join(TERM_STATUSES)}")
            entry.status = str(p["status"])
        elif op == "edit":
            if not text:
                raise ReviewError("a term cannot be empty; reject the concept instead")
            terms = entry.terms[lang]
            if text in terms[1:]:
                terms.remove(text)
            if terms:
                terms[0] = text
            else:
                terms.append(text)
            entry.edited.add(lang)
        elif op == "add_variant":
            if not text:
                raise ReviewError("a variant cannot be empty")
            if text in entry.terms[lang]:
                raise ReviewError(f"{text!r} is already a term of this concept")
            entry.terms[lang].append(text)
        elif op == "remove_variant":
            if text not in entry.terms[lang][1:]:
                raise ReviewError(f"{text!r} is not a variant of this concept "
                                  "(the preferred term can be edited, not removed)")
            entry.terms[lang].remove(text)
        elif op == "note":
            entry.note = text
        elif op == "merge":
            into = self.check(str(p.get("into")), None)
            if into.key == entry.key:
                raise ReviewError("a concept cannot be merged into itself")
            for lg in self.langs:
                for t in entry.terms[lg]:
                    if t not in into.terms[lg]:
                        into.terms[lg].append(t)
            into.examples.extend(x for x in entry.examples if x not in into.examples)
            into.merged_from.append(entry.key)
            into.version += 1
            entry.status = "merged"
            entry.merged_into = into.key
        entry.version += 1
        entry.reviewer, entry.decided_at = reviewer, at
        return entry

    def exported(self) -> list[tuple[TermEntry, Concept]]:
        """Every live entry with its concept rebuilt from the decisions, in rank order."""
        out = []
        for key in self.order:
            entry = self.entries[key]
            if entry.status == "merged":
                continue
            c = entry.concept
            old = {(t.lang.split("-")[0], t.text): t for t in c.terms}
            for merged in entry.merged_from:
                for t in self.entries[merged].concept.terms:
                    old.setdefault((t.lang.split("-")[0], t.text), t)
            lang_codes = {lang.split("-")[0]: next((t.lang for t in c.terms
                                                    if t.lang.split("-")[0] == lang.split("-")[0]),
                                                   lang)
                          for lang in self.langs}
            terms = []
            for lang in (c.src_lang, c.tgt_lang):
                base = lang.split("-")[0]
                view_lang = next((lg for lg in self.langs if lg.split("-")[0] == base), lang)
                for k, text in enumerate(entry.terms.get(view_lang, [])):
                    template = old.get((base, text))
                    if template is not None:
                        terms.append(replace(template, term_type=(
                            template.term_type if k == 0 or template.term_type != "fullForm"
                            else "variant")))
                    else:
                        terms.append(Term(text, lang_codes.get(base, lang),
                                          "fullForm" if k == 0 else "variant",
                                          freq=self.freq(text, view_lang)))
            examples = tuple(
                Example(a, b, label) if c.src_lang.split("-")[0] == self.langs[0].split("-")[0]
                else Example(b, a, label) for a, b, label in entry.examples)
            out.append((entry, replace(c, terms=tuple(terms), examples=examples)))
        return out
