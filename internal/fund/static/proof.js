// giaoban: checks a fund entry's inclusion proof in the visitor's own
// browser, with Web Crypto alone, by the rules of golang.org/x/mod/sumdb
// (tlog: RFC 6962 hashes; note: Ed25519 signed checkpoints):
//   1. the entry's published fields, in canonical form, give its record hash;
//   2. the proof leads from that hash to a root;
//   3. the checkpoint states that root and the log's size, and its signature
//      verifies with the fund's public key.
// Messages come from the page (data-* attributes of #browser-check); this
// file holds none. window.giaobanVerifyInclusion(inclusion, key) is the
// check itself: it resolves to the checkpoint's tree or rejects with an
// Error whose message is one of "hash", "proof", "signature", "key",
// "checkpoint".
"use strict";
(function () {
  const enc = new TextEncoder();

  function fail(code) { return new Error(code); }

  function unbase64(s, code) {
    try { return Uint8Array.from(atob(s), (c) => c.charCodeAt(0)); } catch (e) { throw fail(code); }
  }

  function same(a, b) { return a.length === b.length && a.every((x, i) => x === b[i]); }

  async function sha256(...parts) {
    const buf = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let o = 0;
    for (const p of parts) { buf.set(p, o); o += p.length; }
    return new Uint8Array(await crypto.subtle.digest("SHA-256", buf));
  }

  // canonical is translog.Entry.Canonical: one "name=value" line per field.
  function canonical(e) {
    return enc.encode("giaoban-fund-entry/1\nseq=" + e.Seq + "\nkind=" + e.Kind + "\ndate=" + e.Date +
      "\namount=" + e.Amount + "\nref=" + e.Ref + "\nbank_ref=" + e.BankRef + "\nchannel=" + e.Channel +
      "\nparty=" + e.Party + "\nnote=" + e.Note + "\nreverses=" + e.Reverses + "\n");
  }

  // maxpow2 is the largest power of two below n (n ≥ 2).
  function maxpow2(n) { let k = 1; while (k * 2 < n) k *= 2; return k; }

  // walk is tlog's runRecordProof: the hash of records [lo, hi) from the
  // hash of record n and its proof, the deepest sibling first.
  async function walk(p, lo, hi, n, leaf) {
    if (lo + 1 === hi) {
      if (p.length) throw fail("proof");
      return leaf;
    }
    if (!p.length) throw fail("proof");
    const k = maxpow2(hi - lo), sib = p[p.length - 1], rest = p.slice(0, -1);
    if (n < lo + k) return sha256(Uint8Array.of(1), await walk(rest, lo, lo + k, n, leaf), sib);
    return sha256(Uint8Array.of(1), sib, await walk(rest, lo + k, hi, n, leaf));
  }

  // parseKey reads a note verifier key "name+hash+base64(0x01 ‖ key)".
  function parseKey(vkey) {
    const i = vkey.indexOf("+"), j = vkey.indexOf("+", i + 1);
    if (i < 1 || j !== i + 9) throw fail("key");
    const name = vkey.slice(0, i), hash = parseInt(vkey.slice(i + 1, j), 16), raw = unbase64(vkey.slice(j + 1), "key");
    if (!/^[0-9a-f]{8}$/.test(vkey.slice(i + 1, j)) || raw.length !== 33 || raw[0] !== 1) throw fail("key");
    return { name, hash, pub: raw.slice(1) };
  }

  // openNote is note.Open for one Ed25519 key: the text, once a signature
  // line of that key verifies over it.
  async function openNote(msg, key) {
    const cut = msg.lastIndexOf("\n\n");
    if (cut < 0) throw fail("checkpoint");
    const text = msg.slice(0, cut + 1), pub = await crypto.subtle.importKey("raw", key.pub, { name: "Ed25519" }, false, ["verify"]);
    for (const line of msg.slice(cut + 2).split("\n")) {
      const m = /^\u2014 (\S+) (\S+)$/.exec(line);
      if (!m || m[1] !== key.name) continue;
      const sig = unbase64(m[2], "signature");
      if (sig.length !== 68 || new DataView(sig.buffer).getUint32(0) !== key.hash) continue;
      if (await crypto.subtle.verify({ name: "Ed25519" }, pub, sig.slice(4), enc.encode(text))) return text;
      throw fail("signature");
    }
    throw fail("signature");
  }

  async function verify(inc, vkey) {
    const leaf = await sha256(Uint8Array.of(0), canonical(inc.entry));
    if (!same(leaf, unbase64(inc.record_hash, "hash")) || inc.entry.Seq !== inc.seq) throw fail("hash");
    const text = await openNote(inc.checkpoint, parseKey(vkey));
    const lines = text.split("\n");
    if (lines.length !== 4 || !lines[0].startsWith("giaoban fund ") || lines[1] !== String(inc.size)) throw fail("checkpoint");
    const root = unbase64(lines[2], "checkpoint");
    const proof = (inc.proof || []).map((s) => unbase64(s, "proof"));
    if (inc.seq < 1 || inc.seq > inc.size) throw fail("proof");
    if (!same(await walk(proof, 0, inc.size, inc.seq - 1, leaf), root)) throw fail("proof");
    return { fund: lines[0].slice(13), size: inc.size, root: lines[2] };
  }
  window.giaobanVerifyInclusion = verify;

  async function run(el) {
    const say = (state, msg) => {
      el.dataset.state = state;
      el.className = "badge " + (state === "ok" ? "ok" : state === "fail" ? "bad" : "");
      el.textContent = msg;
      el.hidden = false;
    };
    if (!window.crypto || !crypto.subtle) return say("fail", el.dataset.unsupported);
    say("running", el.dataset.running);
    try {
      const r = await fetch(el.dataset.inclusion, { headers: { Accept: "application/json" } });
      if (!r.ok) throw fail("proof");
      await verify(await r.json(), el.dataset.key);
      say("ok", el.dataset.ok);
    } catch (e) {
      const why = el.dataset["fail" + e.message.charAt(0).toUpperCase() + e.message.slice(1)];
      say("fail", why || el.dataset.unsupported);
    }
  }
  const el = document.getElementById("browser-check");
  if (el) run(el);
})();
