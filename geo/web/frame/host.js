// The map in the app's page (a Streamlit component, v2): one frame (index.html beside this file)
// draws the map from what each run of the app's script sends; what the frame reports (clicks,
// layer-switch requests) becomes the component's value, which reruns the script.
//
// When the app asks for it (``data.wait``: the page's first run draws the map and little else),
// the component says once that the map has drawn (``drawn``), and the app then draws the rest of
// the page. It says so as well when the map could not be drawn, or after WAIT_MS at the latest,
// so that the page never waits for a map that does not come.
const WAIT_MS = 8000;

export default function (component) {
  const { parentElement, data, setStateValue, setTriggerValue } = component;
  let frame = parentElement.querySelector("iframe.site-map-frame");
  if (!frame) {
    frame = document.createElement("iframe");
    frame.className = "site-map-frame";
    frame.title = data.title;
    frame.src = data.frame;
    frame.style.cssText = "display:block;width:100%;border:0;height:" + data.height + "px";
    frame.addEventListener("load", () => {
      frame.ready = true;
      draw(frame);
    });
    parentElement.appendChild(frame);
  }
  // only the newest data is drawn when several runs arrive before the frame has loaded
  frame.pending = data;
  frame.send = (value) => setStateValue("reported", value);
  frame.drawn = () => {
    if (frame.waiting) setTriggerValue("drawn", true);
    frame.waiting = false;
  };
  if (data.wait && !frame.waited) {
    frame.waited = frame.waiting = true;
    setTimeout(frame.drawn, WAIT_MS);
  }
  if (frame.ready) draw(frame);
}

function draw(frame) {
  const data = frame.pending;
  const target = frame.contentWindow && frame.contentWindow.siteMapFrame;
  if (!data) return;
  frame.pending = null;
  if (!target) {  // the frame's page did not load
    frame.drawn();
    return;
  }
  if (frame.title !== data.title) frame.title = data.title;
  frame.style.height = data.height + "px";
  target.render(data, frame.send).then(frame.drawn, frame.drawn);
}
