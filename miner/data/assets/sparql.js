// The query page: load the saved competency queries, run a query against /sparql, show the table.
// Every value from the graph goes into the page through textContent: shown as text, never parsed as HTML.
"use strict";

const PREFIXES = {
  "https://w3id.org/miner/ontology#": "miner:",
  "https://w3id.org/miner/axes/": "axis:",
  "https://w3id.org/miner/judgements/": "judgement:",
  "http://www.w3.org/2004/02/skos/core#": "skos:",
  "http://www.w3.org/ns/prov#": "prov:",
  "http://www.w3.org/1999/02/22-rdf-syntax-ns#": "rdf:",
  "http://www.w3.org/2000/01/rdf-schema#": "rdfs:",
};

function shorten(iri) {
  for (const [ns, prefix] of Object.entries(PREFIXES)) {
    if (iri.startsWith(ns)) return prefix + iri.slice(ns.length);
  }
  return iri;
}

function setStatus(text, isError) {
  const status = document.getElementById("status");
  status.textContent = text;
  status.className = isError ? "error" : "";
}

function clearResults() {
  const table = document.getElementById("results");
  table.tHead.replaceChildren();
  table.tBodies[0].replaceChildren();
  const raw = document.getElementById("raw");
  raw.hidden = true;
  raw.textContent = "";
}

function showTable(data) {
  const table = document.getElementById("results");
  const headRow = document.createElement("tr");
  const vars = data.head.vars || [];
  for (const name of vars) {
    const th = document.createElement("th");
    th.textContent = name;
    headRow.appendChild(th);
  }
  table.tHead.appendChild(headRow);
  const body = table.tBodies[0];
  for (const binding of data.results.bindings) {
    const tr = document.createElement("tr");
    for (const name of vars) {
      const td = document.createElement("td");
      const term = binding[name];
      if (term) {
        td.textContent = term.type === "uri" ? shorten(term.value) : term.value;
        if (term.type === "uri") td.title = term.value;
      }
      tr.appendChild(td);
    }
    body.appendChild(tr);
  }
  const n = data.results.bindings.length;
  setStatus(n + (n === 1 ? " ligne" : " lignes"), false);
}

async function runQuery() {
  const query = document.getElementById("query").value;
  clearResults();
  setStatus("…", false);
  let response;
  try {
    response = await fetch("/sparql", {
      method: "POST",
      headers: {
        "Content-Type": "application/sparql-query",
        "Accept": "application/sparql-results+json, text/turtle;q=0.9",
      },
      body: query,
    });
  } catch (err) {
    setStatus("Erreur réseau : " + err, true);
    return;
  }
  const text = await response.text();
  if (!response.ok) {
    setStatus(response.status + " — " + text, true);
    return;
  }
  const type = response.headers.get("Content-Type") || "";
  if (type.startsWith("application/sparql-results+json")) {
    const data = JSON.parse(text);
    if ("boolean" in data) {
      setStatus(data.boolean ? "oui (true)" : "non (false)", false);
    } else {
      showTable(data);
    }
  } else {
    const raw = document.getElementById("raw");
    raw.textContent = text;
    raw.hidden = false;
    setStatus("graphe (Turtle)", false);
  }
  if (response.headers.get("X-Miner-Truncated")) {
    setStatus(document.getElementById("status").textContent + " — coupé à la limite de lignes", false);
  }
}

function download(format) {
  const query = document.getElementById("query").value;
  const url = "/sparql?format=" + encodeURIComponent(format) + "&query=" + encodeURIComponent(query);
  const link = document.createElement("a");
  link.href = url;
  link.download = "resultats." + format;
  document.body.appendChild(link);
  link.click();
  link.remove();
}

async function loadExamples() {
  const list = document.getElementById("examples");
  let saved = [];
  try {
    const response = await fetch("/queries");
    saved = await response.json();
  } catch (err) {
    setStatus("Questions indisponibles : " + err, true);
    return;
  }
  for (const q of saved) {
    const li = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    button.className = "example";
    button.dataset.name = q.name;
    button.textContent = q.fr || q.name;
    button.title = q.en;
    button.addEventListener("click", () => {
      document.getElementById("query").value = q.text;
      runQuery();
    });
    li.appendChild(button);
    list.appendChild(li);
  }
}

document.addEventListener("DOMContentLoaded", () => {
  document.getElementById("run").addEventListener("click", runQuery);
  for (const button of document.querySelectorAll(".download")) {
    button.addEventListener("click", () => download(button.dataset.format));
  }
  loadExamples();
});
