// The query page: YASGUI (editor with highlighting, prefix completion, Ctrl+Enter; result table with
// paging and sorting) on this endpoint only, the saved competency queries with a field for each of
// their parameters, IRIs that DESCRIBE themselves here, a chart of aggregate results, syntax errors
// marked at their line and column. Every value from the graph reaches the page as text: YASR's table
// escapes and sanitises it, and this file only ever sets textContent.
"use strict";

const ENDPOINT = new URL("/sparql", window.location.href).href;
const MAX_CHART_ROWS = 200; // more bars than this are not readable; the table stays the view
const NUMERIC = new Set(["integer", "decimal", "double", "float", "int", "long", "short", "byte",
  "nonNegativeInteger", "positiveInteger", "negativeInteger", "nonPositiveInteger",
  "unsignedInt", "unsignedLong", "unsignedShort", "unsignedByte"].map((t) => "http://www.w3.org/2001/XMLSchema#" + t));
const PARAM_BLOCK = "# paramètres du formulaire (comme miner query --bind)";
// The page's words: French, English when the page was asked with ?lang=en (its <html lang>).
const ENGLISH = document.documentElement.lang === "en";
const T = ENGLISH ? {
  all: "(all values)", see: "see the page", sheet: "sheet", refused: "Query refused or failed: ", chart: "Chart",
  chartLabel: "Chart of the results", cut: "results cut at the server's row limit", unavailable: "Saved queries unavailable: ",
} : {
  all: "(toutes les valeurs)", see: "voir la page", sheet: "fiche", refused: "Requête refusée ou en échec : ", chart: "Graphique",
  chartLabel: "Graphique des résultats", cut: "résultats coupés à la limite de lignes du serveur",
  unavailable: "Requêtes enregistrées indisponibles : ",
};
function question(q) { return ENGLISH ? (q.en || q.fr || q.name) : (q.fr || q.en || q.name); }

let yasgui = null;
let prefixes = {};
let syntaxMark = null;

// Errors of a run are shown by the editor's "error" event (showQueryError); the promise is settled here.
function run(tab) {
  return tab.query().catch(() => undefined);
}

function setStatus(text, isError) {
  const status = document.getElementById("status");
  status.textContent = text;
  status.className = isError ? "error" : "";
}

async function fetchJson(path) {
  const response = await fetch(path, { headers: { Accept: "application/json" } });
  if (!response.ok) throw new Error(path + " : " + response.status);
  return response.json();
}

function shorten(iri) {
  for (const [prefix, ns] of Object.entries(prefixes)) {
    if (iri.startsWith(ns)) return prefix + ":" + iri.slice(ns.length);
  }
  return iri;
}

// ------------------------------------------------------------ parameters of saved queries

