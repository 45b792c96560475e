// The duiyi editor: pages through a language's segments over the JSON API (docs/serve.md),
// keyboard first. Plain JavaScript, no build step, nothing loaded from elsewhere. Every text
// from the project reaches the page through textContent or a form field's value, never as
// markup, so a translation containing <script> is shown as text.
"use strict";

(function () {
  const body = document.body;
  const lang = body.dataset.lang;
  const api = "/api/v1/" + encodeURIComponent(lang);
  const LIMIT = 50;
  const tbody = document.querySelector("#segments tbody");
  const form = document.getElementById("filters");
  const statusLine = document.getElementById("status");
  const shortcuts = document.getElementById("shortcuts");

  const view = { offset: 0, total: 0, rows: [], active: -1, suggestions: [] };

  // ---- small helpers -------------------------------------------------------------------

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "class") node.className = v;
      else if (k === "text") node.textContent = v;
      else node.setAttribute(k, v);
    }
    for (const c of children) {
      if (c !== null && c !== undefined) node.append(c);
    }
    return node;
  }

  function say(message, kind) {
    statusLine.textContent = message;
    statusLine.className = "status " + (kind || "");
  }

  async function call(method, url, payload) {
    const init = { method, headers: {} };
    if (payload !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(payload);
    }
    const response = await fetch(url, init);
    let data = null;
    try {
      data = await response.json();
    } catch (_) {
      data = { error: response.statusText };
    }
    return { status: response.status, data };
  }

  function filters() {
    const data = new FormData(form);
    const params = new URLSearchParams();
    for (const [k, v] of data.entries()) {
      if (String(v).trim() !== "") params.set(k, String(v).trim());
    }
    return params;
  }

  function segmentUrl(row, tail) {
    const doc = "?doc=" + encodeURIComponent(row.item.doc);
    return api + "/segments/" + encodeURIComponent(row.item.id) + (tail || "") + doc;
  }

  function needsWork(item) {
    return item.target === "" || item.state === "initial" || item.flags.length > 0;
  }

  // ---- the page of segments ------------------------------------------------------------

  async function load(offset, focus) {
    const params = filters();
    params.set("offset", String(Math.max(0, offset)));
    params.set("limit", String(LIMIT));
    const shown = new URLSearchParams(params);
    shown.delete("limit");
    history.replaceState(null, "", "?" + shown.toString());
    const { status, data } = await call("GET", api + "/segments?" + params.toString());
    if (status !== 200) {
      say(data.error, "error");
      return false;
    }
    view.offset = data.offset;
    view.total = data.total;
    view.rows = data.items.map(makeRow);
    view.active = -1;
    tbody.replaceChildren(...view.rows.map((r) => r.tr));
    const last = Math.min(data.offset + data.items.length, data.total);
    document.getElementById("range").textContent =
      data.total === 0 ? "no segment matches" : `${data.offset + 1}–${last} of ${data.total}`;
    document.getElementById("prev").disabled = data.offset === 0;
    document.getElementById("next").disabled = last >= data.total;
    if (view.rows.length > 0) {
      let at = 0;
      if (focus === "last") at = view.rows.length - 1;
      if (focus === "open") {
        const open = view.rows.findIndex((r) => needsWork(r.item));
        at = open < 0 ? 0 : open;
      }
      activate(at);
    }
    return true;
  }

  function makeRow(item) {
    const row = { item, saved: item.target, revision: item.revision };
    const textarea = el("textarea", {
      class: "target-text",
      lang,
      rows: String(Math.max(2, Math.ceil(Math.max(item.source.length * 2.4, item.target.length) / 56))),
      "aria-label": "translation of " + item.ref,
    });
    textarea.value = item.target;
    textarea.addEventListener("focus", () => activate(view.rows.indexOf(row), true));
    textarea.addEventListener("input", () => markDirty(row));
    const source = el("div", { class: "source-text", lang: body.dataset.sourceLang });
    source.textContent = item.source;
    const approve = el("button", { type: "button", class: "approve", text: "approve" });
    approve.addEventListener("click", () => verdict(row, "approve"));
    const reject = el("button", { type: "button", class: "reject", text: "reject" });
    reject.addEventListener("click", () => {
      const note = window.prompt("Why is it rejected? (the translator sees this note)");
      if (note !== null) verdict(row, "reject", note);
    });
    const state = el("span", { class: "state" });
    const flags = el("span", { class: "flags" });
    const note = el("div", { class: "note" });
    const conflict = el("div", { class: "conflict", hidden: "" });
    const findings = el("ul", { class: "row-findings" });
    const role = item.role ? el("span", { class: "role", text: item.role }) : null;
    const tr = el(
      "tr",
      { class: "segment role-" + (item.role || "unknown"), "data-id": item.id, "data-doc": item.doc },
      el("td", { class: "ref" }, el("span", { class: "ref-text", text: item.ref }), role),
      el("td", { class: "source" }, source),
      el("td", { class: "target" }, textarea, note, conflict, findings),
      el("td", { class: "state" }, state, flags, el("div", { class: "verdicts" }, approve, reject))
    );
    Object.assign(row, { tr, textarea, source, state, flags, note, conflict, findings });
    showState(row);
    return row;
  }

  function showState(row) {
    row.state.textContent = row.item.state;
    row.state.className = "state state-" + row.item.state;
    row.flags.replaceChildren(
      ...row.item.flags.map((f) => el("span", { class: "flag flag-" + f, text: f }))
    );
    row.note.textContent = row.item.note ? "note: " + row.item.note : "";
    row.tr.classList.toggle("open", needsWork(row.item));
  }

  function markDirty(row) {
    row.tr.classList.toggle("dirty", row.textarea.value !== row.saved);
  }

  function activate(at, fromFocus) {
    if (at < 0 || at >= view.rows.length) return;
    if (view.active >= 0 && view.rows[view.active]) {
      view.rows[view.active].tr.classList.remove("active");
    }
    view.active = at;
    const row = view.rows[at];
    row.tr.classList.add("active");
    if (!fromFocus) row.textarea.focus();
    row.tr.scrollIntoView({ block: "nearest" });
    loadHelp(row);
  }

  // ---- help: terms, memory, checks, history --------------------------------------------

  async function loadHelp(row) {
    document.getElementById("help-ref").textContent = row.item.ref;
    const [help, detail] = await Promise.all([
      call("GET", segmentUrl(row, "/suggestions")),
      call("GET", segmentUrl(row)),
    ]);
    if (view.rows[view.active] !== row) return;
    if (help.status === 200) showHelp(row, help.data);
    else say(help.data.error, "error");
    if (detail.status === 200) showHistory(detail.data.history);
  }

  function insert(row, text) {
    const t = row.textarea;
    const start = t.selectionStart ?? t.value.length;
    const end = t.selectionEnd ?? t.value.length;
    t.value = t.value.slice(0, start) + text + t.value.slice(end);
    t.selectionStart = t.selectionEnd = start + text.length;
    t.focus();
    markDirty(row);
  }

  function bestRendering(hit) {
    const usable = hit.renderings.filter((r) => r.status !== "deprecated");
    return usable.find((r) => r.status === "approved") || usable[0] || null;
  }

  function showHelp(row, help) {
    view.suggestions = [];
    const terms = document.getElementById("terms");
    const memory = document.getElementById("memory");
    terms.replaceChildren();
    memory.replaceChildren();
    const seen = new Set();
    for (const hit of help.glossary) {
      const best = bestRendering(hit);
      const forbidden = hit.renderings.filter((r) => r.status === "deprecated");
      if (seen.has(hit.term)) continue;
      seen.add(hit.term);
      const item = el("li", { class: hit.nested ? "nested" : "" });
      if (best) {
        view.suggestions.push(best.target);
        const n = view.suggestions.length;
        const button = el("button", { type: "button", class: "insert", title: "insert (Ctrl+" + n + ")" });
        button.textContent = best.target;
        button.addEventListener("click", () => insert(row, best.target));
        item.append(el("kbd", { text: n <= 9 ? String(n) : "" }), el("span", { lang: "zh", class: "term", text: hit.term }), " → ", button, el("span", { class: "status", text: " " + best.status }));
      } else {
        item.append(el("span", { lang: "zh", class: "term", text: hit.term }));
      }
      for (const f of forbidden) {
        item.append(el("div", { class: "forbidden", text: "avoid: " + f.target }));
      }
      terms.append(item);
    }
    for (const m of help.memory) {
      view.suggestions.push(m.target);
      const n = view.suggestions.length;
      const button = el("button", { type: "button", class: "insert", title: "insert (Ctrl+" + n + ")" });
      button.textContent = m.target;
      button.addEventListener("click", () => insert(row, m.target));
      const score = Math.round((m.score || 0) * 100) + "%";
      const diff = el("div", { class: "memory-source", lang: "zh" });
      showDifference(diff, row.item.source, m.source);
      memory.append(el("li", {}, el("kbd", { text: n <= 9 ? String(n) : "" }), el("span", { class: "score", text: score }), diff, button));
    }
    underline(row, help.glossary);
    showFindings(row, help.qa);
  }

  // Marks in `node` the characters of `other` that the current source does not have.
  function showDifference(node, source, other) {
    const have = new Set(Array.from(source));
    for (const ch of Array.from(other)) {
      if (have.has(ch)) node.append(ch);
      else node.append(el("mark", { text: ch }));
    }
  }

  // Underlines the glossary terms in the row's source; a click inserts the rendering.
  function underline(row, hits) {
    const chars = Array.from(row.item.source);
    const top = hits.filter((h) => !h.nested).sort((a, b) => a.start - b.start);
    const parts = [];
    let at = 0;
    for (const hit of top) {
      if (hit.start < at) continue;
      parts.push(chars.slice(at, hit.start).join(""));
      const best = bestRendering(hit);
      const u = el("u", { class: "term" + (best ? "" : " no-rendering") });
      u.textContent = chars.slice(hit.start, hit.end).join("");
      if (best) {
        u.title = hit.term + " → " + best.target + " (" + best.status + "), click to insert";
        u.addEventListener("mousedown", (e) => {
          e.preventDefault();
          insert(row, best.target);
        });
      }
      parts.push(u);
      at = hit.end;
    }
    parts.push(chars.slice(at).join(""));
    row.source.replaceChildren(...parts);
  }

  function showFindings(row, findings) {
    const list = document.getElementById("qa");
    const items = findings.map((f) =>
      el("li", { class: "finding " + f.severity }, el("strong", { text: f.check }), " " + f.message)
    );
    list.replaceChildren(...items);
    if (findings.length === 0) list.append(el("li", { class: "none", text: "no finding" }));
    row.findings.replaceChildren(
      ...findings.map((f) => el("li", { class: "finding " + f.severity, text: f.check + ": " + f.message }))
    );
  }

  function showHistory(events) {
    const list = document.getElementById("history");
    list.replaceChildren(
      ...events
        .slice()
        .reverse()
        .map((e) =>
          el(
            "li",
            {},
            el("time", { text: e.when }),
            " ",
            el("strong", { text: e.who }),
            " " + e.action + " (" + e.from + " → " + e.to + ")",
            e.new ? el("div", { class: "text", text: e.new }) : null,
            e.note ? el("div", { class: "note", text: "note: " + e.note }) : null
          )
        )
    );
  }

  // ---- saving, reviewing, conflicts ----------------------------------------------------

  function applySaved(row, data, target) {
    row.item.state = data.state;
    row.item.target = target;
    row.saved = target;
    row.revision = data.revision;
    row.item.revision = data.revision;
    if (data.state !== "initial") row.item.flags = row.item.flags.filter((f) => f !== "needs-review" && f !== "rejected");
    row.conflict.hidden = true;
    showState(row);
    markDirty(row);
  }

  async function save(row) {
    const target = row.textarea.value;
    const { status, data } = await call("PUT", segmentUrl(row), { target, base: row.revision });
    if (status === 200) {
      applySaved(row, data, target);
      showFindings(row, data.qa);
      say(row.item.ref + ": " + data.state + (data.notice ? " — " + data.notice : ""), "ok");
      return true;
    }
    if (status === 409) {
      showConflict(row, data);
      return false;
    }
    say(data.error, "error");
    return false;
  }

  async function verdict(row, verdictName, note) {
    const payload = { verdict: verdictName, base: row.revision };
    if (note !== undefined) payload.note = note;
    const { status, data } = await call("POST", segmentUrl(row, "/review"), payload);
    if (status === 200) {
      row.item.state = data.state;
      row.revision = data.revision;
      await refresh(row);
      say(row.item.ref + ": " + data.state, "ok");
    } else if (status === 409) {
      showConflict(row, data);
    } else {
      say(data.error, "error");
    }
  }

  function showConflict(row, data) {
    const theirs = data.store;
    const useTheirs = el("button", { type: "button", class: "use-theirs", text: "use the current text" });
    const keepMine = el("button", { type: "button", class: "keep-mine", text: "save mine over it" });
    useTheirs.addEventListener("click", () => {
      row.textarea.value = theirs.target;
      applySaved(row, theirs, theirs.target);
      row.item.flags = theirs.flags;
      showState(row);
      row.textarea.focus();
    });
    keepMine.addEventListener("click", async () => {
      row.revision = theirs.revision;
      if (await save(row)) row.textarea.focus();
    });
    row.conflict.replaceChildren(
      el("strong", { text: "Changed meanwhile" + (theirs.who ? " by " + theirs.who : "") + ":" }),
      el("div", { class: "theirs", lang, text: theirs.target === "" ? "(empty)" : theirs.target }),
      el("div", { class: "label", text: "Your text:" }),
      el("div", { class: "mine", lang, text: row.textarea.value }),
      useTheirs,
      keepMine
    );
    row.conflict.hidden = false;
    say(row.item.ref + ": someone changed this segment meanwhile; choose which text to keep", "error");
  }

  // Reloads a row from the server; an edit in progress is kept (its save will conflict).
  async function refresh(row) {
    const { status, data } = await call("GET", segmentUrl(row));
    if (status !== 200) return;
    const dirty = row.textarea.value !== row.saved;
    row.item = Object.assign(row.item, {
      state: data.state,
      flags: data.flags,
      note: data.note,
    });
    if (!dirty) {
      row.textarea.value = data.target;
      row.saved = data.target;
      row.item.target = data.target;
      row.revision = data.revision;
    } else if (data.revision !== row.revision) {
      row.tr.classList.add("changed-elsewhere");
    }
    showState(row);
    markDirty(row);
    row.tr.classList.add("updated");
    if (view.rows[view.active] === row) loadHelp(row);
  }

  async function confirmAndNext() {
    const at = view.active;
    const row = view.rows[at];
    if (!row || !(await save(row))) return;
    for (let i = at + 1; i < view.rows.length; i++) {
      if (needsWork(view.rows[i].item)) return activate(i);
    }
    if (view.offset + view.rows.length < view.total) {
      await load(view.offset + LIMIT, "open");
    } else if (at + 1 < view.rows.length) {
      activate(at + 1);
    } else {
      say("Saved; nothing after this segment on this page.", "ok");
    }
  }

  // ---- keys ------------------------------------------------------------------------------

  document.addEventListener("keydown", (e) => {
    const row = view.rows[view.active];
    const typing = e.target instanceof HTMLTextAreaElement || e.target instanceof HTMLInputElement;
    if (e.key === "F1" || (e.key === "?" && !typing)) {
      e.preventDefault();
      if (!shortcuts.open) shortcuts.showModal();
      return;
    }
    if (e.ctrlKey && e.key === "Enter") {
      e.preventDefault();
      confirmAndNext();
    } else if (e.ctrlKey && e.key === "ArrowDown") {
      e.preventDefault();
      if (view.active + 1 < view.rows.length) activate(view.active + 1);
      else if (view.offset + LIMIT < view.total) load(view.offset + LIMIT);
    } else if (e.ctrlKey && e.key === "ArrowUp") {
      e.preventDefault();
      if (view.active > 0) activate(view.active - 1);
      else if (view.offset > 0) load(view.offset - LIMIT, "last");
    } else if (e.ctrlKey && !e.shiftKey && !e.altKey && /^[1-9]$/.test(e.key)) {
      e.preventDefault();
      const text = view.suggestions[Number(e.key) - 1];
      if (row && text !== undefined) insert(row, text);
    } else if ((e.ctrlKey && e.key === "Insert") || (e.altKey && (e.key === "s" || e.key === "S"))) {
      e.preventDefault();
      if (row) {
        row.textarea.value = row.item.source;
        markDirty(row);
      }
    } else if (e.key === "Escape" && row && typing && !shortcuts.open) {
      e.preventDefault();
      row.textarea.value = row.saved;
      row.conflict.hidden = true;
      markDirty(row);
    } else if (e.ctrlKey && e.shiftKey && (e.key === "A" || e.key === "a")) {
      e.preventDefault();
      if (row) verdict(row, "approve");
    } else if (e.altKey && e.key === "PageDown") {
      e.preventDefault();
      if (view.offset + LIMIT < view.total) load(view.offset + LIMIT);
    } else if (e.altKey && e.key === "PageUp") {
      e.preventDefault();
      if (view.offset > 0) load(view.offset - LIMIT);
    }
  });

  form.addEventListener("submit", (e) => {
    e.preventDefault();
    load(0);
  });
  document.getElementById("prev").addEventListener("click", () => load(view.offset - LIMIT));
  document.getElementById("next").addEventListener("click", () => load(view.offset + LIMIT));

  // ---- live updates ----------------------------------------------------------------------

  const events = new EventSource("/api/v1/events");
  events.addEventListener("change", (e) => {
    let change;
    try {
      change = JSON.parse(e.data);
    } catch (_) {
      return;
    }
    if (change.lang !== lang) return;
    const row = view.rows.find((r) => r.item.id === change.id && r.item.doc === change.doc);
    if (row) refresh(row);
  });
  events.addEventListener("reload", () => view.rows.forEach(refresh));

  // ---- start -----------------------------------------------------------------------------

  const start = new URLSearchParams(location.search);
  for (const name of ["doc", "state", "flag", "section", "q"]) {
    if (start.has(name) && form.elements[name]) form.elements[name].value = start.get(name);
  }
  load(Number(start.get("offset")) || 0, "open");
})();
