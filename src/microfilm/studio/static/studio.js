/* microfilm studio: a little plain JavaScript, no framework, no inline scripts (CSP).
   Everything here enhances a page that already works with plain forms. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  const csrf = () => (document.querySelector('meta[name="csrf-token"]') || {}).content || "";
  const $ = (sel, root) => (root || document).querySelector(sel);
  const $$ = (sel, root) => Array.from((root || document).querySelectorAll(sel));

  function post(url, body) {
    return fetch(url, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "X-CSRF-Token": csrf(), "Accept": "application/json" },
    });
  }

  // Colour swatches: set from data-color (no inline style attributes under the CSP).
  $$("[data-color]").forEach((el) => {
    const c = el.getAttribute("data-color");
    if (/^#[0-9a-fA-F]{3,8}$/.test(c)) el.style.background = c;
  });
  $$("img.js-thumb").forEach((img) => img.addEventListener("error", () => img.classList.add("missing")));

  // Tabs on the film page: one panel at a time, the hash remembers which.
  const tabs = $$(".tab[data-tab]");
  function showTab(name) {
    if (!tabs.some((t) => t.dataset.tab === name)) name = tabs.length ? tabs[0].dataset.tab : "";
    tabs.forEach((t) => t.classList.toggle("on", t.dataset.tab === name));
    $$(".panel[data-panel]").forEach((p) => p.classList.toggle("on", p.dataset.panel === name));
  }
  if (tabs.length) {
    showTab(location.hash.slice(1));
    tabs.forEach((t) => t.addEventListener("click", (e) => {
      e.preventDefault();
      history.replaceState(null, "", "#" + t.dataset.tab);
      showTab(t.dataset.tab);
    }));
  }

  // Live progress of a render: server-sent events, then a reload when it ends.
  const stages = $("#stages");
  function follow(film, job) {
    if (!window.EventSource || !film || !job) return;
    $$("button#make, button#publish, button#save-screenplay").forEach((b) => (b.disabled = true));
    const state = $("#job-state");
    if (state && stages.dataset.running) state.textContent = stages.dataset.running;
    $("#job-error") && $("#job-error").classList.add("hidden");
    const es = new EventSource(`/films/${film}/jobs/${job}/events`);
    es.addEventListener("job", (ev) => {
      const snap = JSON.parse(ev.data);
      Object.entries(snap.stages || {}).forEach(([name, p]) => {
        const row = $(`.stage[data-stage="${name}"]`);
        if (!row) return;
        const bar = $("progress", row);
        bar.max = Math.max(1, p.total || 1);
        bar.value = Math.min(p.done || 0, bar.max);
        $(".stage-msg", row).textContent = p.message || "";
        $$(".stage.active").forEach((r) => r !== row && r.classList.remove("active"));
        row.classList.toggle("active", name === snap.current && snap.state === "running");
      });
      stages.dataset.state = snap.state;
    });
    es.addEventListener("end", () => {
      es.close();
      // Reload (dropping a one-off ?msg=… so an old notice does not come back). Replacing
      // the URL with only a different #hash would not reload, hence reload() then.
      setTimeout(() => {
        if (location.search) location.replace(location.pathname + location.hash);
        else location.reload();
      }, 250);
    });
    es.onerror = () => { /* the browser reconnects by itself (retry: 2000) */ };
  }
  if (stages && stages.dataset.active === "1") follow(stages.dataset.film, stages.dataset.job);

  $$("form.js-make").forEach((form) => form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const res = await post(form.action, new FormData(form));
    const data = await res.json().catch(() => ({}));
    if (res.ok && data.job) {
      stages.dataset.job = data.job;
      follow(stages.dataset.film, data.job);
    } else {
      const box = $("#job-error");
      $("#job-error-text").textContent = data.error || data.detail || res.statusText;
      box.classList.remove("hidden");
    }
  }));

  // The screenplay editor: live preview rendered by the server, save without leaving.
  const editor = $("#screenplay-form");
  if (editor) {
    const area = $("#fountain", editor), preview = $("#fountain-preview"), status = $("#editor-status");
    let timer = null, dirty = false, seq = 0;
    const say = (key) => { status.textContent = editor.dataset[key] || ""; status.dataset.state = key; };
    area.addEventListener("input", () => {
      dirty = true; say("unsaved");
      clearTimeout(timer);
      timer = setTimeout(async () => {
        const mine = ++seq;
        const body = new FormData(); body.append("text", area.value);
        const res = await post(editor.dataset.preview, body);
        if (res.ok && mine === seq) preview.innerHTML = await res.text();
      }, 350);
    });
    editor.addEventListener("submit", async (e) => {
      e.preventDefault();
      say("saving");
      const res = await post(editor.action, new FormData(editor));
      const data = await res.json().catch(() => ({}));
      if (res.ok) { dirty = false; say("saved"); }
      else { status.textContent = data.error || data.detail || res.statusText; status.dataset.state = "error"; }
    });
    window.addEventListener("beforeunload", (e) => { if (dirty) { e.preventDefault(); e.returnValue = ""; } });
  }

  // Storyboard review: regenerate, approve and lock in place.
  const grid = $(".shot-grid");
  $$("form.js-shot").forEach((form) => form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const res = await post(form.action, new FormData(form));
    const data = await res.json().catch(() => ({}));
    if (!res.ok || !data.shot) { alert(data.error || data.detail || res.statusText); return; }
    const s = data.shot, card = form.closest(".shot");
    card.classList.toggle("approved", s.approved);
    card.classList.toggle("locked", s.locked);
    const approve = $("form[action$='/approve']", card), lock = $("form[action$='/lock']", card);
    $("input[name=value]", approve).value = s.approved ? "0" : "1";
    $("button", approve).textContent = s.approved ? grid.dataset.unapprove : grid.dataset.approve;
    $("input[name=value]", lock).value = s.locked ? "0" : "1";
    $("button", lock).textContent = s.locked ? grid.dataset.unlock : grid.dataset.lock;
    $("form[action$='/regenerate'] button", card).disabled = s.locked;
    const draft = $(".shot-draft", card);  // a house draft: awaiting approval, or approved for the next render
    if (draft) {
      draft.textContent = s.approved ? draft.dataset.approved : draft.dataset.awaiting;
      draft.title = s.approved ? draft.dataset.approvedTitle : draft.dataset.awaitingTitle;
    }
    let take = $(".take", card);
    if (s.take) {
      if (!take) { take = document.createElement("span"); take.className = "chip small take"; $(".shot-id", card).append(" ", take); }
      take.textContent = grid.dataset.take.replace("{n}", s.take);
    }
  }));
})();
