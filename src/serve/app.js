// gazette's search page. Everything shown comes from the JSON API and is put on the page as
// text nodes (never parsed as HTML), so a story titled "<script>" shows as those characters.
// The URL holds the whole state: a search can be bookmarked, shared and gone back to.
"use strict";

const PER_PAGE = 10;
const $ = (id) => document.getElementById(id);

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") node.className = v;
    else if (k === "on") for (const [ev, fn] of Object.entries(v)) node.addEventListener(ev, fn);
    else node.setAttribute(k, v);
  }
  for (const c of children) if (c != null) node.append(c);
  return node;
}

// ---- state <-> URL ----
function readState() {
  const p = new URLSearchParams(location.search);
  return {
    q: p.get("q") || "",
    since: p.get("since") || "",
    until: p.get("until") || "",
    section: p.get("section") || "",
    persons: p.getAll("person"),
    site: p.get("site") || "",
    sort: p.get("sort") === "date" ? "date" : "relevance",
    page: Math.max(1, parseInt(p.get("page") || "1", 10) || 1),
  };
}

function stateParams(s) {
  const p = new URLSearchParams();
  if (s.q) p.set("q", s.q);
  if (s.since) p.set("since", s.since);
  if (s.until) p.set("until", s.until);
  if (s.section) p.set("section", s.section);
  for (const person of s.persons) p.append("person", person);
  if (s.site) p.set("site", s.site);
  if (s.sort !== "relevance") p.set("sort", s.sort);
  return p;
}

function hasSearch(s) {
  return !!(s.q || s.since || s.until || s.section || s.persons.length || s.site);
}

function go(change) {
  const s = Object.assign(readState(), { page: 1 }, change);
  const p = stateParams(s);
  if (s.page > 1) p.set("page", String(s.page));
  const qs = p.toString();
  history.pushState(null, "", "/" + (qs ? "?" + qs : ""));
  show();
}

// ---- results ----
let generation = 0;

async function runSearch(s) {
  const mine = ++generation;
  const p = stateParams(s);
  p.set("n", String(PER_PAGE));
  p.set("offset", String((s.page - 1) * PER_PAGE));
  p.set("facets", "1");
  p.set("timeline", "1");
  $("status").className = "status";
  $("status").textContent = "Searching…";
  let body;
  try {
    const resp = await fetch("/api/search?" + p.toString());
    body = await resp.json();
    if (!resp.ok) throw new Error(body.error || resp.statusText);
    // a repeat answered from the server's cache: its took_ms is the original search's
    body.cached = resp.headers.get("x-gazette-cache") === "hit";
  } catch (e) {
    if (mine !== generation) return;
    $("status").className = "status error";
    $("status").textContent = "Error: " + e.message;
    $("hits").replaceChildren();
    $("facets").replaceChildren();
    $("pager").replaceChildren();
    $("timeline").hidden = true;
    return;
  }
  if (mine !== generation) return; // a newer search was started meanwhile
  renderResults(s, body);
}

function marked(text, highlights) {
  // highlights are [start, end) offsets in characters (code points).
  const chars = Array.from(text);
  const frag = document.createDocumentFragment();
  let at = 0;
  for (const [start, end] of highlights) {
    if (start < at || end > chars.length) continue;
    frag.append(chars.slice(at, start).join(""));
    frag.append(el("mark", {}, chars.slice(start, end).join("")));
    at = end;
  }
  frag.append(chars.slice(at).join(""));
  return frag;
}

function docLink(path, q, index) {
  const p = new URLSearchParams({ path });
  if (q) p.set("q", q);
  // over several indexes a path is unique only within its index
  if (index != null) p.set("index", String(index));
  return "/doc?" + p.toString();
}

function linkButton(label, title, onclick, data) {
  const b = el("button", { type: "button", title, on: { click: onclick } }, label);
  if (data) b.dataset.facet = data;
  return b;
}

