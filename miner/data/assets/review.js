// The review page's behaviour: upload, one-click axis toggles, model choice, retraining.
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

async function upload(event) {
  event.preventDefault();
  const file = document.getElementById("file").files[0];
  if (!file) { say("choisissez un fichier", "error"); return; }
  say("lecture et étiquetage de " + file.name + "…", "running");
  try {
    const sheet = document.getElementById("sheet").value.trim();
    const query = "?name=" + encodeURIComponent(file.name) + (sheet ? "&sheet=" + encodeURIComponent(sheet) : "");
    await post("/api/upload" + query, file, { "Content-Type": "application/octet-stream" });
    window.location.reload();
  } catch (e) { say(e.message, "error"); }
}

async function toggle(button) {
  try {
    const payload = await post("/api/toggle", JSON.stringify({ row: Number(button.dataset.row), axis: Number(button.dataset.axis) }),
      { "Content-Type": "application/json" });
    const row = document.querySelector('tr[data-row="' + payload.row + '"]');
    row.querySelectorAll("button.axis").forEach((b) => {
      b.setAttribute("aria-pressed", payload.axes.includes(Number(b.dataset.axis)) ? "true" : "false");
    });
    row.classList.toggle("corrected", payload.corrected);
    document.getElementById("count").textContent = String(payload.corrections);
    document.getElementById("retrain").disabled = payload.corrections === 0;
  } catch (e) { say(e.message, "error"); }
}

async function choose(event) {
  say("étiquetage avec le modèle choisi…", "running");
  try {
    await post("/api/model", JSON.stringify({ model: event.target.value }), { "Content-Type": "application/json" });
    window.location.reload();
  } catch (e) { say(e.message, "error"); }
}

async function poll() {
  const response = await fetch("/api/status");
  const payload = await response.json();
  say(payload.message, payload.state);
  if (payload.state === "running") { window.setTimeout(poll, 1000); return; }
  if (payload.state === "done") window.location.reload();
}

async function retrain() {
  try {
    const payload = await post("/api/retrain", "{}", { "Content-Type": "application/json" });
    say(payload.message, payload.state);
    window.setTimeout(poll, 500);
  } catch (e) { say(e.message, "error"); }
}

document.addEventListener("DOMContentLoaded", () => {
  document.getElementById("upload-form").addEventListener("submit", upload);
  document.getElementById("model").addEventListener("change", choose);
  document.getElementById("retrain").addEventListener("click", retrain);
  const rows = document.getElementById("rows");
  if (rows) rows.addEventListener("click", (event) => {
    const button = event.target.closest("button.axis");
    if (button) toggle(button);
  });
  if (document.getElementById("status").dataset.state === "running") poll();
});