// A value as SPARQL: the same kinds `miner query --bind NAME=VALUE` knows (integer, string, IRI).
function sparqlValue(param, raw) {
  const value = raw.trim();
  if (param.type === "integer") {
    if (!/^-?\d+$/.test(value)) throw new Error(param.name + " : un nombre entier est attendu");
    return value;
  }
  if (param.type === "iri") {
    if (!/^[a-z][a-z0-9+.-]*:[^\s<>"{}|\\^`]*$/i.test(value)) throw new Error(param.name + " : une IRI complète est attendue");
    return "<" + value + ">";
  }
  return JSON.stringify(value); // a SPARQL string literal: JSON's escapes are SPARQL's
}

// The saved query's text with a trailing VALUES clause for the filled fields (SPARQL 1.1 allows one
// after the solution modifiers); empty fields leave the variable free, as a missing --bind does.
function queryWithParams(text, params, form) {
  const base = text.split("\n" + PARAM_BLOCK)[0].replace(/\s+$/, "");
  const lines = [];
  for (const param of params) {
    const field = form.querySelector('[name="' + param.name + '"]');
    if (!field || !field.value.trim()) continue;
    // a choice of the store's own values carries its SPARQL form (datatype, language) as its value
    const value = field.tagName === "SELECT" ? field.value : sparqlValue(param, field.value);
    lines.push("VALUES ?" + param.name + " { " + value + " }");
  }
  return lines.length ? base + "\n" + PARAM_BLOCK + "\n" + lines.join("\n") + "\n" : base + "\n";
}

const TYPED = new Set(["cluster", "cycle", "criterion", "organisation", "year", "text"]);

// A typed parameter offers the values the store holds for it: the text field becomes a list of them.
async function offerValues(saved, param, label, input) {
  let values = [];
  try {
    values = await fetchJson("/queries/" + encodeURIComponent(saved.name) + "/values/" + encodeURIComponent(param.name));
  } catch (err) {
    return; // the text field stays
  }
  if (!values.length || !input.isConnected) return;
  const select = document.createElement("select");
  select.name = param.name;
  select.id = input.id;
  const all = document.createElement("option");
  all.value = "";
  all.textContent = T.all;
  select.appendChild(all);
  for (const v of values) {
    const option = document.createElement("option");
    option.value = v.sparql;
    option.textContent = v.text;
    select.appendChild(option);
  }
  input.replaceWith(select);
}

function showParams(saved) {
  const form = document.getElementById("params");
  const fields = document.getElementById("param-fields");
  fields.replaceChildren();
  document.getElementById("params-title").textContent = question(saved);
  for (const param of saved.params) {
    const label = document.createElement("label");
    label.textContent = "?" + param.name + " — " + param.label;
    const input = document.createElement("input");
    input.name = param.name;
    input.id = "param-" + param.name;
    input.type = param.type === "integer" ? "number" : "text";
    input.autocomplete = "off";
    label.appendChild(input);
    fields.appendChild(label);
    if (TYPED.has(param.type)) offerValues(saved, param, label, input);
  }
  form.dataset.name = saved.name;
  form.hidden = false;
}

function openSaved(saved, runNow) {
  const tab = yasgui.getTab();
  tab.setName(saved.name);
  tab.setQuery(saved.text);
  showParams(saved);
  const form = document.getElementById("params");
  form.onsubmit = (event) => {
    event.preventDefault();
    try {
      tab.setQuery(queryWithParams(saved.text, saved.params, form));
    } catch (err) {
      setStatus(err.message, true);
      return;
    }
    setStatus("", false);
    run(tab);
  };
  if (runNow && !saved.params.length) run(tab);
}

function listSaved(saved) {
  const list = document.getElementById("examples");
  for (const q of saved) {
    const li = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    button.className = "example";
    button.dataset.name = q.name;
    button.textContent = question(q);
    button.title = ENGLISH ? (q.fr || "") : (q.en || "");
    if (q.params.length) {
      const badge = document.createElement("span");
      badge.className = "badge";
      badge.textContent = q.params.map((p) => "?" + p.name).join(" ");
      button.appendChild(badge);
    }
    button.addEventListener("click", () => openSaved(q, true));
    li.appendChild(button);
    list.appendChild(li);
  }
}

// ------------------------------------------------------------ IRIs, errors, chart

function describeLink(iri) {
  const url = new URL(window.location.pathname, window.location.href);
  url.hash = new URLSearchParams({ query: "DESCRIBE <" + iri + ">", tabTitle: shorten(iri) }).toString();
  return url.href;
}

// A click on an IRI of the results opens a tab that DESCRIBEs it on this endpoint; the link's
// address becomes that tab's share link, so opening it elsewhere does the same.
function followIris(root) {
  const retarget = (event) => {
    const link = event.target.closest && event.target.closest("a.iri");
    if (!link || !root.contains(link)) return null;
    if (!link.dataset.iri) {
      const iri = link.getAttribute("href");
      if (!iri) return null; // YASR's sanitiser drops hrefs such as javascript:…; nothing to follow
      link.dataset.iri = iri;
      link.href = describeLink(link.dataset.iri);
      link.title = link.dataset.iri;
      link.removeAttribute("target");
    }
    return link;
  };
  root.addEventListener("mouseover", retarget);
  root.addEventListener("focusin", retarget);
  root.addEventListener("click", (event) => {
    const link = retarget(event);
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    const iri = link.dataset.iri;
    const tab = yasgui.addTab(true, { name: shorten(iri) });
    hook(tab);
    tab.setQuery("DESCRIBE <" + iri + ">");
    run(tab);
  });
}

// Facts with a known page get a "voir la page" link beside their IRI: the IRIs the table shows
// (every page of it, redrawn as the user pages or sorts) are asked of /evidence/which in one request.
function offerPages(root) {
  let pending = null;
  const scan = async () => {
    pending = null;
    const links = Array.from(root.querySelectorAll(".yasr a.iri:not([data-evidence])"));
    const iris = new Map();
    for (const link of links) {
      const iri = link.dataset.iri || link.getAttribute("href");
      link.dataset.evidence = "asked";
      if (iri) iris.set(link, iri);
    }
    if (!iris.size) return;
    let found = [];
    try {
      const response = await fetch("/evidence/which", { method: "POST", headers: { "Content-Type": "application/json" },
        body: JSON.stringify(Array.from(new Set(iris.values()))) });
      if (response.ok) found = await response.json();
    } catch (err) {
      return;
    }
    const withPage = new Set(found);
    for (const [link, iri] of iris) {
      if (!link.isConnected) continue;
      // the resource's own page: its name, types, links in and out (the IRI itself DESCRIBEs)
      const sheet = document.createElement("a");
      sheet.className = "resource-link";
      sheet.href = "/resource?" + new URLSearchParams(ENGLISH ? { iri: iri, lang: "en" } : { iri: iri }).toString();
      sheet.textContent = T.sheet;
      link.after(" ", sheet);
      if (!withPage.has(iri)) continue;
      const see = document.createElement("a");
      see.className = "see-page";
      see.href = "/evidence?" + new URLSearchParams(ENGLISH ? { fact: iri, lang: "en" } : { fact: iri }).toString();
      see.textContent = T.see;
      sheet.after(" ", see);
    }
  };
  new MutationObserver(() => { if (!pending) pending = setTimeout(scan, 50); })
    .observe(root, { childList: true, subtree: true });
}

// The endpoint says "SPARQL syntax error at line L, column C (...): ..."; the page says it in
// French and marks the spot in the editor.
function showQueryError(yasqe, err) {
  const message = (err && err.message) || String(err);
  const where = /line (\d+), column (\d+)(?: \(([^)]*)\))?: (.*)/s.exec(message);
  if (syntaxMark) { syntaxMark.clear(); syntaxMark = null; }
  if (!where) {
    setStatus(T.refused + message, true);
    return;
  }
  const line = Number(where[1]) - 1;
  const ch = Math.max(0, Number(where[2]) - 1);
  const found = (where[3] || "").replace(/^before /, "devant ").replace("at the end of the query", "à la fin de la requête");
  const expected = where[4].replace(/^expected one of /, "on attendait l'un de : ").replace(/^expected /, "on attendait : ")
    .replace(/a digit/g, "un chiffre").replace(/a letter/g, "une lettre");
  setStatus(ENGLISH ? message : "Erreur de syntaxe ligne " + (line + 1) + ", colonne " + (ch + 1) + (found ? " (" + found + ")" : "") + " — " + expected, true);
  const doc = yasqe.getDoc();
  const lineText = doc.getLine(Math.min(line, doc.lastLine())) || "";
  const from = { line: Math.min(line, doc.lastLine()), ch: Math.min(ch, lineText.length) };
  const to = { line: from.line, ch: Math.min(lineText.length, from.ch + 1) };
  if (to.ch === from.ch && from.ch > 0) from.ch -= 1;
  syntaxMark = doc.markText(from, to, { className: "miner-syntax-error", attributes: { title: message } });
  doc.setCursor(from);
}

function isNumber(term) {
  return term && term.type !== "uri" && term.type !== "bnode" && NUMERIC.has(term.datatype || "");
}

// A bar chart of aggregate results: label columns (text, IRIs) on one axis, each numeric column a series.
class AggregateChart {
  constructor(yasr) {
    this.yasr = yasr;
    this.priority = 5; // after the table: the chart is offered, not imposed
    this.label = T.chart;
    this.chart = null;
  }

  series() {
    const results = this.yasr.results;
    if (!results || typeof Chart === "undefined" || !results.getVariables || !results.getBindings) return null;
    const vars = results.getVariables() || [];
    const rows = results.getBindings() || [];
    if (!rows.length || rows.length > MAX_CHART_ROWS) return null;
    const numeric = vars.filter((v) => rows.every((row) => isNumber(row[v])));
    const labels = vars.filter((v) => !numeric.includes(v));
    if (!numeric.length || !labels.length) return null;
    const text = (term) => (term ? (term.type === "uri" ? shorten(term.value) : term.value) : "");
    return {
      labels: rows.map((row) => labels.map((v) => text(row[v])).join(" · ")),
      datasets: numeric.map((v) => ({ label: v, data: rows.map((row) => Number(row[v].value)) })),
    };
  }

  canHandleResults() {
    return !!this.series();
  }

  getIcon() {
    const icon = document.createElement("span");
    icon.className = "chart-icon";
    icon.textContent = "▮▮";
    return icon;
  }

  draw() {
    const data = this.series();
    const box = document.createElement("div");
    box.className = "miner-chart";
    const canvas = document.createElement("canvas");
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", T.chartLabel);
    box.appendChild(canvas);
    this.yasr.resultsEl.appendChild(box);
    this.chart = new Chart(canvas, {
      type: "bar",
      data: data,
      options: { animation: false, responsive: true, maintainAspectRatio: false,
                 scales: { y: { beginAtZero: true } } },
    });
  }

  destroy() {
    if (this.chart) { this.chart.destroy(); this.chart = null; }
  }
}

// The page's own reactions to a tab's editor: status line, truncation notice, syntax errors.
function hook(tab) {
  const yasqe = tab.getYasqe();
  if (!yasqe || yasqe.__miner) return;
  yasqe.__miner = true;
  yasqe.on("query", () => { setStatus("…", false); if (syntaxMark) { syntaxMark.clear(); syntaxMark = null; } });
  yasqe.on("queryResponse", (...args) => {
    const response = args.find((a) => a && typeof a === "object" && "ok" in a);
    if (response && response.ok) {
      const cut = response.headers && response.headers.get("X-Miner-Truncated");
      setStatus(cut ? T.cut : "", false);
    }
  });
  yasqe.on("error", (...args) => showQueryError(yasqe, args.find((a) => a instanceof Error) || args[args.length - 1]));
}

// ------------------------------------------------------------ start

async function start() {
  let saved = [];
  try {
    [saved, prefixes] = await Promise.all([fetchJson("/queries"), fetchJson("/prefixes")]);
  } catch (err) {
    setStatus(T.unavailable + err.message, true);
  }
  document.getElementById("endpoint").textContent = ENDPOINT;
  const Yasqe = Yasgui.Yasqe;
  // Prefix completion from miner's own vocabulary list: nothing is asked of prefix.cc or LOV.
  Yasqe.forkAutocompleter("prefixes", {
    name: "minerPrefixes",
    persistenceId: null,
    get: () => Promise.resolve(Object.entries(prefixes).map(([p, ns]) => p + ": <" + ns + ">").sort()),
  }, false);
  Yasgui.Yasr.registerPlugin("chart", AggregateChart);
  const Table = Yasgui.Yasr.plugins.table;
  Table.defaults = Object.assign({}, Table.defaults, { openIriInNewWindow: false });
  // The table opens in its simple view: values as analysts read them ("2", miner:Constat); the typed
  // form ("2"^^xsd:integer) is one switch away, and a switch the user made is kept.
  const drawTable = Table.prototype.draw;
  Table.prototype.draw = function (config) {
    return drawTable.call(this, Object.assign({ compact: true }, config));
  };
  const shared = /(^|[#&])query=/.test(window.location.hash.slice(1));
  yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: {
      endpoint: ENDPOINT,
      method: "POST",
      acceptHeaderSelect: "application/sparql-results+json",
      acceptHeaderGraph: "text/turtle",
    },
    copyEndpointOnNewTab: true,
    persistenceId: "miner-sparql",
    // a share link reopens its query here, but always on this endpoint, never on another host
    populateFromUrl: (config) => {
      config.requestConfig.endpoint = ENDPOINT;
      return config;
    },
    yasqe: {
      autocompleters: ["minerPrefixes", "variables"],
      value: "PREFIX miner: <https://w3id.org/miner/ontology#>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        + "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 20\n",
      resizeable: true,
    },
    yasr: { prefixes: prefixes, pluginOrder: ["table", "chart", "response"], defaultPlugin: "table" },
  });
  // tabs kept from an earlier session may name this server at another address or port: this one answers
  for (const id of Object.keys(yasgui._tabs)) {
    const tab = yasgui.getTab(id);
    if (tab.getEndpoint() !== ENDPOINT) tab.setEndpoint(ENDPOINT);
  }
  for (const id of Object.keys(yasgui._tabs)) hook(yasgui.getTab(id));
  yasgui.on("tabSelect", (_, id) => setTimeout(() => hook(yasgui.getTab(id)), 0));
  yasgui.on("tabAdd", (_, id) => setTimeout(() => hook(yasgui.getTab(id)), 0));
  hook(yasgui.getTab());
  followIris(document.getElementById("yasgui"));
  offerPages(document.getElementById("yasgui"));
  listSaved(saved);
  window.minerQueryPage = { yasgui: yasgui, saved: saved };
  if (shared) run(yasgui.getTab());
}

document.addEventListener("DOMContentLoaded", start);