function renderResults(s, r) {
  const total = r.total_exact ? r.total.toLocaleString() : "more than " + r.total.toLocaleString();
  const first = (s.page - 1) * PER_PAGE + 1;
  const took = r.cached ? "cached" : `${r.took_ms.toFixed(1)} ms`;
  const status = r.hits.length
    ? `${first}–${first + r.hits.length - 1} of ${total} stories · ${took}`
    : `No stories found (${took})`;
  $("status").textContent = status + (r.warnings && r.warnings.length ? " · " + r.warnings.join("; ") : "");
  const list = r.hits.map((h) => {
    const meta = el("div", { class: "meta" });
    if (h.date) meta.append(el("time", { datetime: h.date }, h.date));
    if (h.section) meta.append(linkButton(h.section, "Only this section", () => go({ section: h.section }), "section"));
    const site = siteOf(h);
    if (site) meta.append(linkButton(site, "Only this site", () => go({ site }), "site"));
    if (h.byline.length) meta.append(el("span", {}, "By " + h.byline.join(", ")));
    const item = el("li", { class: "hit" },
      el("h2", {}, el("a", { href: docLink(h.path, s.q, h.index) }, h.title || h.path)),
      meta,
      el("p", { class: "snippet" }, marked(h.snippet, h.highlights)));
    if (h.copies_total) item.append(copiesOf(h, s));
    if (h.people.length) {
      const people = el("div", { class: "people" }, "People: ");
      for (const name of h.people.slice(0, 8)) {
        people.append(linkButton(name, "Only stories naming " + name,
          () => go({ persons: readState().persons.concat([name]) }), "person"));
      }
      item.append(people);
    }
    return item;
  });
  $("hits").replaceChildren(...list);
  renderPager(s, r);
  renderFacets(r.facets);
  renderTimeline(r.timeline || []);
}

// "also on N other pages: site, site …" under a collapsed hit; the listed copies open
// like hits.
function copiesOf(h, s) {
  const n = h.copies_total;
  const sites = h.copy_sites || [];
  let text = `also on ${n.toLocaleString()} other page${n === 1 ? "" : "s"}`;
  if (sites.length) text += ": " + sites.slice(0, 5).join(", ") + (sites.length > 5 ? " …" : "");
  if (!h.copies.length) return el("div", { class: "copies" }, text);
  const list = el("ul", {}, ...h.copies.map((c) =>
    el("li", {}, el("a", { href: docLink(c.path, s.q, h.index) }, c.site || c.path),
      c.date ? " · " + c.date : "")));
  return el("details", { class: "copies" }, el("summary", {}, text), list);
}

function siteOf(h) {
  if (!h.url) return "";
  try { return new URL(h.url).hostname.replace(/^www\./, ""); } catch (_) { return ""; }
}

function renderPager(s, r) {
  const pages = Math.ceil(r.total / PER_PAGE);
  const prev = el("button", { type: "button", class: "prev", on: { click: () => go({ page: s.page - 1 }) } }, "← Previous");
  const next = el("button", { type: "button", class: "next", on: { click: () => go({ page: s.page + 1 }) } }, "Next →");
  prev.disabled = s.page <= 1;
  next.disabled = s.page * PER_PAGE >= r.total || s.page * PER_PAGE >= 10000;
  const label = el("span", {}, `Page ${s.page}` + (r.total_exact ? ` of ${Math.max(pages, 1)}` : ""));
  $("pager").replaceChildren(...(r.total > PER_PAGE || s.page > 1 ? [prev, label, next] : []));
}

function renderFacets(f) {
  const box = $("facets");
  box.replaceChildren();
  if (!f) return;
  const group = (title, rows, pick, kind) => {
    if (!rows.length) return;
    box.append(el("h3", {}, title));
    box.append(el("ul", {}, ...rows.map(([value, n]) =>
      el("li", {}, linkButton(value, "Narrow to " + value, () => pick(value), kind), el("span", {}, n.toLocaleString())))));
  };
  group("Section", f.section, (v) => go({ section: v }), "section");
  group("People", f.people, (v) => go({ persons: readState().persons.concat([v]) }), "person");
  group("Year", f.year, (y) => go({ since: `${y}-01-01`, until: `${y}-12-31` }), "year");
}

// ---- timeline: inline SVG bars from the server's histogram of every match ----
const SVG = "http://www.w3.org/2000/svg";

function svg(tag, attrs, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text != null) node.textContent = text;
  return node;
}

function periodRange(period) {
  if (period.length === 4) return [`${period}-01-01`, `${period}-12-31`];
  const [y, m] = period.split("-").map(Number);
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return [`${period}-01`, `${period}-${String(last).padStart(2, "0")}`];
}

