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
  data.nodes.forEach(function (n) { byId[n.id] = n; n.folded = n.names.map(fold); n.role = n.role || ""; });
  data.edges.forEach(function (e) { e.cycles = e.cycles || []; e.role = e.role || ""; });

  // A node passes the filters by itself; the hubs its members hang from (a cluster, for its
  // members) stay with them unless their own type is unticked.
  // The cycle slider: 0 shows every cycle; k shows the ties dated by cycle k (and the undated ones)
  // and the organisations they join, with what appeared or ended since the cycle before.
  var cycles = data.cycles || [];
  var slider = document.getElementById("cycle");
  var cycleName = document.getElementById("cycle-name");
  var cycleChange = document.getElementById("cycle-change");
  var showRoles = document.getElementById("roles");
  slider.max = String(cycles.length);
  slider.disabled = cycles.length === 0;
  function currentCycle() { var k = Number(slider.value); return k > 0 ? cycles[k - 1] : null; }
  function inCycle(e, cycle) { return !cycle || !e.cycles.length || e.cycles.indexOf(cycle) >= 0; }
  function edgeShown(e) { return (showRoles.checked || !e.role) && inCycle(e, currentCycle()); }

  function visibleIds() {
    var keep = {};
    var cycle = currentCycle();
    var atCycle = null;
    if (cycle) {
      atCycle = {};
      data.edges.forEach(function (e) { if (edgeShown(e)) { atCycle[e.from] = true; atCycle[e.to] = true; } });
    }
    data.nodes.forEach(function (n) {
      if (n.role && !showRoles.checked) return;
      if (atCycle && !atCycle[n.id]) return;
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
  var BASE_EDGE = "#9aa", NEW_EDGE = "#2ca02c";
  var edges = new vis.DataSet(data.edges.map(function (e) {
    return { id: e.id, from: e.from, to: e.to, value: e.value, title: e.title, dashes: !!e.role,
             color: { color: BASE_EDGE, highlight: "#333" } };
  }));
  var edgeById = {};
  data.edges.forEach(function (e) { edgeById[e.id] = e; });
  var view = new vis.DataView(nodes, { filter: function (n) { return !!visible[n.id]; } });
  var edgeView = new vis.DataView(edges, { filter: function (e) {
    return !!(visible[e.from] && visible[e.to]) && edgeShown(edgeById[e.id]);
  } });

  // What changed at the cycle shown: ties dated by it and not by the cycle before ("apparus", drawn
  // green), and the reverse ("terminés").
  function showCycleChange() {
    var k = Number(slider.value);
    cycleName.textContent = k ? cycles[k - 1] : "tous";
    var updates = [];
    var appeared = 0, ended = 0;
    data.edges.forEach(function (e) {
      var fresh = false;
      if (k > 1 && (showRoles.checked || !e.role)) {
        var now = e.cycles.indexOf(cycles[k - 1]) >= 0, before = e.cycles.indexOf(cycles[k - 2]) >= 0;
        fresh = now && !before;
        if (fresh) appeared += 1;
        if (before && !now) ended += 1;
      }
      updates.push({ id: e.id, color: { color: fresh ? NEW_EDGE : BASE_EDGE, highlight: "#333" } });
    });
    edges.update(updates);
    cycleChange.textContent = k > 1 ? plural(appeared, "lien apparu", "liens apparus") + ", " +
      plural(ended, "lien terminé", "liens terminés") + " depuis le " + cycles[k - 2] : "";
  }

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
  slider.addEventListener("input", function () { showCycleChange(); refresh(); });
  showRoles.addEventListener("change", function () { showCycleChange(); refresh(); });
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

  // Fit, reset, and the view as an image: PNG from the canvas, SVG drawn from the shown positions
  // (elements built through the DOM, so a label stays text).
  function download(href, name) {
    var link = document.createElement("a");
    link.href = href; link.download = name; link.style.display = "none";
    document.body.appendChild(link); link.click(); link.remove();
  }
  function pngUrl() { return container.querySelector("canvas").toDataURL("image/png"); }
  function svgText() {
    var NS = "http://www.w3.org/2000/svg";
    var ids = view.getIds();
    var positions = network.getPositions(ids);
    var xs = ids.map(function (id) { return positions[id].x; }), ys = ids.map(function (id) { return positions[id].y; });
    var pad = 60, minX = Math.min.apply(null, xs.concat([0])) - pad, minY = Math.min.apply(null, ys.concat([0])) - pad;
    var width = Math.max.apply(null, xs.concat([0])) + pad - minX, height = Math.max.apply(null, ys.concat([0])) + pad - minY;
    var svg = document.createElementNS(NS, "svg");
    svg.setAttribute("xmlns", NS);
    svg.setAttribute("viewBox", [minX, minY, width, height].join(" "));
    svg.setAttribute("width", String(Math.round(width))); svg.setAttribute("height", String(Math.round(height)));
    edgeView.get().forEach(function (e) {
      var line = document.createElementNS(NS, "line");
      var a = positions[e.from], b = positions[e.to];
      if (!a || !b) return;
      line.setAttribute("x1", a.x); line.setAttribute("y1", a.y); line.setAttribute("x2", b.x); line.setAttribute("y2", b.y);
      line.setAttribute("stroke", e.color && e.color.color || BASE_EDGE);
      if (e.dashes) line.setAttribute("stroke-dasharray", "4 3");
      svg.appendChild(line);
    });
    view.get().forEach(function (n) {
      var p = positions[n.id];
      var circle = document.createElementNS(NS, "circle");
      circle.setAttribute("cx", p.x); circle.setAttribute("cy", p.y); circle.setAttribute("r", n.size / 2);
      circle.setAttribute("fill", n.color); circle.setAttribute("stroke", "#555");
      svg.appendChild(circle);
      var text = document.createElementNS(NS, "text");
      text.setAttribute("x", p.x); text.setAttribute("y", p.y + n.size / 2 + 12);
      text.setAttribute("font-size", "12"); text.setAttribute("text-anchor", "middle");
      text.textContent = n.label;
      svg.appendChild(text);
    });
    return new XMLSerializer().serializeToString(svg);
  }
  function reset() {
    document.getElementById("search").value = "";
    result.textContent = "";
    province.value = ""; axis.value = ""; slider.value = "0"; showRoles.checked = false;
    Array.prototype.forEach.call(legend.querySelectorAll("input[type=checkbox]"), function (box) {
      box.checked = true; hiddenTypes[box.dataset.type] = false;
    });
    network.unselectAll();
    showCycleChange(); refresh(); network.fit({ animation: false });
  }
  document.getElementById("fit").addEventListener("click", function () { network.fit({ animation: false }); });
  document.getElementById("reset").addEventListener("click", reset);
  document.getElementById("png").addEventListener("click", function () { download(pngUrl(), "reseau.png"); });
  document.getElementById("svg").addEventListener("click", function () {
    var url = URL.createObjectURL(new Blob([svgText()], { type: "image/svg+xml" }));
    download(url, "reseau.svg");
    setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
  });
  window.minerNetwork.pngUrl = pngUrl;
  window.minerNetwork.svgText = svgText;
  window.minerNetwork.reset = reset;
  refresh(); // the role ties start hidden: the counts say what is shown

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
