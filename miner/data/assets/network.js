// miner network page: everything shown comes from the JSON data element and is set as text
// (textContent, option.text, vis-network labels drawn on canvas, string tooltips shown as innerText).
// Positions are the layout computed in Python (the same the GEXF and GraphML files carry): no physics.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("network-data").textContent);
  var summary = document.getElementById("summary");
  function plural(n, one, many) { return n + " " + (n === 1 ? one : many); }
  summary.textContent = plural(data.nodes.length, "organisation", "organisations") + ", " +
    plural(data.edges.length, "lien", "liens");
  if (!data.nodes.length || typeof vis === "undefined") {
    window.minerNetwork = { nodes: { length: 0 }, edges: { length: 0 }, empty: true };
    return;
  }
  // Names compared without case or accents: "Infopôle" finds "INFOPOLE".
  function fold(text) {
    return String(text).normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/\s+/g, " ").trim();
  }
  var hiddenTypes = {};
  var province = document.getElementById("province");
  var axis = document.getElementById("axis");
  data.provinces.forEach(function (p) { var o = document.createElement("option"); o.value = p; o.text = p; province.appendChild(o); });
  data.axes.forEach(function (a) { var o = document.createElement("option"); o.value = a; o.text = "axe " + a; axis.appendChild(o); });
  var legend = document.getElementById("legend");
  var legendCounts = {};
  data.legend.forEach(function (item) {
    var row = document.createElement("label");
    row.className = "legend-item";
    var box = document.createElement("input");
    box.type = "checkbox"; box.checked = true; box.dataset.type = item.type;
    var swatch = document.createElement("span");
    swatch.className = "swatch"; swatch.style.background = item.color;
    var text = document.createElement("span");
    text.textContent = item.type + " ";
    var count = document.createElement("span");
    count.className = "legend-count"; count.dataset.type = item.type;
    count.textContent = "(" + item.count + ")";
    legendCounts[item.type] = count;
    row.appendChild(box); row.appendChild(swatch); row.appendChild(text); row.appendChild(count);
    legend.appendChild(row);
    box.addEventListener("change", function () { hiddenTypes[item.type] = !box.checked; refresh(); });
  });
  var byId = {};
  data.nodes.forEach(function (n) { byId[n.id] = n; n.folded = n.names.map(fold); });

  // A node passes the filters by itself; the hubs its members hang from (a cluster, for its
  // members) stay with them unless their own type is unticked.
  function visibleIds() {
    var keep = {};
    data.nodes.forEach(function (n) {
      if (hiddenTypes[n.group]) return;
      if (province.value && n.province !== province.value) return;
      if (axis.value && n.axes.indexOf(axis.value) < 0) return;
      keep[n.id] = true;
    });
    data.edges.forEach(function (e) {
      e.hubs.forEach(function (hub) {
        var member = hub === e.from ? e.to : e.from;
        if (keep[member] && !hiddenTypes[byId[hub].group]) keep[hub] = true;
      });
    });
    return keep;
  }
  var visible = visibleIds();
  var nodes = new vis.DataSet(data.nodes.map(function (n) {
    return { id: n.id, label: n.label, title: n.title, color: n.color, size: n.size, group: n.group,
             province: n.province, axes: n.axes, shape: "dot", x: n.x, y: n.y };
  }));
  var edges = new vis.DataSet(data.edges.map(function (e) {
    return { id: e.id, from: e.from, to: e.to, value: e.value, title: e.title };
  }));
  var view = new vis.DataView(nodes, { filter: function (n) { return !!visible[n.id]; } });
  var edgeView = new vis.DataView(edges, { filter: function (e) { return !!(visible[e.from] && visible[e.to]); } });

  function refresh() {
    visible = visibleIds();
    view.refresh();
    edgeView.refresh();
    var shown = view.length, links = edgeView.length;
    var filtered = shown !== data.nodes.length;
    summary.textContent = plural(shown, "organisation", "organisations") + (filtered ? " sur " + data.nodes.length : "") +
      ", " + plural(links, "lien", "liens") + (filtered ? " sur " + data.edges.length : "");
    var perType = {};
    view.get().forEach(function (n) { perType[n.group] = (perType[n.group] || 0) + 1; });
    Object.keys(legendCounts).forEach(function (type) {
      var total = data.legend.filter(function (l) { return l.type === type; })[0].count;
      var now = perType[type] || 0;
      legendCounts[type].textContent = "(" + (now === total ? total : now + " / " + total) + ")";
    });
  }
  province.addEventListener("change", refresh);
  axis.addEventListener("change", refresh);
  var big = data.nodes.length > 1500;
  var options = {
    nodes: { font: { size: 12 }, borderWidth: 1 },
    edges: { color: { color: "#9aa", highlight: "#333" }, smooth: false, scaling: { min: 1, max: 8 } },
    interaction: { hover: true, tooltipDelay: 120, hideEdgesOnDrag: big, hideEdgesOnZoom: big },
    physics: false,
    layout: { improvedLayout: false }
  };
  var container = document.getElementById("network");
  var network = new vis.Network(container, { nodes: view, edges: edgeView }, options);
  window.minerNetwork = { network: network, nodes: nodes, edges: edges, view: view, edgeView: edgeView };

  var names = document.getElementById("names");
  var seen = {};
  data.nodes.forEach(function (n) {
    n.names.forEach(function (name) {
      if (seen[name]) return; seen[name] = true;
      var o = document.createElement("option"); o.value = name; names.appendChild(o);
    });
  });
  var result = document.getElementById("search-result");
  document.getElementById("search").addEventListener("change", function (event) {
    var wanted = fold(event.target.value);
    if (!wanted) { result.textContent = ""; network.unselectAll(); return; }
    var found = data.nodes.filter(function (n) {
      return n.folded.some(function (name) { return name.indexOf(wanted) >= 0; });
    });
    if (!found.length) { result.textContent = "aucune organisation ne correspond"; return; }
    var matched = found[0].names.filter(function (name) { return fold(name).indexOf(wanted) >= 0; })[0];
    result.textContent = plural(found.length, "résultat", "résultats") + " : " + found[0].label +
      (matched && matched !== found[0].label ? " (aussi « " + matched + " »)" : "");
    network.selectNodes(found.map(function (n) { return n.id; }).filter(function (id) { return view.get(id); }));
    if (view.get(found[0].id)) network.focus(found[0].id, { scale: 1.2, animation: false });
  });
})();