function renderTimeline(bars) {
  const fig = $("timeline");
  if (!bars.length) { fig.hidden = true; fig.replaceChildren(); return; }
  const W = 1000, H = 120, top = 8, bottom = 18;
  const max = Math.max(...bars.map((b) => b[1]), 1);
  const step = W / bars.length;
  const chart = svg("svg", { viewBox: `0 0 ${W} ${H}`, preserveAspectRatio: "none", role: "group",
    "aria-label": "Matching stories over time: click a bar, or drag across bars, to narrow the dates; " +
      "with the keyboard, arrows move, Shift+arrows extend, Enter narrows" });
  // The brush: the bars between `anchor` and `end` (indexes), shown as a band behind them.
  const band = svg("rect", { class: "brush", x: 0, y: 0, width: 0, height: H - bottom });
  band.setAttribute("visibility", "hidden");
  chart.append(band);
  let anchor = null, end = null;
  const showBand = () => {
    if (anchor == null) { band.setAttribute("visibility", "hidden"); return; }
    const [a, b] = [Math.min(anchor, end), Math.max(anchor, end)];
    band.setAttribute("x", a * step);
    band.setAttribute("width", (b - a + 1) * step);
    band.setAttribute("visibility", "visible");
  };
  // Narrows to the periods from bar a to bar b (a click is a brush of one bar).
  const pick = (a, b) => {
    const [lo, hi] = [Math.min(a, b), Math.max(a, b)];
    go({ since: periodRange(bars[lo][0])[0], until: periodRange(bars[hi][0])[1] });
  };
  const rects = [];
  const labelEvery = Math.ceil(bars.length / 12);
  bars.forEach(([period, n], i) => {
    const h = n ? Math.max(2, (H - top - bottom) * n / max) : 0;
    const rect = svg("rect", { class: "bar", x: i * step + step * 0.1, y: H - bottom - h,
      width: step * 0.8, height: h, tabindex: i === 0 ? 0 : -1, role: "button",
      "aria-label": `${period}: ${n.toLocaleString()} stories`, "data-period": period });
    rect.append(svg("title", {}, `${period}: ${n.toLocaleString()} stories`));
    rect.addEventListener("keydown", (e) => {
      const move = { ArrowLeft: -1, ArrowRight: 1 }[e.key];
      if (move) {
        e.preventDefault();
        const to = Math.min(bars.length - 1, Math.max(0, i + move));
        if (e.shiftKey) { if (anchor == null) anchor = i; end = to; } else { anchor = end = null; }
        showBand();
        rects[i].setAttribute("tabindex", -1);
        rects[to].setAttribute("tabindex", 0);
        rects[to].focus();
      } else if (e.key === "Enter" || e.key === " ") {
        e.preventDefault();
        if (anchor != null) pick(anchor, end); else pick(i, i);
      } else if (e.key === "Escape") {
        anchor = end = null;
        showBand();
      }
    });
    rects.push(rect);
    chart.append(rect);
    if (i % labelEvery === 0) {
      chart.append(svg("text", { x: i * step + step / 2, y: H - 4, "text-anchor": "middle" }, period));
    }
  });
  // Pointer brushing over the whole chart height, so thin bars are easy to hit.
  const barAt = (e) => {
    const box = chart.getBoundingClientRect();
    const i = Math.floor((e.clientX - box.left) / box.width * bars.length);
    return Math.min(bars.length - 1, Math.max(0, i));
  };
  chart.addEventListener("pointerdown", (e) => {
    if (e.button !== 0) return;
    e.preventDefault();
    chart.setPointerCapture(e.pointerId);
    anchor = end = barAt(e);
    showBand();
  });
  chart.addEventListener("pointermove", (e) => {
    if (anchor == null || !chart.hasPointerCapture(e.pointerId)) return;
    end = barAt(e);
    showBand();
  });
  chart.addEventListener("pointerup", (e) => {
    if (anchor == null || !chart.hasPointerCapture(e.pointerId)) return;
    end = barAt(e);
    const [a, b] = [anchor, end];
    anchor = end = null;
    pick(a, b);
  });
  chart.addEventListener("pointercancel", () => { anchor = end = null; showBand(); });
  const byMonth = bars[0][0].length > 4;
  fig.replaceChildren(el("figcaption", {}, `Matching stories by ${byMonth ? "month" : "year"} — ` +
    "click a bar, or drag across several, to narrow the dates"), chart);
  fig.hidden = false;
}

