// giaoban: data entry of a report. Saves a changed cell through the API
// when the cursor leaves it, keeps changes not yet sent in localStorage
// (keyed by unit and period) and sends them when the connection is back.
// Without this file the form still works: the Save button posts it.
(function () {
  "use strict";
  var form = document.querySelector("form[data-entry]");
  if (!form || !window.fetch || !window.JSON) return;
  var api = form.getAttribute("data-api");
  var storeKey = form.getAttribute("data-storage");
  var csrfInput = form.querySelector("input[name=csrf]");
  var csrf = csrfInput ? csrfInput.value : "";
  var status = form.querySelector("[data-entry-status]");
  var msg = function (name) { return form.getAttribute("data-msg-" + name) || ""; };
  var sending = false, timer = null;

  function cells() { return form.querySelectorAll("[data-cell]"); }
  function cellByKey(key) {
    var all = cells();
    for (var i = 0; i < all.length; i++) if (all[i].getAttribute("data-cell") === key) return all[i];
    return null;
  }
  function editable(el) { return !el.readOnly && !el.disabled; }
  function hidden(name) { return form.querySelector("input[type=hidden][name='" + name.replace(/'/g, "\\'") + "']"); }
  // The hidden fields the form posts hold what the server has of a cell:
  // its version and its value as shown.
  function savedOf(key) { var h = hidden("seen:" + key); return h ? h.value : ""; }
  function versionOf(key) { var h = hidden("ver:" + key); return h ? parseInt(h.value, 10) || 0 : 0; }

  function load() {
    try { return JSON.parse(localStorage.getItem(storeKey) || "{}") || {}; } catch (e) { return {}; }
  }
  function save(p) {
    try {
      if (Object.keys(p).length) localStorage.setItem(storeKey, JSON.stringify(p));
      else localStorage.removeItem(storeKey);
    } catch (e) { /* private mode: nothing kept */ }
  }
  function say(text) { if (status) status.textContent = text; }
  function showError(key, text) {
    var span = form.querySelector("[data-error-for='" + key.replace(/'/g, "\\'") + "']");
    var el = cellByKey(key);
    if (!span && text && el) {
      span = document.createElement("span");
      span.className = "field-error";
      span.setAttribute("role", "alert");
      span.setAttribute("data-error-for", key);
      var after = hidden("seen:" + key) || el;
      after.parentNode.insertBefore(span, after.nextSibling);
    }
    if (span) span.textContent = text || "";
    if (el) { if (text) el.setAttribute("aria-invalid", "true"); else el.removeAttribute("aria-invalid"); }
  }
  // markSaved records that the server holds value at version for a cell.
  function markSaved(key, value, version) {
    var ver = hidden("ver:" + key), seen = hidden("seen:" + key);
    if (ver) ver.value = String(version);
    if (seen) seen.value = value;
  }

  // queue records a cell whose value differs from what the server holds.
  function queue(el) {
    if (!editable(el)) return;
    var key = el.getAttribute("data-cell");
    var value = el.value.trim();
    var p = load();
    if (value === savedOf(key)) {
      if (p[key]) { delete p[key]; save(p); }
      return;
    }
    var dot = key.indexOf(".");
    p[key] = {
      indicator: dot < 0 ? key : key.slice(0, dot),
      option: dot < 0 ? "" : key.slice(dot + 1),
      value: value,
      version: versionOf(key),
      seen: savedOf(key)
    };
    save(p);
    flush();
  }

  function flush() {
    var p = load(), keys = Object.keys(p);
    if (!keys.length || sending) return;
    if (navigator.onLine === false) { say(msg("offline")); return; }
    sending = true;
    say(msg("saving"));
    var body = keys.map(function (k) { return p[k]; });
    fetch(api + "/values", {
      method: "PUT",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRF-Token": csrf },
      body: JSON.stringify(body)
    }).then(function (resp) {
      return resp.json().then(function (data) { return { ok: resp.ok, status: resp.status, data: data }; });
    }).then(function (r) {
      sending = false;
      var now = load();
      if (r.ok) {
        keys.forEach(function (k) {
          var sent = p[k];
          showError(k, "");
          markSaved(k, sent.value, sent.version);
          if (now[k] && now[k].value === sent.value) delete now[k];
        });
        (r.data.values || []).forEach(function (v) {
          var k = v.option ? v.indicator + "." + v.option : v.indicator;
          markSaved(k, savedOf(k), v.version);
          if (now[k]) now[k].version = v.version;
        });
        save(now);
        var t = new Date();
        say(msg("saved").replace("%s", ("0" + t.getHours()).slice(-2) + ":" + ("0" + t.getMinutes()).slice(-2)));
        if (Object.keys(now).length) flush();
        return;
      }
      // Refused (invalid value, conflict, locked report): nothing of the
      // batch was written. Show why beside each cell, keep what the user
      // typed in the input, and stop retrying those cells.
      var err = (r.data && r.data.error) || {};
      var fields = err.fields || [];
      fields.forEach(function (f) { showError(f.field, f.message); });
      if (!fields.length) say(err.message || msg("failed")); else say(msg("failed"));
      keys.forEach(function (k) { delete now[k]; });
      save(now);
      if (r.status === 409) refresh();
    }).catch(function () {
      sending = false;
      say(msg("offline"));
      schedule();
    });
  }

  // refresh reads the stored versions and values after a conflict, so that
  // saving again (the user has seen both values) goes through.
  function refresh() {
    fetch(api, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (resp) { return resp.json(); })
      .then(function (e) {
        (e.sections || []).forEach(function (s) {
          (s.rows || []).forEach(function (row) {
            (row.cells || []).forEach(function (c) { markSaved(c.key, c.value, c.version); });
          });
        });
      }).catch(function () { /* next save will tell */ });
  }

  function schedule() {
    if (timer) return;
    timer = setTimeout(function () { timer = null; flush(); }, 15000);
  }

  // Restore changes a dropped connection kept on this device.
  (function restore() {
    var p = load(), restored = false;
    Object.keys(p).forEach(function (k) {
      var el = cellByKey(k);
      if (!el || !editable(el)) { delete p[k]; return; }
      if (p[k].value === savedOf(k)) { delete p[k]; return; }
      el.value = p[k].value;
      restored = true;
    });
    save(p);
    if (restored) { say(msg("restored")); flush(); }
  })();

  form.addEventListener("focusout", function (e) {
    if (e.target && e.target.hasAttribute && e.target.hasAttribute("data-cell")) queue(e.target);
  });
  form.addEventListener("change", function (e) {
    if (e.target && e.target.tagName === "SELECT" && e.target.hasAttribute("data-cell")) queue(e.target);
  });
  // Enter moves to the next cell instead of posting the form.
  form.addEventListener("keydown", function (e) {
    if (e.key !== "Enter" || !e.target.hasAttribute || !e.target.hasAttribute("data-cell")) return;
    e.preventDefault();
    var all = Array.prototype.filter.call(cells(), editable);
    var i = all.indexOf(e.target);
    if (i >= 0 && i + 1 < all.length) all[i + 1].focus(); else queue(e.target);
  });
  // Some input methods send Enter as a key press of its own: it must not
  // post the form either.
  form.addEventListener("keypress", function (e) {
    if (e.key === "Enter" && e.target.hasAttribute && e.target.hasAttribute("data-cell")) e.preventDefault();
  });
  // What the device kept stays until a page shows it saved (restore drops
  // it then), so a post lost with the connection loses nothing.
  form.addEventListener("submit", function (e) {
    var b = e.submitter;
    if (b && b.getAttribute("data-confirm") && !window.confirm(b.getAttribute("data-confirm"))) e.preventDefault();
  });

  // Narratives are posted with the form. A draft is kept on the device with
  // the text the page showed when it began; it is restored only while the
  // page still shows that text (it was never saved).
  Array.prototype.forEach.call(form.querySelectorAll("textarea[data-narrative]"), function (ta) {
    var key = storeKey + ":n:" + ta.getAttribute("data-narrative");
    var base = ta.value, draft = null;
    try { draft = JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { draft = null; }
    if (draft && typeof draft.text === "string") {
      if (draft.base === base && draft.text !== base && !ta.readOnly) { ta.value = draft.text; say(msg("restored")); }
      else { try { localStorage.removeItem(key); } catch (e) { /* ignore */ } }
    }
    ta.addEventListener("input", function () {
      try { localStorage.setItem(key, JSON.stringify({ base: base, text: ta.value })); } catch (e) { /* ignore */ }
    });
  });

  window.addEventListener("online", flush);
})();
