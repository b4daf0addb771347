// The map's frame (host.js puts it in the app's page). The first data the app sends draws the
// folium map: its header, its HTML and its script, which names the map ``map_div``. Every later
// run sends the feature groups again: drawn anew only when they changed, without touching the
// map, so the user's view stays. A centre and zoom the app asks for (changed since the last it
// asked for) move the view.
//
// What the user does is reported to the app as one value, 250 ms after the last event and only
// when it changed: the last click on the map (``last_clicked``), the last click on a drawn layer
// with that layer's tooltip text (``last_object_clicked``, ``last_object_clicked_tooltip``), and
// the last request of the map's layer switches (``switch_request``, set by geo/web/sitemap.js).
(function () {
  "use strict";
  var value = {last_clicked: null, last_object_clicked: null, last_object_clicked_tooltip: null,
               switch_request: null};
  var sent = JSON.stringify(value), send = null, timer = null, started = null;
  var shown = {feature_group: null, zoom: null, center: null};

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(report, 250);
  }
  function report() {
    var text = JSON.stringify(value);
    if (text === sent || !send) return;
    sent = text;
    send(JSON.parse(text));
  }
  function point(ll) { return ll ? {lat: ll.lat, lng: ll.lng} : null; }
  // the text of a tooltip's content (a string of HTML, an element, or a function of the layer);
  // parsed in an inert template, so that nothing in it loads or runs
  function textOf(content, layer) {
    if (typeof content === "function") content = content(layer);
    if (content && typeof content === "object" && "textContent" in content) return content.textContent.trim();
    var t = document.createElement("template");
    t.innerHTML = String(content == null ? "" : content);
    return t.content.textContent.trim();
  }
  function onMapClick(e) {
    value.last_clicked = point(e.latlng);
    schedule();
  }
  function onLayerClick(e) {
    value.last_object_clicked = point(e.latlng);
    try {
      var layer = [e.sourceTarget, e.target].filter(function (l) {
        return l && typeof l.getTooltip === "function" && l._tooltip && l._tooltip._content;
      })[0];
      if (layer) value.last_object_clicked_tooltip = textOf(layer.getTooltip().getContent(), e.sourceTarget);
    } catch (err) {
      console.error(err);
    }
    schedule();
  }
  function listen(map) {
    Object.keys(map._layers).forEach(function (id) {
      var layer = map._layers[id];
      if (!layer || typeof layer.on !== "function") return;
      layer.off("click", onLayerClick);
      layer.on("click", onLayerClick);
    });
  }
  function run(code) {
    try {
      (0, eval)(code); // global scope: the scripts name their layers as globals
    } catch (err) {
      console.error(err);
    }
  }
  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var s = document.createElement("script");
      s.src = src;
      s.async = false;
      s.onload = resolve;
      s.onerror = function () { reject(new Error("cannot load " + src)); };
      document.head.appendChild(s);
    });
  }
  function present(tag, attr, url) {
    var a = document.createElement("a");
    a.href = url;
    return Array.prototype.some.call(document.querySelectorAll(tag), function (el) {
      return el[attr] === a.href;
    });
  }
  function start(data) {
    var scripts = (data.js_links || []).filter(function (src) { return !present("script", "src", src); });
    return scripts.reduce(function (done, src) {
      return done.then(function () { return loadScript(src); });
    }, Promise.resolve()).then(function () {
      (data.css_links || []).forEach(function (href) {
        if (present("link", "href", href)) return;
        var link = document.createElement("link");
        link.rel = "stylesheet";
        link.href = href;
        document.head.appendChild(link);
      });
      document.head.insertAdjacentHTML("beforeend", data.header || "");
      if (data.html) {
        var div = document.createElement("div");
        div.innerHTML = data.html;
        document.body.appendChild(div);
      }
      // the base map as a script of the page (it stays readable there), the groups by eval below
      var script = document.createElement("script");
      script.textContent = data.script + "\nwindow.map = map_div;";
      document.body.appendChild(script);
      var map = window.map;
      map.on("click", onMapClick);
      map.on("overlayadd overlayremove", schedule);
      listen(map);
    });
  }
  function update(data) {
    var map = window.map;
    if (!map) return;
    if (data.feature_group !== shown.feature_group) {
      (window.feature_group || []).forEach(function (layer) { map.removeLayer(layer); });
      window.feature_group = [];
      shown.feature_group = data.feature_group;
      if (data.feature_group) run(data.feature_group);
      listen(map);
    }
    var zoom = map.getZoom(), center = map.getCenter(), moved = false;
    if (data.zoom != null && data.zoom !== shown.zoom) {
      zoom = shown.zoom = data.zoom;
      moved = true;
    }
    if (data.center && JSON.stringify(data.center) !== JSON.stringify(shown.center)) {
      center = shown.center = data.center;
      moved = true;
    }
    if (moved) map.setView(center, zoom);
  }

  // After the next frame has been painted (a task queued from the frame's animation callback runs
  // after its paint); the first time, the browser's clock of it is kept as the User Timing mark
  // "site-map-drawn" (bench/app_first_paint.py reads it).
  function painted() {
    return new Promise(function (resolve) {
      requestAnimationFrame(function () {
        setTimeout(function () {
          if (window.map && !performance.getEntriesByName("site-map-drawn").length) performance.mark("site-map-drawn");
          resolve();
        }, 0);
      });
    });
  }

  window.siteMapFrame = {
    // draw what one run of the app's script sent; ``reply`` takes the value reported back
    render: function (data, reply) {
      send = reply;
      if (!started) started = start(data);
      started = started.then(function () { update(data); }).catch(function (err) { console.error(err); });
      return started.then(painted);  // settles once this data is drawn and on the screen
    },
    // a request to the app (sitemap.js: the layer switches), reported with the next value
    set: function (name, v) {
      value[name] = v;
      schedule();
    }
  };
})();