// ---- filters shown as removable chips ----
function renderFilters(s) {
  const chips = [];
  const chip = (label, change) => chips.push(el("span", { class: "chip" }, label,
    el("button", { type: "button", title: "Remove this filter", "aria-label": "Remove " + label,
      on: { click: () => go(change) } }, "×")));
  if (s.section) chip("Section: " + s.section, { section: "" });
  if (s.site) chip("Site: " + s.site, { site: "" });
  s.persons.forEach((p, i) => chip("Person: " + p, { persons: s.persons.filter((_, j) => j !== i) }));
  if (s.since || s.until) chip(`Dates: ${s.since || "…"} – ${s.until || "…"}`, { since: "", until: "" });
  $("filters").replaceChildren(...chips);
}

// ---- article view ----
async function showDoc() {
  const p = new URLSearchParams(location.search);
  const view = $("doc-view");
  $("results-view").hidden = true;
  view.hidden = false;
  const q = p.get("q") || "";
  $("q").value = q;
  const back = el("a", { class: "back", href: q ? "/?" + new URLSearchParams({ q }) : "/" }, "← Back to the search");
  view.replaceChildren(back, el("p", { class: "status" }, "Loading…"));
  let d;
  try {
    const api = new URLSearchParams({ path: p.get("path") || "" });
    if (q) api.set("q", q);
    if (p.get("index")) api.set("index", p.get("index"));
    const resp = await fetch("/api/doc?" + api.toString());
    d = await resp.json();
    if (!resp.ok) throw new Error(d.error || resp.statusText);
  } catch (e) {
    view.replaceChildren(back, el("p", { class: "status error" }, "Error: " + e.message));
    return;
  }
  document.title = d.title + " — gazette";
  const meta = el("div", { class: "meta" });
  for (const v of [d.date, d.section, d.site, d.byline.length ? "By " + d.byline.join(", ") : null]) {
    if (v) meta.append(el("span", {}, v));
  }
  const parts = [back, el("h1", {}, d.title || d.path), meta];
  // Only web addresses are linked: never javascript:, data: or file: URLs from a page.
  if (d.url && /^https?:\/\//i.test(d.url)) {
    parts.push(el("p", { class: "original" }, "Original: ",
      el("a", { href: d.url, rel: "noopener noreferrer nofollow", target: "_blank" }, d.url)));
  }
  // Paragraphs, with the query's words marked (offsets are into the whole text).
  const chars = Array.from(d.text);
  let start = 0, hi = 0;
  const paras = [];
  for (let i = 0; i <= chars.length; i++) {
    if (i === chars.length || chars[i] === "\n") {
      const local = [];
      while (hi < d.highlights.length && d.highlights[hi][1] <= i) {
        const [a, b] = d.highlights[hi++];
        if (a >= start) local.push([a - start, b - start]);
      }
      const text = chars.slice(start, i).join("");
      if (text.trim()) paras.push(el("p", {}, marked(text, local)));
      start = i + 1;
    }
  }
  parts.push(...paras);
  if (d.people.length) parts.push(el("div", { class: "people" }, "People: " + d.people.join(", ")));
  view.replaceChildren(...parts);
}

// ---- wiring ----
function show() {
  if (location.pathname === "/doc") { showDoc(); return; }
  $("doc-view").hidden = true;
  $("results-view").hidden = false;
  const s = readState();
  $("q").value = s.q;
  $("sort").value = s.sort;
  $("since").value = s.since;
  $("until").value = s.until;
  renderFilters(s);
  document.title = s.q ? s.q + " — gazette" : "gazette";
  if (hasSearch(s)) {
    runSearch(s);
  } else {
    generation++;
    $("status").textContent = "";
    $("hits").replaceChildren(el("li", { class: "intro" },
      "Type words to find stories; put a phrase in quotes, exclude a word with -word. " +
      "Click a section, a person, a year or a bar of the timeline to narrow the results."));
    $("facets").replaceChildren();
    $("pager").replaceChildren();
    $("timeline").hidden = true;
  }
}

document.addEventListener("DOMContentLoaded", () => {
  $("search").addEventListener("submit", (e) => {
    e.preventDefault();
    go({ q: $("q").value.trim(), sort: $("sort").value });
  });
  $("sort").addEventListener("change", () => { if (hasSearch(readState())) go({ sort: $("sort").value }); });
  $("since").addEventListener("change", () => go({ since: $("since").value }));
  $("until").addEventListener("change", () => go({ until: $("until").value }));
  window.addEventListener("popstate", show);
  show();
});
