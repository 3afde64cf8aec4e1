// bitext review: the page. Plain JavaScript, no build step.
// Every document text reaches the page through textContent (never innerHTML),
// so markup in a segment is shown as the characters it is.
"use strict";

const CSRF = document.querySelector('meta[name="csrf-token"]').content;
const PAGE = 100;        // links fetched per request while scrolling
const WINDOW = 600;      // most links kept in the page at once (older ones are dropped)
const $ = (id) => document.getElementById(id);
// This page's own id: each decision carries it, so that `u` undoes what this tab
// did, not the reviewer's last change in another tab. A new one per page load
// (sessionStorage is copied into a duplicated tab, which would then share it).
const TAB = Array.from(crypto.getRandomValues(new Uint8Array(8)),
  (b) => b.toString(16).padStart(2, "0")).join("");

function el(tag, cls, text) {
  const node = document.createElement(tag);
  if (cls) node.className = cls;
  if (text !== undefined && text !== null) node.replaceChildren(visible(String(text)));
  return node;
}

// Invisible format characters a text kept (one sentence per line is read as is):
// bidirectional controls, which would reorder the sentence on the screen (a U+202E
// shows the rest backwards), zero-width characters and the BOM, which would hide a
// difference, and the line and paragraph separators. Each is shown as its code
// ("U+202E") in a marked box; the text itself is not changed. The joiners U+200C and
// U+200D are left alone: Arabic and emoji need them to draw letters.
const INVISIBLE = /[\u0085\u061c\u180e\u200b\u200e\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;

function visible(text) {
  const frag = document.createDocumentFragment();
  let pos = 0;
  for (const match of text.matchAll(INVISIBLE)) {
    if (match.index > pos) frag.appendChild(document.createTextNode(text.slice(pos, match.index)));
    const code = match[0].codePointAt(0).toString(16).toUpperCase().padStart(4, "0");
    const box = document.createElement("span");
    box.className = "invisible";
    box.textContent = "U+" + code;
    box.title = "an invisible character in the text (U+" + code + ")";
    frag.appendChild(box);
    pos = match.index + match[0].length;
  }
  if (pos < text.length) frag.appendChild(document.createTextNode(text.slice(pos)));
  return frag;
}

const S = {
  doc: null, view: "align", docs: [],
  langs: ["zh", "en"], dirs: {}, total: 0, start: 0, rows: [], focus: 0, sel: null, loading: false,
  queueAt: null, searchFrom: null, belowLeft: null, oneSidedLeft: null,
  queries: { align: "", terms: "" },  // each view's own search: one never filters the other
  terms: [], termsTotal: 0, termFocus: 0, termLangs: ["zh", "en"], moreTerms: null,
};

// -- messages and requests ------------------------------------------------------

let messageTimer = null;
function say(text, kind) {
  const box = $("message");
  box.textContent = text;
  box.className = kind || "info";
  clearTimeout(messageTimer);
  if (kind !== "conflict" && kind !== "error" && kind !== "warning") {
    messageTimer = setTimeout(() => { box.textContent = ""; box.className = ""; }, 4000);
  }
}

async function get(path, params) {
  const query = new URLSearchParams(params || {});
  const response = await fetch(path + "?" + query.toString(), { credentials: "same-origin" });
  const data = await response.json();
  if (!response.ok) throw new Error(data.error || response.statusText);
  return data;
}

class ConflictError extends Error {}

async function post(path, body) {
  const response = await fetch(path, {
    method: "POST", credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRF-Token": CSRF },
    body: JSON.stringify(Object.assign({ reviewer: $("reviewer").value, tab: TAB }, body)),
  });
  const data = await response.json();
  if (response.status === 409) throw new ConflictError(data.error);
  if (!response.ok) throw new Error(data.error || response.statusText);
  return data;
}

async function guarded(action) {
  try {
    return await action();
  } catch (err) {
    if (err instanceof ConflictError) {
      say("Not saved: " + err.message, "conflict");
      await reload();
    } else {
      say(err.message, "error");
    }
    return null;
  }
}

function setCounts(counts) {
  if (!counts) return;
  const box = $("counts");
  if (S.view === "align") {
    const below = $("queue-below").value.trim();
    box.textContent = `${counts.reviewed} reviewed · ${counts.remaining} remaining of ${counts.links} links` +
      (below && S.belowLeft !== null ? ` · ${S.belowLeft} below ${below} to review` : "") +
      ($("queue-one-sided").checked && S.oneSidedLeft !== null
        ? ` · ${S.oneSidedLeft} one-sided to review` : "") +
      (counts.stale ? ` · ${counts.stale} old decisions no longer apply` : "");
  } else {
    // A list narrowed by the search or the status filter says so: the counts are
    // of every concept, and a reviewer took the few shown for all of them.
    const narrowed = [];
    if ($("search").value.trim()) narrowed.push(`search “${$("search").value.trim()}”`);
    if ($("status-filter").value) narrowed.push($("status-filter").selectedOptions[0].textContent);
    box.textContent = `${counts.accepted} accepted · ${counts.rejected} rejected · ${counts.remaining} to decide of ${counts.concepts}` +
      (narrowed.length ? ` · ${S.termsTotal} shown (${narrowed.join(", ")})` : "") +
      (counts.stale ? ` · ${counts.stale} old decisions no longer apply` : "");
  }
}

// -- alignment view ---------------------------------------------------------------

function shade(score) {
  // Hue from red (0) to green (120) with the confidence: no threshold of our own.
  const s = Math.max(0, Math.min(1, Number(score) || 0));
  return `hsl(${Math.round(s * 120)}, 70%, 45%)`;
}

// A node holding text of one language: its lang, and its writing direction from
// the server (the language layer's), so Arabic is laid out right to left.
function setLang(node, lang) {
  node.lang = lang;
  node.dir = S.dirs[lang] || "auto";
  return node;
}

function renderSide(link, sideIndex) {
  const lang = S.langs[sideIndex];
  const cell = setLang(el("div", "cell " + (sideIndex === 0 ? "left" : "right")), lang);
  const sentences = sideIndex === 0 ? link.left : link.right;
  if (!sentences.length) cell.appendChild(el("span", "empty", "(no counterpart)"));
  sentences.forEach((s, k) => {
    const span = el("span", "sent", s.text);
    span.dataset.side = lang;
    span.dataset.k = String(k);
    if (s.original !== undefined) {
      span.classList.add("fixed");
      span.title = "original: " + s.original;
    }
    if (S.sel && S.sel.pos === link.pos && S.sel.side === lang && S.sel.k === k) {
      span.classList.add("selected");
    }
    cell.appendChild(span);
  });
  return cell;
}

function renderLink(link, previous) {
  const frag = document.createDocumentFragment();
  if (!previous || previous.label !== link.label) {
    const para = el("div", "para");
    para.appendChild(el("span", "label", link.label ? "¶ " + link.label : "¶"));
    frag.appendChild(para);
  }
  const row = el("div", "link status-" + link.status);
  row.dataset.pos = String(link.pos);
  row.style.setProperty("--conf", shade(link.score));
  row.appendChild(renderSide(link, 0));
  row.appendChild(renderSide(link, 1));
  const meta = el("div", "meta");
  meta.appendChild(el("span", "score", link.score.toFixed(2)));
  meta.appendChild(el("span", "shape", `${link.left.length}-${link.right.length}`));
  meta.appendChild(el("span", "status", link.status === "unreviewed" ? "" : link.status));
  if (link.reviewer || link.at) meta.title = `${link.reviewer} ${link.at}`.trim();
  row.appendChild(meta);
  if (link.pos === S.focus) row.classList.add("focus");
  row.addEventListener("click", (event) => {
    const target = event.target.closest(".sent");
    S.focus = link.pos;
    S.sel = target ? { pos: link.pos, side: target.dataset.side, k: Number(target.dataset.k) } : null;
    renderLinks();
  });
  frag.appendChild(row);
  return frag;
}

// The reviewer's place (the link and the concept in focus) for each document, kept
// for the tab (sessionStorage): a reload, or a tab the browser restores, comes
// back to it instead of the first link. The concept is a position in the list
// the glossary showed, so the status filter and the search that list was loaded
// with are kept too: without them the position names another concept.
function placeKey() { return "bitext-place:" + S.doc; }

function savedPlace() {
  try { return JSON.parse(sessionStorage.getItem(placeKey())) || {}; } catch (err) { return {}; }
}

function remember() {
  if (S.doc === null) return;
  try {
    sessionStorage.setItem(placeKey(), JSON.stringify({
      align: S.focus, terms: S.termFocus, filter: S.termsFilter, query: S.termsQuery }));
  } catch (err) { /* storage full or refused: only the place is lost */ }
}

function renderLinks() {
  remember();
  const box = $("links");
  const frag = document.createDocumentFragment();
  let previous = null;
  for (const link of S.rows) {
    frag.appendChild(renderLink(link, previous));
    previous = link;
  }
  box.replaceChildren(frag);
  const focused = box.querySelector(".link.focus");
  if (focused) focused.scrollIntoView({ block: "nearest" });
}

async function loadWindow(start, count) {
  start = Math.max(0, start);
  const data = await get("/api/links", { doc: S.doc, offset: start, limit: count });
  S.langs = data.langs; Object.assign(S.dirs, data.dirs || {}); S.total = data.total; S.start = data.offset; S.rows = data.links;
  setCounts(data.counts);
}

async function reload() {
  if (S.view === "align") {
    await loadWindow(S.start, Math.max(PAGE, S.rows.length));
    S.focus = Math.min(S.focus, Math.max(0, S.total - 1));
    S.sel = null;
    renderLinks();
  } else {
    await loadTerms(false);
  }
}

async function jumpTo(pos) {
  if (pos === null || pos === undefined) return;
  if (pos < S.start || pos >= S.start + S.rows.length) {
    await loadWindow(pos - 20, PAGE * 2);
  }
  S.focus = pos; S.sel = null;
  renderLinks();
}

async function extend(down) {
  if (S.loading) return;
  const box = $("links");
  if (down && S.start + S.rows.length >= S.total) return;
  if (!down && S.start === 0) return;
  S.loading = true;
  try {
    const offset = down ? S.start + S.rows.length : Math.max(0, S.start - PAGE);
    const limit = down ? PAGE : S.start - offset;
    const data = await get("/api/links", { doc: S.doc, offset, limit });
    const before = box.scrollHeight;
    if (down) {
      S.rows = S.rows.concat(data.links);
      if (S.rows.length > WINDOW) {
        const drop = S.rows.length - WINDOW;
        const firstKept = box.querySelector(`.link[data-pos="${S.start + drop}"]`);
        const shift = firstKept ? firstKept.offsetTop - box.firstElementChild.offsetTop : 0;
        S.rows = S.rows.slice(drop); S.start += drop;
        renderLinksKeepScroll(-shift);
      } else {
        renderLinksKeepScroll(0);
      }
    } else {
      S.rows = data.links.concat(S.rows); S.start = offset;
      if (S.rows.length > WINDOW) S.rows = S.rows.slice(0, WINDOW);
      renderLinksKeepScroll(null, before);
    }
  } finally {
    S.loading = false;
  }
}

function renderLinksKeepScroll(shift, heightBefore) {
  const box = $("links");
  const top = box.scrollTop;
  const frag = document.createDocumentFragment();
  let previous = null;
  for (const link of S.rows) { frag.appendChild(renderLink(link, previous)); previous = link; }
  box.replaceChildren(frag);
  if (shift !== null && shift !== undefined) box.scrollTop = top + shift;
  else box.scrollTop = top + (box.scrollHeight - heightBefore);
}

function focusedLink() {
  return S.rows[S.focus - S.start] || null;
}

async function editLink(op, extra) {
  const link = focusedLink();
  if (!link) return;
  const result = await guarded(() => post("/api/links/edit",
    Object.assign({ doc: S.doc, op, link: link.key, version: link.version }, extra || {})));
  if (!result) return null;
  setCounts(result.counts);
  if (op === "accept" || op === "unaccept" || op === "text") {
    for (const changed of result.links) S.rows[changed.pos - S.start] = changed;
    renderLinks();
  } else if (op === "reviewed") {
    // Positions do not move: reload the window shown, keep the focus.
    await loadWindow(S.start, Math.max(PAGE, S.rows.length));
    renderLinks();
    say(`${result.marked} link(s) marked reviewed up to here.`);
  } else {
    S.sel = null;
    await loadWindow(S.start, Math.max(PAGE, S.rows.length));
    S.focus = result.links.length ? result.links[0].pos : S.focus;
    renderLinks();
  }
  return result;
}

function selectedSentence() {
  const link = focusedLink();
  if (!link || !S.sel || S.sel.pos !== link.pos) {
    say("Select a sentence first: h / l (or click it).", "error");
    return null;
  }
  const list = S.sel.side === S.langs[0] ? link.left : link.right;
  const sentence = list[S.sel.k];
  if (!sentence) return null;
  return { link, side: S.sel.side, k: S.sel.k, count: list.length, sentence };
}

function cycleSentence(step) {
  const link = focusedLink();
  if (!link) return;
  const all = [];
  link.left.forEach((_, k) => all.push({ side: S.langs[0], k }));
  link.right.forEach((_, k) => all.push({ side: S.langs[1], k }));
  if (!all.length) return;
  let index = -1;
  if (S.sel && S.sel.pos === link.pos) {
    index = all.findIndex((s) => s.side === S.sel.side && s.k === S.sel.k);
  }
  index = (index + step + all.length) % all.length;
  S.sel = Object.assign({ pos: link.pos }, all[index]);
  renderLinks();
}

async function moveSentence(to) {
  const chosen = selectedSentence();
  if (!chosen) return;
  if (to === "prev" && chosen.k !== 0) { say("Only the first sentence of a side can move to the previous link.", "error"); return; }
  if (to === "next" && chosen.k !== chosen.count - 1) { say("Only the last sentence of a side can move to the next link.", "error"); return; }
  const neighbour = S.rows[chosen.link.pos - S.start + (to === "prev" ? -1 : 1)];
  await editLink("move", { side: chosen.side, to, neighbour: neighbour ? neighbour.key : undefined });
}

async function detachSentence() {
  const chosen = selectedSentence();
  if (!chosen) return;
  await editLink("detach", { side: chosen.side, sentence: sentenceKey(chosen) });
}

function sentenceKey(chosen) {
  return chosen.sentence.key;
}

async function fixText() {
  const chosen = selectedSentence();
  if (!chosen) return;
  const hint = chosen.sentence.original !== undefined ? "Original: " + chosen.sentence.original : "";
  const text = await ask(`Correct the ${chosen.side} sentence (the original is kept in the history)`, chosen.sentence.text, hint);
  if (text === null || text === chosen.sentence.text) return;
  await editLink("text", { side: chosen.side, sentence: chosen.sentence.key, text });
}

async function splitLink() {
  // With a sentence selected, the link splits before it on its side (after it if it
  // is the first), and the other side where the text proportion matches; without,
  // the server picks the cut whose proportions match best on both sides.
  const link = focusedLink();
  if (!link) return;
  if (!S.sel || S.sel.pos !== link.pos) { await editLink("split"); return; }
  const mine = S.sel.side === S.langs[0] ? link.left : link.right;
  const other = S.sel.side === S.langs[0] ? link.right : link.left;
  const cutMine = S.sel.k > 0 ? S.sel.k : 1;
  const size = (list, n) => list.slice(0, n).reduce((sum, s) => sum + s.text.length, 0);
  const share = size(mine, cutMine) / Math.max(1, size(mine, mine.length));
  let cutOther = 0;
  let best = Infinity;
  for (let j = 0; j <= other.length; j++) {
    const diff = Math.abs(size(other, j) / Math.max(1, size(other, other.length)) - share);
    if (diff < best) { best = diff; cutOther = j; }
  }
  const cut = S.sel.side === S.langs[0] ? [cutMine, cutOther] : [cutOther, cutMine];
  await editLink("split", { cut });
}

async function queueStep(backwards) {
  // The queue has a cursor of its own (the link it last showed), so moving
  // around with j/k does not lose the place in the queue.
  const below = $("queue-below").value.trim();
  const oneSided = $("queue-one-sided").checked;
  const data = await guarded(() => get("/api/queue",
    { doc: S.doc, after: S.queueAt || "", dir: backwards ? "prev" : "next", below,
      ...(oneSided ? { one_sided: "1" } : {}) }));
  if (!data) return;
  S.belowLeft = below ? data.below_left : null;
  S.oneSidedLeft = oneSided ? data.one_sided_left : null;
  setCounts(data.counts);
  if (data.pos === null) {
    say(oneSided ? `No link with an empty side (1-0, 0-1) left${below ? ` below ${below}` : ""} to review (0 for every link).`
      : below ? `Nothing left below ${below}: every link under it is reviewed (empty the box, b, for the rest).`
      : "Nothing left in the queue: every link is reviewed.", "info");
    return;
  }
  await jumpTo(data.pos);
  const link = focusedLink();
  S.queueAt = link ? link.key : null;
}

// The one-sided queue (key 0, or its box): a sentence with no counterpart is a
// check of its own, and such a link may score high, so the confidence queue
// reaches it late. Switching starts the queue again from its lowest link.
function toggleOneSided(fromBox) {
  const box = $("queue-one-sided");
  if (!fromBox) box.checked = !box.checked;
  S.queueAt = null;
  $("links").focus();
  queueStep(false);
}

// Closes the search results (Escape, or their "close" button) and gives the focus
// back to where the user was before searching, as a dialog does when it closes:
// the element the search box took it from, else the links.
function closeResults() {
  const box = $("search-results");
  box.hidden = true;
  const back = S.searchFrom;
  if (back && back.isConnected && !box.contains(back) && back !== $("search")) back.focus();
  // it may refuse it: a button of a dialog closed since (Chromium leaves the focus
  // there a moment after Escape closes the dialog), hidden now
  if (document.activeElement !== back) $("links").focus();
}

async function searchLinks(query) {
  const box = $("search-results");
  if (!query.trim()) { box.hidden = true; return; }
  const data = await guarded(() => get("/api/search", { doc: S.doc, q: query }));
  if (!data) return;
  box.replaceChildren();
  box.hidden = false;
  const head = el("div", "results-head", `${data.hits.length} link(s) contain “${query}”`);
  const close = el("button", "close", "close");
  close.type = "button";
  close.addEventListener("click", closeResults);
  head.appendChild(close);
  box.appendChild(head);
  for (const hit of data.hits) {
    const item = el("button", "hit");
    item.type = "button";
    item.appendChild(el("span", "pos", "#" + (hit.pos + 1)));
    item.appendChild(el("span", "lang", hit.lang));
    item.appendChild(setLang(el("span", "text", hit.text), hit.lang));
    item.addEventListener("click", () => jumpTo(hit.pos));
    box.appendChild(item);
  }
  if (data.hits.length) await jumpTo(data.hits[0].pos);
}

// -- glossary view ----------------------------------------------------------------

// Marks the ranges the server found (an example's "marks": where it holds the
// concept's terms in a form the glossary counts as the term, from the language
// layer's term_spans; [start, end] in this string's UTF-16 units).
function highlight(text, marks) {
  const frag = document.createDocumentFragment();
  let pos = 0;
  for (const [a, b] of marks || []) {
    if (a < pos || b > text.length) continue;
    if (a > pos) frag.appendChild(visible(text.slice(pos, a)));
    frag.appendChild(el("mark", null, text.slice(a, b)));
    pos = b;
  }
  if (pos < text.length) frag.appendChild(visible(text.slice(pos)));
  return frag;
}

function renderConcept(c, index) {
  const card = el("article", "concept status-" + c.status);
  card.dataset.key = c.key;
  if (index === S.termFocus) card.classList.add("focus");
  const head = el("div", "concept-head");
  head.appendChild(el("span", "rank", "#" + c.rank));
  S.termLangs.forEach((lang, side) => {
    const terms = c.terms[lang] || [];
    const box = setLang(el("span", "terms " + (side === 0 ? "left" : "right")), lang);
    terms.forEach((t, k) => {
      const term = el("span", k === 0 ? "term preferred" : "term variant", t.text);
      if (k === 0 && c.edited.includes(lang)) {
        term.classList.add("edited");
        term.title = "proposed: " + c.proposed[lang];
      }
      box.appendChild(term);
      // The count is of the document's text: a form the reviewer typed (a
      // corrected or canonical one) that the text never writes counts 0.
      const count = el("span", "freq", "×" + t.freq);
      count.title = t.freq ? `${t.freq} times in the document`
        : "not in the document as typed: the count is of the document's text";
      box.appendChild(count);
    });
    head.appendChild(box);
  });
  head.appendChild(el("span", "badge", c.status === "candidate" ? "to decide" : c.status));
  head.appendChild(el("span", "score", `score ${c.score.toFixed(2)} · rank ${c.rank_score.toFixed(2)} · together ${c.cooc}`));
  card.appendChild(head);
  if (c.note) card.appendChild(el("p", "note", "Note: " + c.note));
  if (c.merged_from.length) {
    card.appendChild(el("p", "merged", "Merged: " + c.merged_from.map((p) => Object.values(p).join(" / ")).join("; ")));
  }
  const examples = el("div", "examples");
  for (const ex of c.examples) {
    const row = el("div", "example");
    const left = setLang(el("div", "cell left"), S.termLangs[0]);
    left.appendChild(highlight(ex.left, ex.marks && ex.marks.left));
    const right = setLang(el("div", "cell right"), S.termLangs[1]);
    right.appendChild(highlight(ex.right, ex.marks && ex.marks.right));
    row.appendChild(left); row.appendChild(right);
    if (ex.label) row.appendChild(el("span", "label", "¶ " + ex.label));
    examples.appendChild(row);
  }
  card.appendChild(examples);
  card.addEventListener("click", () => { S.termFocus = index; renderTerms(); });
  return card;
}

function renderTerms() {
  remember();
  const box = $("concepts");
  const frag = document.createDocumentFragment();
  S.terms.forEach((c, i) => frag.appendChild(renderConcept(c, i)));
  box.replaceChildren(frag);
  $("more-concepts").hidden = S.terms.length >= S.termsTotal;
  const focused = box.querySelector(".concept.focus");
  if (focused) focused.scrollIntoView({ block: "nearest" });
}

async function loadTerms(more) {
  const params = { doc: S.doc, status: $("status-filter").value, q: $("search").value,
                   offset: more ? S.terms.length : 0,
                   limit: more ? 50 : Math.max(50, S.terms.length, S.termFocus + 1) };
  const data = await guarded(() => get("/api/terms", params));
  if (!data) return;
  S.termsFilter = params.status; S.termsQuery = params.q;  // what the list shows (remember)
  S.termLangs = data.langs; Object.assign(S.dirs, data.dirs || {});
  S.terms = more ? S.terms.concat(data.concepts) : data.concepts;
  S.termsTotal = data.total;
  S.termFocus = Math.min(S.termFocus, Math.max(0, S.terms.length - 1));
  setCounts(data.counts);
  renderTerms();
}

// One load of the next concepts at a time: keys pressed while it runs wait for
// it instead of appending the same concepts twice.
function loadMoreTerms() {
  if (!S.moreTerms) S.moreTerms = loadTerms(true).finally(() => { S.moreTerms = null; });
  return S.moreTerms;
}

async function editTerm(op, extra) {
  if (S.moreTerms) await S.moreTerms;  // a key pressed while the next concepts load acts on them
  const c = S.terms[S.termFocus];
  if (!c) return null;
  const result = await guarded(() => post("/api/terms/edit",
    Object.assign({ doc: S.doc, op, concept: c.key, version: c.version }, extra || {})));
  if (!result) return null;
  setCounts(result.counts);
  if (op === "merge") {
    await loadTerms(false);
  } else {
    const fresh = result.concepts[0];
    const filter = $("status-filter").value;
    S.terms[S.termFocus] = fresh;
    if (filter && fresh.status !== filter) {
      S.terms.splice(S.termFocus, 1);
      S.termsTotal -= 1;
      // the next concept took its place; past the last one loaded, load more
      if (S.termFocus >= S.terms.length && S.terms.length < S.termsTotal) await loadMoreTerms();
      S.termFocus = Math.min(S.termFocus, Math.max(0, S.terms.length - 1));
      setCounts(result.counts);  // the number shown changed
    } else if (op === "status") {
      await nextConcept();  // decided: on to the next concept
      return result;
    }
    renderTerms();
  }
  return result;
}

// The page holds the concepts loaded so far (50 at a time, more on "Show more").
// Moving on from the last of them loads the next ones, so that the keyboard
// reaches every concept (the focus stopped on the 50th).
async function nextConcept() {
  if (S.termFocus >= S.terms.length - 1 && S.terms.length < S.termsTotal) await loadMoreTerms();
  S.termFocus = Math.min(S.terms.length - 1, S.termFocus + 1);
  renderTerms();
}

async function editTermText(side) {
  const c = S.terms[S.termFocus];
  if (!c) return;
  const lang = S.termLangs[side];
  const current = (c.terms[lang] || [])[0];
  const text = await ask(`Correct the ${lang} term`, current ? current.text : "",
    "The extractor proposed: " + (c.proposed[lang] || "(nothing)"));
  if (text !== null && text.trim()) await editTerm("edit", { lang, text });
}

async function addVariant() {
  const c = S.terms[S.termFocus];
  if (!c) return;
  const text = await ask(`Add a variant (start with ${S.termLangs[1]}: to add to the ${S.termLangs[1]} side)`, "",
    `Written as is, it goes to the ${S.termLangs[0]} side; prefix it with “${S.termLangs[1]}:” for the other.`);
  if (text === null || !text.trim()) return;
  let lang = S.termLangs[0];
  let value = text.trim();
  for (const candidate of S.termLangs) {
    if (value.startsWith(candidate + ":")) { lang = candidate; value = value.slice(candidate.length + 1).trim(); }
  }
  if (lang === S.termLangs[0] && /^[\x00-\x7f]+$/.test(value) && /[A-Za-z]/.test(value) && S.termLangs[1].startsWith("en")) {
    lang = S.termLangs[1];  // plain Latin text belongs with the English terms
  }
  await editTerm("add_variant", { lang, text: value });
}

async function removeVariant() {
  const c = S.terms[S.termFocus];
  if (!c) return;
  const variants = [];
  for (const lang of S.termLangs) (c.terms[lang] || []).slice(1).forEach((t) => variants.push({ lang, text: t.text }));
  if (!variants.length) { say("This concept has no variant to remove.", "error"); return; }
  const text = await ask("Remove which variant?", variants[0].text, "Variants: " + variants.map((v) => v.text).join(" | "));
  if (text === null) return;
  const found = variants.find((v) => v.text === text.trim());
  if (!found) { say("That is not one of the variants.", "error"); return; }
  await editTerm("remove_variant", found);
}

async function mergeInto() {
  const c = S.terms[S.termFocus];
  if (!c) return;
  const text = await ask("Merge this concept into the concept with the term:", "", "Type a term of the concept that should keep both (either language).");
  if (text === null || !text.trim()) return;
  const data = await guarded(() => get("/api/terms", { doc: S.doc, q: text.trim(), limit: 50 }));
  if (!data) return;
  const wanted = text.trim().toLowerCase();
  const target = data.concepts.find((x) => x.key !== c.key &&
    Object.values(x.terms).some((ts) => ts.some((t) => t.text.toLowerCase() === wanted))) ||
    data.concepts.find((x) => x.key !== c.key);
  if (!target) { say("No other concept has that term.", "error"); return; }
  await editTerm("merge", { into: target.key });
  say(`Merged into #${target.rank}.`, "info");
}

async function addNote() {
  const c = S.terms[S.termFocus];
  if (!c) return;
  const text = await ask("Note on this concept (for the termbase)", c.note || "", "");
  if (text !== null) await editTerm("note", { text });
}

// -- shared: dialog, undo, export, views ------------------------------------------

function ask(label, value, hint) {
  return new Promise((resolve) => {
    const dialog = $("ask");
    const input = $("ask-input");
    $("ask-label").textContent = label;
    $("ask-hint").textContent = hint || "";
    input.value = value || "";
    input.dataset.initial = input.value;  // what a reload would lose is what changed
    const finish = (result) => {
      dialog.close();
      input.removeEventListener("keydown", onKey);
      $("ask-ok").onclick = null; $("ask-cancel").onclick = null;
      resolve(result);
    };
    const onKey = (event) => {
      // stopPropagation: the page's own keys must not see the key that closed the dialog
      if (event.key === "Enter") { event.preventDefault(); event.stopPropagation(); finish(input.value); }
      if (event.key === "Escape") { event.preventDefault(); event.stopPropagation(); finish(null); }
    };
    input.addEventListener("keydown", onKey);
    $("ask-ok").onclick = () => finish(input.value);
    $("ask-cancel").onclick = () => finish(null);
    dialog.showModal();
    input.focus();
    input.select();
  });
}

// Undoes this reviewer's last change (another reviewer's, made since in another
// tab, stays) and shows what it undid: the focus goes to its link or concept,
// which may be far from where the reviewer is now.
async function undo() {
  const data = await guarded(() => post("/api/undo", { doc: S.doc, view: S.view }));
  if (!data) return;
  const done = data.undone;
  say(!done ? `Nothing of yours (${$("reviewer").value}) to undo.`
    : done.elsewhere ? `Undone: ${done.op} (your last change, made before this page was opened or in another tab).`
      : `Undone: ${done.op}.`, "info");
  S.queueAt = null;  // what was undone is back in the queue, lowest first
  await reload();
  if (!done) return;
  if (S.view === "align" && done.pos !== null && done.pos !== undefined) {
    await jumpTo(done.pos);
  } else if (S.view === "terms" && done.concept) {
    const index = S.terms.findIndex((c) => c.key === done.concept);
    if (index >= 0) { S.termFocus = index; renderTerms(); }
  }
}

async function exportAll() {
  say("Exporting…", "info");
  const data = await guarded(() => post("/api/export", { accepted_only: $("accepted-only").checked }));
  if (!data) return;
  // A warning (files written all the same, but holding nothing) stays until the
  // next message, as an error does: it is what the reviewer must not miss.
  const warnings = data.warnings || [];
  say(`Exported ${data.files.length} files to ${data.folder}: ${data.files.join(", ")}` +
      warnings.map(w => `. Warning: ${w}`).join(""), warnings.length ? "warning" : "info");
}

async function showView(view) {
  S.queries[S.view] = $("search").value;
  S.view = view;
  $("search").value = S.queries[view];
  $("align-view").hidden = view !== "align";
  $("terms-view").hidden = view !== "terms";
  $("tab-align").setAttribute("aria-pressed", String(view === "align"));
  $("tab-terms").setAttribute("aria-pressed", String(view === "terms"));
  const doc = S.docs.find((d) => d.id === S.doc);
  if (view === "terms" && doc && !doc.glossary) {
    $("concepts").replaceChildren(el("p", "empty", "This document has no glossary (the build ran with --no-glossary)."));
    return;
  }
  if (view === "align") {
    await guarded(async () => {
      await loadWindow(S.start, Math.max(PAGE, S.rows.length));
      await jumpTo(Math.min(S.focus, Math.max(0, S.total - 1)));  // loads its window if outside
    });
    $("links").focus();
  } else {
    await loadTerms(false);
    $("concepts").focus();
  }
  location.hash = view;
}

async function openDoc(id) {
  S.doc = id; S.start = 0; S.rows = []; S.sel = null; S.terms = [];
  const place = savedPlace();
  S.focus = Number.isInteger(place.align) && place.align >= 0 ? place.align : 0;
  S.termFocus = Number.isInteger(place.terms) && place.terms >= 0 ? place.terms : 0;
  // the list that position was in (a place kept before they were has neither)
  const filter = $("status-filter");
  if ([...filter.options].some((o) => o.value === place.filter)) filter.value = place.filter;
  if (typeof place.query === "string") {
    S.queries.terms = place.query;
    if (S.view === "terms") $("search").value = place.query;
  }
  S.termsFilter = filter.value;
  S.termsQuery = S.view === "terms" ? $("search").value : S.queries.terms;
  S.queueAt = null;
  $("search-results").hidden = true;
  $("doc").value = id;
  // The address names the document, so a reload (or a bookmark) opens this one,
  // not the first of the folder.
  const address = new URL(location.href);
  address.searchParams.set("doc", id);
  history.replaceState(null, "", address);
  await showView(S.view);
}

// -- keys --------------------------------------------------------------------------

const KEYS = {
  align: [
    ["j / ↓", "next link", ["j", "ArrowDown"], () => jumpTo(Math.min(S.total - 1, S.focus + 1))],
    ["k / ↑", "previous link", ["k", "ArrowUp"], () => jumpTo(Math.max(0, S.focus - 1))],
    ["n", "next in the queue (lowest confidence first, unreviewed)", ["n"], () => queueStep(false)],
    ["p", "previous in the queue", ["p"], () => queueStep(true)],
    ["b", "queue only the links below a confidence (type it, Enter; empty for all)", ["b"], () => { $("queue-below").focus(); $("queue-below").select(); }],
    ["0", "queue only the links with no counterpart on one side (1-0, 0-1), whatever their confidence; again for every link", ["0"], () => toggleOneSided()],
    ["a", "accept the link", ["a"], () => editLink("accept")],
    ["Enter", "accept and go to the next in the queue", ["Enter"], async () => { if (await editLink("accept")) await queueStep(false); }],
    ["Shift+A", "withdraw an acceptance (or a reviewed mark)", ["A"], () => editLink("unaccept")],
    ["Shift+R", "reviewed up to here: mark every link not yet seen from the start to this one as reviewed", ["R"], () => editLink("reviewed")],
    ["m", "join the link with the next one", ["m"], () => editLink("join")],
    ["s", "split an n-m link: before the selected sentence, or where the text proportions match best", ["s"], () => splitLink()],
    ["h / l", "select the previous / next sentence of the link", ["h", "l", "ArrowLeft", "ArrowRight"], (e) => cycleSentence(e.key === "h" || e.key === "ArrowLeft" ? -1 : 1)],
    ["[", "move the selected (first) sentence to the previous link", ["["], () => moveSentence("prev")],
    ["]", "move the selected (last) sentence to the next link", ["]"], () => moveSentence("next")],
    ["x", "the selected sentence has no counterpart", ["x"], () => detachSentence()],
    ["e", "fix a typo in the selected sentence", ["e"], () => fixText()],
    ["u / Ctrl+Z", "undo your last change (another reviewer's stays)", ["u", "z"], () => undo()],
    ["/", "search both languages", ["/"], () => $("search").focus()],
    ["Esc", "close the search results (the focus goes back where it was)", [], () => closeResults()],  // keydown handles it
    ["g", "glossary view", ["g"], () => showView("terms")],
    ["?", "this help", ["?"], () => showHelp()],
  ],
  terms: [
    ["j / ↓", "next concept", ["j", "ArrowDown"], () => nextConcept()],
    ["k / ↑", "previous concept", ["k", "ArrowUp"], () => { S.termFocus = Math.max(0, S.termFocus - 1); renderTerms(); }],
    ["a", "accept the concept (its first terms become preferred)", ["a"], () => editTerm("status", { status: "accepted" })],
    ["r", "reject the concept", ["r"], () => editTerm("status", { status: "rejected" })],
    ["c", "back to undecided", ["c"], () => editTerm("status", { status: "candidate" })],
    ["e / E", "edit the left / right term", ["e", "E"], (e) => editTermText(e.key === "e" ? 0 : 1)],
    ["v", "add a variant", ["v"], () => addVariant()],
    ["d", "remove a variant", ["d"], () => removeVariant()],
    ["M", "merge into another concept", ["M"], () => mergeInto()],
    ["o", "add or change a note", ["o"], () => addNote()],
    ["f", "cycle the status filter", ["f"], () => { const f = $("status-filter"); f.selectedIndex = (f.selectedIndex + 1) % f.options.length; S.termFocus = 0; loadTerms(false); }],
    ["u / Ctrl+Z", "undo your last change (another reviewer's stays)", ["u", "z"], () => undo()],
    ["/", "search the terms", ["/"], () => $("search").focus()],
    ["g", "alignment view", ["g"], () => showView("align")],
    ["?", "this help", ["?"], () => showHelp()],
  ],
};

function showHelp() {
  const box = $("help-keys");
  box.replaceChildren();
  for (const [view, title] of [["align", "Alignment"], ["terms", "Glossary"]]) {
    box.appendChild(el("h3", null, title));
    const table = el("table");
    for (const [keys, what] of KEYS[view]) {
      const row = el("tr");
      const cell = el("td");
      cell.appendChild(el("kbd", null, keys));
      row.appendChild(cell);
      row.appendChild(el("td", null, what));
      table.appendChild(row);
    }
    box.appendChild(table);
  }
  $("help").showModal();
}

function keyHandler(key, event) {
  for (const [, , keys, action] of KEYS[S.view]) {
    if (keys.includes(key)) return () => action(event || { key });
  }
  return null;
}

document.addEventListener("keydown", (event) => {
  if (document.querySelector("dialog[open]")) return;  // a dialog closes on its own Escape first
  if (event.key === "Escape" && S.view === "align" && !$("search-results").hidden) {
    event.preventDefault();
    closeResults();
    return;
  }
  const typing = ["INPUT", "SELECT", "TEXTAREA"].includes(document.activeElement.tagName);
  if (typing) {
    if (event.key === "Escape") document.activeElement.blur();
    return;
  }
  // Enter and Space on a focused button (Export, the tabs, help) press it, as a
  // keyboard user expects: the page's Enter would accept a link instead
  const pressable = ["BUTTON", "SUMMARY", "A"].includes(document.activeElement.tagName);
  if (pressable && (event.key === "Enter" || event.key === " ")) return;
  if (event.altKey || event.metaKey) return;
  if (event.ctrlKey && event.key !== "z") return;
  if (!event.ctrlKey && event.key === "z") return;
  const action = keyHandler(event.key, event);
  if (!action) return;
  event.preventDefault();
  action();
});

// -- start ------------------------------------------------------------------------

// A correction half typed in the dialog is lost by a reload or a closed tab: the
// browser asks first ("leave the page?"), and only then. Every decision made is
// already stored.
window.addEventListener("beforeunload", (event) => {
  const input = $("ask-input");
  if ($("ask").open && input.value !== input.dataset.initial) {
    event.preventDefault();
    event.returnValue = "";
  }
});

async function start() {
  const session = await get("/api/session");
  S.docs = session.documents;
  $("reviewer").value = localStorage.getItem("bitext-reviewer") || session.reviewer || "";
  $("reviewer").addEventListener("change", () => localStorage.setItem("bitext-reviewer", $("reviewer").value));
  const select = $("doc");
  for (const d of S.docs) {
    const option = el("option", null, d.id);
    option.value = d.id;
    select.appendChild(option);
  }
  select.addEventListener("change", () => openDoc(select.value));
  $("tab-align").addEventListener("click", () => showView("align"));
  $("tab-terms").addEventListener("click", () => showView("terms"));
  $("help-button").addEventListener("click", showHelp);
  $("help-close").addEventListener("click", () => $("help").close());
  $("export").addEventListener("click", exportAll);
  $("status-filter").addEventListener("change", () => { S.termFocus = 0; loadTerms(false); });
  $("more-concepts").addEventListener("click", () => loadMoreTerms());
  // where the focus was before the search box took it, for closeResults
  $("search").addEventListener("focus", (event) => { S.searchFrom = event.relatedTarget; });
  $("queue-one-sided").addEventListener("change", () => toggleOneSided(true));
  $("queue-below").addEventListener("keydown", (event) => {
    if (event.key !== "Enter") return;
    event.preventDefault();
    event.stopPropagation();  // the Enter that set it must not also accept a link
    S.queueAt = null;
    $("links").focus();
    queueStep(false);
  });
  $("search").addEventListener("keydown", (event) => {
    if (event.key !== "Enter") return;
    event.preventDefault();
    event.stopPropagation();  // the Enter that searched must not also accept a link
    if (S.view === "align") searchLinks($("search").value);
    else { S.termFocus = 0; loadTerms(false); }
    event.target.blur();
  });
  for (const button of document.querySelectorAll(".toolbar button[data-key]")) {
    button.addEventListener("click", () => {
      const action = keyHandler(button.dataset.key, { key: button.dataset.key });
      if (action) action();
    });
  }
  $("links").addEventListener("scroll", () => {
    const box = $("links");
    if (box.scrollTop + box.clientHeight > box.scrollHeight - 800) extend(true);
    else if (box.scrollTop < 400) extend(false);
  });
  S.view = location.hash === "#terms" ? "terms" : "align";
  // The address may name a document by an id an earlier version gave it (an
  // old bookmark), or one this review does not hold: the first is opened then,
  // and the reviewer told which was asked for.
  const asked = new URLSearchParams(location.search).get("doc");
  const found = asked ? S.docs.find((d) => d.id === asked || (d.aliases || []).includes(asked)) : null;
  await openDoc(found ? found.id : S.docs[0].id);
  if (asked && !found) {
    say(`The address names the document ${asked}, which this review does not hold (built again elsewhere, ` +
        `or renamed): showing ${S.docs[0].id}. Choose a document in the list.`, "error");
  }
  document.body.dataset.ready = "true";
}

start().catch((err) => say(err.message, "error"));
