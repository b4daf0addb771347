// The map's site drawing, defined once per map as ``window.siteMap`` (see geo/web/mapview.py).
// CONFIG (set just before this script) holds the style table, per-style layer and status labels,
// and the interface's labels. Feature groups call ``siteMap.setStrings`` and ``siteMap.add*`` with
// compact data. Everything from the data goes into the page through ``esc`` (HTML-escaped, quotes
// included) or as Leaflet options and coordinates: report text is never put in as markup.
(function() {
  // styles arrive as a table: [option names, [values per style (null: not set)]]
  var styles = CONFIG.styles[1].map(function(row) {
    var o = {};
    CONFIG.styles[0].forEach(function(k, i) { if (row[i] !== null) o[k] = row[i]; });
    return o;
  });
  var M = window.siteMap = {styles: styles, meta: CONFIG.meta, labels: CONFIG.labels, strings: [], facts: []};
  var ENT = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;"};
  function esc(s) { return String(s == null ? "" : s).replace(/[&<>"']/g, function(c) { return ENT[c]; }); }
  function str(i) {
    return (typeof i === "number" && i >= 0 && i < M.strings.length) ? String(M.strings[i]) : "";
  }
  function style(i) { return L.extend({}, M.styles[i] || {}); }
  function reEsc(s) { return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }
  function highlight(text, terms) {
    var found = [];
    terms.forEach(function(x) { if (x && text.indexOf(x) >= 0 && found.indexOf(x) < 0) found.push(x); });
    if (!found.length) return esc(text);
    found.sort(function(a, b) { return b.length - a.length; });
    var re = new RegExp(found.map(reEsc).join("|"), "g"), out = "", pos = 0, m;
    while ((m = re.exec(text)) !== null) {
      out += esc(text.slice(pos, m.index)) + "<mark>" + esc(m[0]) + "</mark>";
      pos = m.index + m[0].length;
    }
    return out + esc(text.slice(pos));
  }
  M.esc = esc;
  M.highlight = highlight;
  // meta of a record's style: [layer, layer label, status label, colour] (null for fixed styles)
  function meta(r) { return M.meta[r[1]] || ["", "", "", "#555555"]; }
  // "layer · status · precision" of a record, in the interface's language
  M.describe = function(r) {
    var m = meta(r), parts = [m[1], m[2], str(r[7])];
    return parts.filter(function(x) { return x; }).join(" · ");
  };
  // The tooltip: the name as text, and layer, status and precision drawn by CSS from an attribute.
  // streamlit-folium reports the clicked object's tooltip text to the app, which finds the site by
  // that name, so the tooltip's text must stay the name alone.
  M.tooltip = function(r) {
    return '<span class="tt-name">' + esc(r[3]) + '</span><span class="tt-meta" data-meta="' +
      esc(M.describe(r)) + '"></span>';
  };
  // r: [key, style, geometry, name, fact set, statements [[report, quote, surface?, file?]], flags, precision,
  // pinyin? (of a Chinese name, English interface)]; a
  // fact set is [label, value, label, value, ...] and every text is a position in the string table
  M.popup = function(r) {
    var lab = M.labels, name = String(r[3] || ""), said = r[5] || [], flags = r[6] || 0;
    var facts = (typeof r[4] === "number" && M.facts[r[4]]) || [];
    var h = '<div class="site-popup"><h4>' + esc(name) + "</h4>", tags = [];
    if (str(r[8])) h += '<p class="pinyin">' + esc(str(r[8])) + "</p>";
    lab.flags.forEach(function(f) {
      if (flags & f[0]) tags.push('<span class="tag">' + esc(f[1]) + "</span>");
    });
    if (tags.length) h += '<p class="tags">' + tags.join("") + "</p>";
    var lines = [];
    for (var i = 0; i + 1 < facts.length; i += 2) {
      lines.push("<b>" + esc(str(facts[i])) + ":</b> " + esc(str(facts[i + 1])));
    }
    h += "<p>" + lines.join("<br>") + "</p>";
    if (said.length) {
      h += "<p><b>" + esc(lab.statements.replace("{n}", String(said.length))) + "</b></p><ol>";
      said.forEach(function(s) {
        // the report by its title; its file name small after it and as the tooltip
        var file = s.length > 3 ? esc(str(s[3])) : "";
        h += "<li><blockquote>" + highlight(str(s[1]), [name, str(s[2])]) + "</blockquote><cite" +
          (file ? ' title="' + file + '">' : ">") + esc(str(s[0])) +
          (file ? ' <small class="file">' + file + "</small>" : "") + "</cite></li>";
      });
      h += "</ol>";
    } else {
      h += "<p>" + esc(lab.noStatements) + "</p>";
    }
    return h + "</div>";
  };
  function geometry(g) {
    return (Array.isArray(g) && typeof g[0] === "number") ? {type: "Point", coordinates: g} : g;
  }
  M.setStrings = function(group, strings, facts) { M.strings = strings; M.facts = facts || []; };
  M.addSites = function(group, rows) {
    var feats = rows.map(function(r) {
      return {type: "Feature", id: r[0], geometry: geometry(r[2]), properties: {r: r}};
    });
    L.geoJson(feats, {
      pointToLayer: function(f, ll) { return L.circleMarker(ll, style(f.properties.r[1])); },
      style: function(f) { return style(f.properties.r[1]); },
      onEachFeature: function(f, layer) {
        var r = f.properties.r;
        layer.bindTooltip(M.tooltip(r), {sticky: true});
        layer.bindPopup(function() { return M.popup(r); }, {maxWidth: 420, maxHeight: 360});
        layer.on("popupopen", function() { layer.closeTooltip(); });
      }
    }).addTo(group);
  };
  // The list of an aggregate's sites; choosing one shows its popup in place, with a way back.
  function aggregateList(a) {
    var lab = M.labels, h = '<div class="site-popup agg-popup"><h4>' +
      esc(lab.aggTitle.replace("{n}", String(a.members.length))) + "</h4>";
    if (a.note) h += '<p class="agg-note">' + esc(a.note) + "</p>";
    h += '<ol class="agg-list">';
    a.members.forEach(function(r, i) {
      var m = meta(r);
      h += '<li><a href="#" data-i="' + i + '" data-key="' + esc(r[0]) + '">' +
        '<span class="agg-dot" style="background:' + esc(m[3]) + '"></span>' + esc(r[3]) + "</a> " +
        (str(r[8]) ? '<span class="agg-pinyin">' + esc(str(r[8])) + "</span> " : "") +
        '<span class="agg-meta">' + esc(M.describe(r)) + "</span></li>";
    });
    return h + "</ol></div>";
  }
  function aggregateContent(a) {
    var div = L.DomUtil.create("div", "agg-content");
    div.innerHTML = aggregateList(a);
    L.DomEvent.on(div, "click", function(e) {
      var t = e.target.closest ? e.target.closest("a[data-i], a.agg-back") : null;
      if (!t) return;
      L.DomEvent.preventDefault(e);
      L.DomEvent.stopPropagation(e);
      if (t.classList.contains("agg-back")) {
        div.innerHTML = aggregateList(a);
      } else {
        var r = a.members[Number(t.getAttribute("data-i"))];
        if (!r) return;
        div.innerHTML = '<a href="#" class="agg-back">' + esc(M.labels.aggBack) + "</a>" + M.popup(r);
      }
      if (a.marker.getPopup()) a.marker.getPopup().update();
    });
    return div;
  }
  // rows: [lon, lat, note (string position), [site records]]: sites that share one spot, drawn as
  // one marker with their count and a bar of their split by layer, at the spot itself.
  M.addAggregates = function(group, rows) {
    rows.forEach(function(row) {
      var members = row[3] || [], counts = {}, order = [];
      members.forEach(function(r) {
        var m = meta(r);
        if (!(m[0] in counts)) { counts[m[0]] = [0, m[1], m[3]]; order.push(m[0]); }
        counts[m[0]][0] += 1;
      });
      var n = members.length, bar = "", split = [];
      order.forEach(function(k) {
        var c = counts[k];
        bar += '<i style="flex:' + c[0] + ";background:" + esc(c[2]) + '"></i>';
        split.push(esc(c[1]) + " " + c[0]);
      });
      var w = n < 10 ? 30 : (n < 100 ? 36 : 44);
      var icon = L.divIcon({
        className: "site-agg",
        html: '<div class="agg-n">' + n + '</div><div class="agg-bar">' + bar + "</div>",
        iconSize: [w, 30],
        iconAnchor: [w / 2, 15]
      });
      var a = {members: members, note: str(row[2]), lon: row[0], lat: row[1]};
      var marker = L.marker([row[1], row[0]], {icon: icon, riseOnHover: true, keyboard: true,
        title: ""});
      a.marker = marker;
      marker.siteAggregate = a;
      marker.bindTooltip(
        '<span class="tt-name">' + esc(M.labels.aggTooltip.replace("{n}", String(n))) + "</span>" +
        '<span class="tt-meta" data-meta="' + split.join(" · ") + '"></span>', {direction: "top", offset: [0, -14]});
      // one content node per marker (Leaflet calls the function again on each update); closing
      // the popup brings the list back for the next time
      marker.bindPopup(function() { return a.div || (a.div = aggregateContent(a)); },
        {maxWidth: 420, maxHeight: 360});
      marker.on("popupopen", function() { marker.closeTooltip(); });
      marker.on("popupclose", function() { if (a.div) a.div.innerHTML = aggregateList(a); });
      marker.addTo(group);
    });
  };
  // rows: [lon, lat, radius in metres, style]
  M.addCircles = function(group, rows) {
    rows.forEach(function(c) {
      L.circle([c[1], c[0]], L.extend(style(c[3]), {radius: c[2], interactive: false})).addTo(group);
    });
  };
  M.addShapes = function(group, styleIndex, geometries) {
    L.geoJson(geometries.map(function(g) { return {type: "Feature", geometry: g, properties: {}}; }),
      {style: function() { return style(styleIndex); }, interactive: false}).addTo(group);
  };
  // Counties' names, in their own pane taking no clicks: rows [name, lon, lat], the name centred
  // on the point (inside the county's outline).
  M.addLabels = function(group, pane, rows) {
    rows.forEach(function(r) {
      var icon = L.divIcon({className: "geo-label county-label", iconSize: null,
        html: "<span>" + esc(r[0]) + "</span>"});
      L.marker([r[2], r[1]], {icon: icon, pane: pane, interactive: false, keyboard: false})
        .addTo(group);
    });
  };
  // Township seats: rows [name, lon, lat], a small dot with the name beside it; the names show
  // from zoom ``minZoom`` on (the map's container carries "towns-far" below it). ``credit`` (the
  // data's attribution, plain text) is on the map while the group is.
  M.addSeats = function(group, pane, rows, minZoom, credit) {
    var markers = rows.map(function(r) {
      var icon = L.divIcon({className: "geo-label town-seat", iconSize: null,
        html: "<i></i><span>" + esc(r[0]) + "</span>"});
      return L.marker([r[2], r[1]], {icon: icon, pane: pane, interactive: false, keyboard: false})
        .addTo(group);
    });
    var map = null;
    credit = credit ? esc(credit) : "";
    // A name that would overlap a county's name or a name already shown is hidden (its dot stays).
    function declutter() {
      if (!map) return;
      var kept = [];
      map.getContainer().querySelectorAll(".county-label span").forEach(function(e) {
        kept.push(e.getBoundingClientRect());
      });
      markers.forEach(function(m) {
        var e = m.getElement(), span = e && e.querySelector("span");
        if (!span) return;
        L.DomUtil.removeClass(span, "crowded");
        var b = span.getBoundingClientRect();
        var hit = kept.some(function(a) {
          return b.left < a.right && a.left < b.right && b.top < a.bottom && a.top < b.bottom;
        });
        if (hit) L.DomUtil.addClass(span, "crowded"); else kept.push(b);
      });
    }
    function zoomed() {
      if (!map) return;
      if (map.getZoom() < minZoom) L.DomUtil.addClass(map.getContainer(), "towns-far");
      else { L.DomUtil.removeClass(map.getContainer(), "towns-far"); declutter(); }
    }
    function start() {
      if (map || !group._map) return;
      map = group._map;
      map.on("zoomend", zoomed);
      zoomed();
      if (credit && map.attributionControl) map.attributionControl.addAttribution(credit);
    }
    function stop() {
      if (!map) return;
      map.off("zoomend", zoomed);
      if (credit && map.attributionControl) map.attributionControl.removeAttribution(credit);
      map = null;
    }
    group.on("add", start);
    group.on("remove", stop);
    start();
  };
  // The site chosen in the table: a white halo under a dark ring (a point, or the aggregate marker
  // it is drawn in) or a dark line (a line or an area), taking no clicks, with the name beside it.
  M.addChosen = function(group, styleIndex, g, name) {
    var s = style(styleIndex), halo = L.extend({}, s, {color: "#ffffff", weight: s.weight + 4,
      className: "site-chosen-halo"});
    var ring = null;
    [halo, s].forEach(function(o) {
      ring = L.geoJson({type: "Feature", geometry: geometry(g), properties: {}}, {
        pointToLayer: function(f, ll) { return L.circleMarker(ll, o); },
        style: function() { return o; }, interactive: false
      }).addTo(group);
    });
    if (name) {
      ring.bindTooltip(esc(name), {permanent: true, direction: "right", offset: [s.radius || 0, 0],
        className: "chosen-label"});
    }
  };
  // The point chosen for a site being placed: a pin that can be dragged; dropping it sets the
  // point as a click there would (streamlit-folium reports the map's clicks to the app).
  M.addPin = function(group, styleIndex, lon, lat, label) {
    var s = style(styleIndex);
    var icon = L.divIcon({className: "place-pin", iconSize: [22, 22], iconAnchor: [11, 11],
      html: '<i style="border-color:' + esc(s.color || "#000") + '"></i>'});
    var m = L.marker([lat, lon], {icon: icon, draggable: true, autoPan: true, keyboard: false,
      zIndexOffset: 1000}).addTo(group);
    if (label) m.bindTooltip(esc(label), {permanent: true, direction: "top", offset: [0, -12]});
    m.on("dragend", function() {
      var map = group._map;
      if (map) map.fire("click", {latlng: m.getLatLng()});
    });
  };
  // Placement mode, while a site is being placed: sites, aggregates and outlines let clicks
  // through (CSS on the "placing" class), so a click anywhere sets the point and opens no popup;
  // ``notice`` says so on the map. It ends when the group leaves the map.
  var placingGroups = 0;
  M.placeMode = function(group, notice) {
    var map = null, control = null;
    function start() {
      if (map || !group._map) return;
      map = group._map;
      placingGroups += 1;
      L.DomUtil.addClass(map.getContainer(), "placing");
      map.closePopup();
      if (!notice) return;
      control = L.control({position: "topleft"});
      control.onAdd = function() {
        var div = L.DomUtil.create("div", "place-notice");
        div.setAttribute("role", "status");
        div.textContent = notice;
        L.DomEvent.disableClickPropagation(div);
        return div;
      };
      control.addTo(map);
    }
    function stop() {
      if (!map) return;
      placingGroups -= 1;
      if (placingGroups <= 0) L.DomUtil.removeClass(map.getContainer(), "placing");
      if (control) control.remove();
      map = control = null;
    }
    group.on("add", start);
    group.on("remove", stop);
    start();
  };
  // Tiles that cannot be loaded (offline, blocked): when tiles fail and none has loaded, a notice
  // on the map says so; with ``fallback`` ("auto") the tiles are also taken off, leaving the
  // offline background. The notice goes when the tile group does. A base map of several tile
  // layers (Tianditu's map and its annotations) has one notice.
  M.watchTiles = function(group, fallback, notice) {
    var loaded = false, control = null;
    group.on("remove", function() { if (control) { control.remove(); control = null; } });
    group.eachLayer(function(tiles) {
      if (!(tiles instanceof L.TileLayer)) return;
      tiles.on("tileload", function() { loaded = true; });
      tiles.on("tileerror", function() {
        if (loaded) return;
        var map = group._map;
        if (!control && map) {
          control = L.control({position: "topright"});
          control.onAdd = function() {
            var div = L.DomUtil.create("div", "tile-notice");
            div.setAttribute("role", "status");
            div.textContent = notice;
            return div;
          };
          control.addTo(map);
        }
        if (fallback) group.eachLayer(function(l) { if (l instanceof L.TileLayer) group.removeLayer(l); });
      });
    });
  };
  // The map's own layer control (``geo.web.switches``): the sidebar's layer switches, folded to
  // Leaflet's layers button (it opens on hover or tap). The sidebar's switches are the one state:
  // the control shows them as each redraw sends them (``switchState``); a click in it hides the
  // layer's groups at once and asks the app to set that switch, through streamlit-folium's
  // component value (its ``last_geocoder_result``, see geo/web/switches.py: sent again with every
  // later value, so a request is not lost when reruns run together; applied once, by ``seq``).
  // entries: [[id, label, colour or ""]]
  M.layerControl = function(map, entries, title, entryName) {
    var proxies = {}, overlays = {}, syncing = false, groups = {}, seq = 0;
    function changed(id, on) {
      if (!on) (groups[id] || []).forEach(function(g) { if (g._map) g._map.removeLayer(g); });
      var shown = {};
      entries.forEach(function(e) { shown[e[0]] = map.hasLayer(proxies[e[0]]); });
      var data = window.__GLOBAL_DATA__;
      seq = Math.max(seq + 1, Date.now());
      if (data) data.last_geocoder_result = {name: entryName, seq: seq, shown: shown};
      // the control then fires "overlayadd"/"overlayremove", on which streamlit-folium sends the value
    }
    entries.forEach(function(e) {
      var p = proxies[e[0]] = L.layerGroup().addTo(map);
      var swatch = e[2] ? '<i class="switch-swatch" style="background:' + esc(e[2]) + '"></i>' : "";
      overlays[swatch + '<span class="switch-name" data-switch="' + esc(e[0]) + '">' + esc(e[1]) + "</span>"] = p;
      p.on("add remove", function(ev) { if (!syncing) changed(e[0], ev.type === "add"); });
    });
    var control = L.control.layers(null, overlays, {collapsed: true, position: "topright"}).addTo(map);
    var box = control.getContainer(), link = box.querySelector(".leaflet-control-layers-toggle");
    L.DomUtil.addClass(box, "site-switches");
    if (link) { link.title = title; link.setAttribute("aria-label", title); }
    var head = L.DomUtil.create("div", "switch-title");
    head.textContent = title;
    var list = box.querySelector(".leaflet-control-layers-list");
    if (list) list.insertBefore(head, list.firstChild);
    M.switches = {
      control: control,
      // the switches as the app has them: the control shows them, taking nothing for a click
      sync: function(shown) {
        groups = {};
        syncing = true;
        try {
          entries.forEach(function(e) {
            var on = shown[e[0]] !== false, p = proxies[e[0]];
            if (on && !map.hasLayer(p)) map.addLayer(p);
            if (!on && map.hasLayer(p)) map.removeLayer(p);
          });
        } finally { syncing = false; }
      },
      // a group drawn for switch ``id``: a click that turns it off takes the group off at once
      register: function(group, id) { (groups[id] = groups[id] || []).push(group); }
    };
    return control;
  };
  M.switchState = function(group, shown) { if (M.switches) M.switches.sync(shown); };
  M.switchGroup = function(group, id) { if (M.switches) M.switches.register(group, id); };
  // The legend: a button on the map that folds it away (folded from the start on a narrow screen).
  M.legend = function(map, html, title) {
    var control = L.control({position: "bottomright"});
    control.onAdd = function() {
      var div = L.DomUtil.create("div", "map-legend");
      // the page's width, not the map's: the map's frame may not be laid out yet when this runs
      var width;
      try { width = window.top.innerWidth; } catch (e) { width = window.innerWidth; }
      var narrow = (width || map.getSize().x) < 520;
      div.innerHTML = '<button type="button" class="legend-toggle" aria-expanded="' + !narrow + '">' +
        esc(title) + '</button><div class="legend-body">' + html + "</div>";
      if (narrow) L.DomUtil.addClass(div, "folded");
      var button = div.querySelector(".legend-toggle");
      L.DomEvent.on(button, "click", function(e) {
        L.DomEvent.stop(e);
        var folded = !L.DomUtil.hasClass(div, "folded");
        if (folded) L.DomUtil.addClass(div, "folded"); else L.DomUtil.removeClass(div, "folded");
        button.setAttribute("aria-expanded", String(!folded));
      });
      L.DomEvent.disableClickPropagation(div);
      L.DomEvent.disableScrollPropagation(div);
      return div;
    };
    control.addTo(map);
    return control;
  };
})();
