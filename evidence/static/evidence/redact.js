// The redaction tool: drag over the image to mark an area; each area is drawn on
// the image and written, in the image's own pixels, into the form's rectangles.
(function () {
  "use strict";
  var image = document.querySelector("[data-redact-image]");
  var field = document.querySelector("[data-redact-rectangles]");
  if (!image || !field) { return; }
  var frame = image.parentNode;
  frame.classList.add("redact-frame");
  var start = null;
  var box = null;

  function point(event) {
    var rect = image.getBoundingClientRect();
    var scale = image.naturalWidth / rect.width;
    return {
      x: Math.round(Math.min(Math.max(event.clientX - rect.left, 0), rect.width) * scale),
      y: Math.round(Math.min(Math.max(event.clientY - rect.top, 0), rect.height) * scale),
      scale: scale
    };
  }

  function place(node, a, b) {
    var left = Math.min(a.x, b.x), top = Math.min(a.y, b.y);
    node.style.left = (left / a.scale) + "px";
    node.style.top = (top / a.scale) + "px";
    node.style.width = (Math.abs(b.x - a.x) / a.scale) + "px";
    node.style.height = (Math.abs(b.y - a.y) / a.scale) + "px";
  }

  image.addEventListener("dragstart", function (event) { event.preventDefault(); });
  image.addEventListener("pointerdown", function (event) {
    start = point(event);
    box = document.createElement("span");
    box.className = "redact-box";
    frame.appendChild(box);
    image.setPointerCapture(event.pointerId);
  });
  image.addEventListener("pointermove", function (event) {
    if (start) { place(box, start, point(event)); }
  });
  image.addEventListener("pointerup", function (event) {
    if (!start) { return; }
    var end = point(event);
    if (Math.abs(end.x - start.x) > 2 && Math.abs(end.y - start.y) > 2) {
      var line = [Math.min(start.x, end.x), Math.min(start.y, end.y), Math.max(start.x, end.x), Math.max(start.y, end.y)].join(",");
      field.value = (field.value.trim() ? field.value.trim() + "\n" : "") + line;
    } else {
      box.remove();
    }
    start = null;
  });
}());
