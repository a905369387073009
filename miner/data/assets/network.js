// miner network page: everything shown comes from the JSON data element and is set as text
// (textContent, option.text, vis-network labels drawn on canvas, string tooltips shown as innerText).
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("network-data").textContent);
  var summary = document.getElementById("summary");
  summary.textContent = data.nodes.length + " organisations, " + data.edges.length + " liens";
  if (!data.nodes.length || typeof vis === "undefined") {
    window.minerNetwork = { nodes: { length: 0 }, edges: { length: 0 }, empty: true };
    return;
  }
  var hiddenTypes = {};
  var province = document.getElementById("province");
  var axis = document.getElementById("axis");
  data.provinces.forEach(function (p) { var o = document.createElement("option"); o.value = p; o.text = p; province.appendChild(o); });
  data.axes.forEach(function (a) { var o = document.createElement("option"); o.value = a; o.text = "axe " + a; axis.appendChild(o); });
  var legend = document.getElementById("legend");
  data.legend.forEach(function (item) {
    var row = document.createElement("label");
    row.className = "legend-item";
    var box = document.createElement("input");
    box.type = "checkbox"; box.checked = true; box.dataset.type = item.type;
    var swatch = document.createElement("span");
    swatch.className = "swatch"; swatch.style.background = item.color;
    var text = document.createElement("span");
    text.textContent = item.type + " (" + item.count + ")";
    row.appendChild(box); row.appendChild(swatch); row.appendChild(text);
    legend.appendChild(row);
    box.addEventListener("change", function () { hiddenTypes[item.type] = !box.checked; view.refresh(); });
  });
  var nodes = new vis.DataSet(data.nodes.map(function (n) {
    var node = { id: n.id, label: n.label, title: n.title, color: n.color, size: n.size, group: n.group,
                 province: n.province, axes: n.axes, shape: "dot" };
    if (n.x !== undefined) { node.x = n.x; node.y = n.y; }
    return node;
  }));
  var edges = new vis.DataSet(data.edges);
  var view = new vis.DataView(nodes, { filter: function (n) {
    if (hiddenTypes[n.group]) return false;
    if (province.value && n.province !== province.value) return false;
    if (axis.value && n.axes.indexOf(axis.value) < 0) return false;
    return true;
  } });
  province.addEventListener("change", function () { view.refresh(); });
  axis.addEventListener("change", function () { view.refresh(); });
  var big = !data.physics;
  var options = {
    nodes: { font: { size: 12 }, borderWidth: 1 },
    edges: { color: { color: "#9aa", highlight: "#333" }, smooth: false, scaling: { min: 1, max: 8 } },
    interaction: { hover: true, tooltipDelay: 120, hideEdgesOnDrag: big, hideEdgesOnZoom: big },
    physics: data.physics ? { solver: "forceAtlas2Based", stabilization: { iterations: data.stabilization, fit: true } }
                          : false,
    layout: { improvedLayout: false }
  };
  var container = document.getElementById("network");
  var network = new vis.Network(container, { nodes: view, edges: edges }, options);
  network.once("stabilizationIterationsDone", function () { network.setOptions({ physics: false }); });
  window.minerNetwork = { network: network, nodes: nodes, edges: edges, view: view };

  var names = document.getElementById("names");
  var seen = {};
  data.nodes.forEach(function (n) {
    if (seen[n.label]) return; seen[n.label] = true;
    var o = document.createElement("option"); o.value = n.label; names.appendChild(o);
  });
  var result = document.getElementById("search-result");
  document.getElementById("search").addEventListener("change", function (event) {
    var wanted = event.target.value.trim().toLowerCase();
    if (!wanted) { result.textContent = ""; network.unselectAll(); return; }
    var found = data.nodes.filter(function (n) { return n.label.toLowerCase().indexOf(wanted) >= 0; });
    if (!found.length) { result.textContent = "aucune organisation ne correspond"; return; }
    result.textContent = found.length + " résultat(s) : " + found[0].label;
    network.selectNodes(found.map(function (n) { return n.id; }).filter(function (id) { return view.get(id); }));
    if (view.get(found[0].id)) network.focus(found[0].id, { scale: 1.2, animation: false });
  });
})();
