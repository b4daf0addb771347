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
  // Popups: an open popup folds the legend (``M.legend``) and keeps clear of its button and the
  // attribution in the bottom right corner.
  var POPUP = {maxWidth: 420, maxHeight: 360, autoPanPaddingBottomRight: [10, 70]};
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
  // the map reports the clicked object's tooltip text to the app, which finds the site by
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
        layer.bindPopup(function() { return M.popup(r); }, POPUP);
        layer.on("popupopen", function() { layer.closeTooltip(); });
      }
    }).addTo(group);
  };
  // The list of an aggregate's sites; choosing one shows its popup in place, with a way back.
  // A marker merged with others (``collide``) lists their groups after its own, each under its
  // own title and note: the sites of another point nearby.
  function aggregateList(a) {
    var lab = M.labels, h = '<div class="site-popup agg-popup">';
    [a].concat(a.merged || []).forEach(function(g, k) {
      h += "<h4>" + esc((k ? lab.aggNearby : lab.aggTitle).replace("{n}", String(g.members.length))) + "</h4>";
      if (g.note) h += '<p class="agg-note">' + esc(g.note) + "</p>";
      h += '<ol class="agg-list">';
      g.members.forEach(function(r, i) {
        var m = meta(r);
        h += '<li><a href="#" data-g="' + k + '" data-i="' + i + '" data-key="' + esc(r[0]) + '">' +
          '<span class="agg-dot" style="background:' + esc(m[3]) + '"></span>' + esc(r[3]) + "</a> " +
          (str(r[8]) ? '<span class="agg-pinyin">' + esc(str(r[8])) + "</span> " : "") +
          '<span class="agg-meta">' + esc(M.describe(r)) + "</span></li>";
      });
      h += "</ol>";
    });
    return h + "</div>";
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
        var g = [a].concat(a.merged || [])[Number(t.getAttribute("data-g")) || 0];
        var r = g && g.members[Number(t.getAttribute("data-i"))];
        if (!r) return;
        div.innerHTML = '<a href="#" class="agg-back">' + esc(M.labels.aggBack) + "</a>" + M.popup(r);
      }
      if (a.marker.getPopup()) a.marker.getPopup().update();
    });
    return div;
  }
  // The icon of an aggregate marker: the count of ``members`` and a bar of their split by layer.
  function aggregateIcon(members) {
      var counts = {}, order = [];
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
      return {split: split, icon: L.divIcon({
        className: "site-agg",
        html: '<div class="agg-n">' + n + '</div><div class="agg-bar">' + bar + "</div>",
        iconSize: [w, 30],
        iconAnchor: [w / 2, 15]
      })};
  }
  // rows: [lon, lat, note (string position), [site records], room (metres)]: sites that share one
  // spot, drawn as one marker with their count and a bar of their split by layer, at the spot
  // itself. Where markers would hide each other's counts, ``collide`` draws them apart.
  M.addAggregates = function(group, rows) {
    var all = [];
    rows.forEach(function(row) {
      var members = row[3] || [], n = members.length, drawn = aggregateIcon(members);
      var icon = drawn.icon, split = drawn.split;
      var a = {members: members, note: str(row[2]), lon: row[0], lat: row[1], room: row[4] || 0,
        icon: icon, merged: []};
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
        POPUP);
      marker.on("popupopen", function() { marker.closeTooltip(); });
      marker.on("popupclose", function() { if (a.div) a.div.innerHTML = aggregateList(a); });
      marker.addTo(group);
      all.push(marker);
    });
    var map = null, leaders = L.layerGroup();
    function redraw() { if (map) collide(map, all, leaders); }
    group.on("add", function() {
      if (map || !group._map) return;
      map = group._map;
      leaders.addTo(map);
      map.on("zoomend viewreset", redraw);
      redraw();
    });
    group.on("remove", function() {
      if (!map) return;
      map.off("zoomend viewreset", redraw);
      leaders.remove();
      map = null;
    });
    if (group._map) group.fire("add");
  };
  // Aggregate markers that would overlap on screen (a count hidden under another) are drawn apart:
  // a few rounds push overlapping boxes away from each other, each box kept within its marker's
  // room (inside its sites' uncertainty circles and county outlines), on a leader line from the
  // spot. Those still overlapping are merged: the one with the most sites shows the count of all
  // and lists every group under its own title; the others are hidden until a zoom separates them.
  // County names are then drawn clear of the markers (``clearLabels``).
  var GAP = 3;
  function collide(map, markers, leaders) {
    leaders.clearLayers();
    var items = [];
    markers.forEach(function(m) {
      var a = m.siteAggregate;
      if (a.merged.length) { a.merged = []; m.setIcon(a.icon); }
      var el = m.getElement();
      if (!el || !m._map) return;
      el.style.display = "";
      var p = map.latLngToLayerPoint(m.getLatLng());
      var north = map.latLngToLayerPoint([a.lat + a.room / 111320, a.lon]);
      // the box as laid out (its border included), not the icon's size
      items.push({m: m, a: a, p: p, dx: 0, dy: 0, room: Math.max(0, p.y - north.y), w: el.offsetWidth,
        h: el.offsetHeight});
    });
    function overlap(s, t) {
      var ox = (s.w + t.w) / 2 + GAP - Math.abs((s.p.x + s.dx) - (t.p.x + t.dx));
      var oy = (s.h + t.h) / 2 + GAP - Math.abs((s.p.y + s.dy) - (t.p.y + t.dy));
      return ox > 0 && oy > 0 ? [ox, oy] : null;
    }
    function clamp(s) {
      var d = Math.sqrt(s.dx * s.dx + s.dy * s.dy);
      if (d > s.room) { s.dx *= s.room / d; s.dy *= s.room / d; }
    }
    for (var round = 0; round < 60; round++) {
      var moved = false;
      items.forEach(function(s, i) {
        items.slice(i + 1).forEach(function(t) {
          var o = overlap(s, t);
          if (!o) return;
          moved = true;
          var vx = (t.p.x + t.dx) - (s.p.x + s.dx), vy = (t.p.y + t.dy) - (s.p.y + s.dy);
          if (!vx && !vy) { vx = 1; vy = 0.3; }
          // along the axis that frees them soonest, shared by their room left
          var sx = o[0] < o[1], amount = (sx ? o[0] : o[1]) + 0.5;
          var ux = sx ? (vx < 0 ? -1 : 1) : 0, uy = sx ? 0 : (vy < 0 ? -1 : 1);
          var rs = s.room, rt = t.room, share = rs + rt > 0 ? rs / (rs + rt) : 0.5;
          s.dx -= ux * amount * share; s.dy -= uy * amount * share;
          t.dx += ux * amount * (1 - share); t.dy += uy * amount * (1 - share);
          clamp(s); clamp(t);
        });
      });
      if (!moved) break;
    }
    // merge what could not be drawn apart: the largest marker of each overlapping set stays
    items.sort(function(s, t) { return t.a.members.length - s.a.members.length; });
    var kept = [];
    items.forEach(function(s) {
      var host = kept.filter(function(k) { return overlap(k, s); })[0];
      if (host) { s.host = host; host.a.merged.push(s.a); } else kept.push(s);
    });
    items.forEach(function(s) {
      var el = s.m.getElement();
      if (s.host) { el.style.display = "none"; s.m.closePopup(); return; }
      if (s.a.merged.length) {
        var everyone = s.a.members.slice();
        s.a.merged.forEach(function(b) { everyone = everyone.concat(b.members); });
        s.m.setIcon(aggregateIcon(everyone).icon);
        s.m.getElement().classList.add("agg-merged");
        if (s.a.div) s.a.div.innerHTML = aggregateList(s.a);
        el = s.m.getElement();
        s.w = el.offsetWidth;
        s.h = el.offsetHeight;
      }
      var x = Math.round(s.dx), y = Math.round(s.dy);
      el.style.marginLeft = (x - s.w / 2) + "px";
      el.style.marginTop = (y - s.h / 2) + "px";
      s.a.nudge = [x, y];
      if (x || y) {
        var to = map.layerPointToLatLng(L.point(s.p.x + x, s.p.y + y));
        L.polyline([s.m.getLatLng(), to], {color: "#222222", weight: 1.5, interactive: false,
          className: "agg-leader"}).addTo(leaders);
        L.circleMarker(s.m.getLatLng(), {radius: 2.5, color: "#222222", weight: 1, fillOpacity: 1,
          interactive: false, className: "agg-leader"}).addTo(leaders);
      }
    });
    clearLabels(map);
  }
  // The county names drawn clear of the aggregate markers: a name under a marker moves to the
  // nearest free place around (up to 180 px away), within its county's outline; with none free (a
  // county a few pixels across) it is hidden until a zoom makes room, as a township's name is.
  function clearLabels(map) {
    var boxes = [];
    map.getContainer().querySelectorAll(".site-agg").forEach(function(e) {
      if (e.style.display !== "none") boxes.push(e.getBoundingClientRect());
    });
    M.countyLabels.forEach(function(l) {
      if (!l._map) return;
      var span = l.getElement() && l.getElement().querySelector("span");
      if (!span) return;
      span.style.marginLeft = span.style.marginTop = "0px";
      L.DomUtil.removeClass(span, "crowded");
      var b = span.getBoundingClientRect(), outline = l.siteOutline;
      function free(dx, dy) {
        return !boxes.some(function(a) {
          return b.left + dx < a.right + GAP && a.left - GAP < b.right + dx &&
            b.top + dy < a.bottom + GAP && a.top - GAP < b.bottom + dy;
        });
      }
      if (free(0, 0)) return;
      var origin = map.latLngToContainerPoint(l.getLatLng());
      for (var step = 1; step <= 30; step++) {
        for (var k = 0; k < 16; k++) {  // sixteen directions, nearest first
          var angle = -Math.PI / 2 + k * Math.PI / 8;
          var dx = Math.round(step * 6 * Math.cos(angle)), dy = Math.round(step * 6 * Math.sin(angle));
          var ll = map.containerPointToLatLng(L.point(origin.x + dx, origin.y + dy));
          if (free(dx, dy) && (!outline || inside(outline, ll.lng, ll.lat))) {
            span.style.marginLeft = dx + "px";
            span.style.marginTop = dy + "px";
            return;
          }
        }
      }
      L.DomUtil.addClass(span, "crowded");
    });
  }
  function inRing(ring, x, y) {
    var c = false;
    for (var i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      var xi = ring[i][0], yi = ring[i][1], xj = ring[j][0], yj = ring[j][1];
      if ((yi > y) !== (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi) c = !c;
    }
    return c;
  }
  // whether (x, y) is inside a GeoJSON Polygon or MultiPolygon
  function inside(g, x, y) {
    var polys = g.type === "Polygon" ? [g.coordinates] : (g.type === "MultiPolygon" ? g.coordinates : []);
    return polys.some(function(rings) {
      return inRing(rings[0], x, y) && !rings.slice(1).some(function(h) { return inRing(h, x, y); });
    });
  }
  // rows: [lon, lat, radius in metres, style]
  M.addCircles = function(group, rows) {
    rows.forEach(function(c) {
      L.circle([c[1], c[0]], L.extend(style(c[3]), {radius: c[2], interactive: false})).addTo(group);
    });
  };
  M.addShapes = function(group, styleIndex, geometries) {
    M.outlines = (M.outlines || []).slice(-200).concat(geometries);
    L.geoJson(geometries.map(function(g) { return {type: "Feature", geometry: g, properties: {}}; }),
      {style: function() { return style(styleIndex); }, interactive: false}).addTo(group);
  };
  // Counties' names, in their own pane taking no clicks: rows [name, lon, lat], the name centred
  // on the point (inside the county's outline).
  M.countyLabels = [];
  M.addLabels = function(group, pane, rows) {
    M.countyLabels = M.countyLabels.filter(function(l) { return l._map; });
    rows.forEach(function(r) {
      var icon = L.divIcon({className: "geo-label county-label", iconSize: null,
        html: "<span>" + esc(r[0]) + "</span>"});
      var label = L.marker([r[2], r[1]], {icon: icon, pane: pane, interactive: false, keyboard: false})
        .addTo(group);
      // the outline the name stands in: it may move within it only (``clearLabels``)
      // (the last drawn that holds it: counties are drawn after their prefectures)
      label.siteOutline = (M.outlines || []).filter(function(g) { return inside(g, r[1], r[2]); }).pop() || null;
      M.countyLabels.push(label);
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
  // point as a click there would (the map reports its clicks to the app).
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
  // layer's groups at once and asks the app to set that switch, through the map's value (its
  // ``switch_request``, see geo/web/switches.py and geo/web/frame/frame.js: sent again with every
  // later value, so a request is not lost when reruns run together; applied once, by ``seq``).
  // entries: [[id, label, colour or ""]]
  M.layerControl = function(map, entries, title, entryName) {
    var proxies = {}, overlays = {}, syncing = false, groups = {}, seq = 0;
    function changed(id, on) {
      if (!on) (groups[id] || []).forEach(function(g) { if (g._map) g._map.removeLayer(g); });
      var shown = {};
      entries.forEach(function(e) { shown[e[0]] = map.hasLayer(proxies[e[0]]); });
      seq = Math.max(seq + 1, Date.now());
      if (window.siteMapFrame) window.siteMapFrame.set("switch_request", {name: entryName, seq: seq, shown: shown});
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
        foldedForPopup = false;
        if (folded) L.DomUtil.addClass(div, "folded"); else L.DomUtil.removeClass(div, "folded");
        button.setAttribute("aria-expanded", String(!folded));
      });
      // folded while a popup is open, so that it never covers one; open again when it closes
      var foldedForPopup = false;
      map.on("popupopen", function() {
        if (L.DomUtil.hasClass(div, "folded")) return;
        L.DomUtil.addClass(div, "folded");
        button.setAttribute("aria-expanded", "false");
        foldedForPopup = true;
      });
      map.on("popupclose", function() {
        if (!foldedForPopup) return;
        foldedForPopup = false;
        L.DomUtil.removeClass(div, "folded");
        button.setAttribute("aria-expanded", "true");
      });
      L.DomEvent.disableClickPropagation(div);
      L.DomEvent.disableScrollPropagation(div);
      return div;
    };
    control.addTo(map);
    compactAttribution(map);
    return control;
  };
  // On a narrow map the attribution is one line cut short (CSS), clear of the scale bar; a click
  // on it shows it whole, another cuts it short again.
  function compactAttribution(map) {
    var box = map.attributionControl && map.attributionControl.getContainer();
    if (!box) return;
    box.setAttribute("role", "button");
    box.setAttribute("tabindex", "0");
    L.DomEvent.on(box, "click keydown", function(e) {
      if (e.type === "keydown" && e.key !== "Enter" && e.key !== " ") return;
      if (e.target.closest && e.target.closest("a") && L.DomUtil.hasClass(box, "attr-open")) return;
      var open = !L.DomUtil.hasClass(box, "attr-open");
      if (open) L.DomUtil.addClass(box, "attr-open"); else L.DomUtil.removeClass(box, "attr-open");
      if (e.type === "keydown" || !open) L.DomEvent.preventDefault(e);
      box.setAttribute("aria-expanded", String(open));
    });
  }
})();
