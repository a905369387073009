// The review page's behaviour: upload, scheme choice, one-click concept toggles, model choice per
// scheme, retraining of the scheme chosen.
// Every text from the server goes in with textContent; every change carries the page's header.
"use strict";

const HEADER = { "X-Miner-Review": "1" };

function say(message, state) {
  const status = document.getElementById("status");
  status.textContent = message;
  status.className = state || "";
  status.dataset.state = state || "";
}

async function post(url, body, extra) {
  const response = await fetch(url, { method: "POST", body, headers: Object.assign({}, HEADER, extra || {}) });
  let payload = {};
  try { payload = await response.json(); } catch (e) { payload = { error: response.statusText }; }
  if (!response.ok && response.status !== 409) throw new Error(payload.error || response.statusText);
  return payload;
}

// Progress of tagging and retraining, streamed by the server (server-sent events, in French): a bar,
// its sentence with the time left; every event is kept in window.minerReview.events.
// (kept in sessionStorage too: the page reloads itself once a list is tagged, and the tab keeps them)
const KEPT = "miner-review-events";
const events = (() => { try { return JSON.parse(sessionStorage.getItem(KEPT) || "[]"); } catch (e) { return []; } })();
let source = null;
window.minerReview = { events };

function showProgress(p) {
  const box = document.getElementById("progress");
  box.hidden = false;
  const bar = document.getElementById("progress-bar");
  bar.max = p.total || 1;
  bar.value = p.done;
  document.getElementById("progress-text").textContent = p.message;
}

function listen() {
  if (source) return;
  source = new EventSource("/api/events");
  source.addEventListener("progress", (e) => {
    const p = JSON.parse(e.data);
    events.push(p);
    try { sessionStorage.setItem(KEPT, JSON.stringify(events.slice(-200))); } catch (err) { /* storage full or off */ }
    if (p.state !== "idle") showProgress(p);
  });
}

// Resolves once the stream has told the end of the work under way (or after ``ms``): the page
// reloads only then, so the last event is shown and kept.
function settled(ms) {
  return new Promise((resolve) => {
    const start = Date.now();
    (function check() {
      const last = events[events.length - 1];
      if ((last && (last.state === "done" || last.state === "failed")) || Date.now() - start > ms) resolve();
      else window.setTimeout(check, 50);
    })();
  });
}

function offerSwitch(model, scheme) {
  if (!model) return;
  const button = document.getElementById("switch-model");
  button.dataset.model = model;
  button.dataset.scheme = scheme || "";
  document.getElementById("switch-name").textContent = model;
  button.hidden = false;
}

async function switchModel() {
  const button = document.getElementById("switch-model");
  const body = { model: button.dataset.model };
  if (button.dataset.scheme && button.dataset.scheme !== "axes-2007") body.scheme = button.dataset.scheme;
  say("étiquetage avec le nouveau modèle…", "running");
  listen();
  try {
    await post("/api/model", JSON.stringify(body), { "Content-Type": "application/json" });
    await settled(2000);
    window.location.reload();
  } catch (e) { say(e.message, "error"); }
}

async function upload(event) {
  event.preventDefault();
  const file = document.getElementById("file").files[0];
  if (!file) { say("choisissez un fichier", "error"); return; }
  say("lecture et étiquetage de " + file.name + "…", "running");
  listen();
  try {
    const sheet = document.getElementById("sheet").value.trim();
    const query = "?name=" + encodeURIComponent(file.name) + (sheet ? "&sheet=" + encodeURIComponent(sheet) : "");
    await post("/api/upload" + query, file, { "Content-Type": "application/octet-stream" });
    await settled(2000);
    window.location.reload();
  } catch (e) { say(e.message, "error"); }
}

// The buttons, count and retrain button of one scheme: the axes have no data-scheme.
function ofScheme(selector, scheme) {
  return scheme ? selector + '[data-scheme="' + scheme + '"]' : selector + ":not([data-scheme])";
}

async function toggle(button) {
  const scheme = button.dataset.scheme || null;
  const body = { row: Number(button.dataset.row), axis: Number(button.dataset.axis) };
  if (scheme) body.scheme = scheme;
  try {
    const payload = await post("/api/toggle", JSON.stringify(body), { "Content-Type": "application/json" });
    const row = document.querySelector('tr[data-row="' + payload.row + '"]');
    row.querySelectorAll(scheme ? ofScheme("button.concept", scheme) : "button.axis").forEach((b) => {
      b.setAttribute("aria-pressed", payload.axes.includes(Number(b.dataset.axis)) ? "true" : "false");
    });
    row.classList.toggle("corrected", payload.corrected);
    document.querySelector(ofScheme("span.count", scheme)).textContent = String(payload.corrections);
    document.querySelector(ofScheme("button.retrain", scheme)).disabled = payload.corrections === 0;
  } catch (e) { say(e.message, "error"); }
}

async function choose(event) {
  const body = { model: event.target.value };
  if (event.target.dataset.scheme) body.scheme = event.target.dataset.scheme;
  say("étiquetage avec le modèle choisi…", "running");
  listen();
  try {
    await post("/api/model", JSON.stringify(body), { "Content-Type": "application/json" });
    window.location.reload();
  } catch (e) { say(e.message, "error"); }
}

async function chooseScheme(event) {
  say("étiquetage sous le cadre choisi…", "running");
  listen();
  try {
    await post("/api/scheme", JSON.stringify({ scheme: event.target.value }), { "Content-Type": "application/json" });
    await settled(2000);
    window.location.reload();
  } catch (e) { say(e.message, "error"); }
}

async function poll() {
  const response = await fetch("/api/status");
  const payload = await response.json();
  say(payload.message, payload.state);
  if (payload.state === "running") { window.setTimeout(poll, 1000); return; }
  if (payload.state === "done") offerSwitch(payload.model, payload.scheme);  // the page stays: the evaluator chooses
}

async function retrain(event) {
  const scheme = event.currentTarget.dataset.scheme;
  listen();
  try {
    const payload = await post("/api/retrain", JSON.stringify(scheme ? { scheme } : {}), { "Content-Type": "application/json" });
    say(payload.message, payload.state);
    window.setTimeout(poll, 500);
  } catch (e) { say(e.message, "error"); }
}

document.addEventListener("DOMContentLoaded", () => {
  document.getElementById("upload-form").addEventListener("submit", upload);
  document.getElementById("scheme").addEventListener("change", chooseScheme);
  document.querySelectorAll("#model, select.scheme-model").forEach((s) => s.addEventListener("change", choose));
  document.querySelectorAll("button.retrain").forEach((b) => b.addEventListener("click", retrain));
  document.getElementById("switch-model").addEventListener("click", switchModel);
  const rows = document.getElementById("rows");
  if (rows) rows.addEventListener("click", (event) => {
    const button = event.target.closest("button.axis, button.concept");
    if (button) toggle(button);
  });
  if (document.getElementById("status").dataset.state === "running") { listen(); poll(); }
});
