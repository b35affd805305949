// The drop zone of a case's Files page: files dropped or chosen are sent one by
// one (XMLHttpRequest, for upload progress), each answered with its SHA-256,
// type and what it carries, or why it was refused. Without JavaScript the form
// posts every file at once.
(function () {
  "use strict";
  var form = document.querySelector("[data-upload-form]");
  if (!form) { return; }
  var zone = form.querySelector("[data-dropzone]");
  var input = form.querySelector("input[type=file]");
  var list = form.querySelector("[data-upload-list]");
  var queue = [];
  var busy = false;

  function text(tag, value, className) {
    var node = document.createElement(tag);
    node.textContent = value;
    if (className) { node.className = className; }
    return node;
  }

  function fields() {
    var data = new FormData(form);
    data.delete(input.name);
    return data;
  }

  function show(item, answer, status) {
    item.progress.remove();
    if (status === 200 && answer.files && answer.files.length) {
      var file = answer.files[0];
      item.row.classList.add("upload--done");
      var link = document.createElement("a");
      link.href = file.url;
      link.textContent = file.name;
      item.status.textContent = "";
      item.status.appendChild(link);
      item.status.appendChild(text("span", " — " + file.media_type + ", " + file.size_display + (file.duplicate ? ", identical content already stored (linked)" : "")));
      item.row.appendChild(text("code", "SHA-256 " + file.sha256, "hash small"));
      if (file.carries.length) {
        var carries = text("p", "Carries: ", "small upload__carries");
        carries.textContent += file.carries.map(function (pair) { return pair[0] + ": " + pair[1]; }).join("; ");
        carries.textContent += file.stripped ? ". A copy without it was made for sharing." : ".";
        item.row.appendChild(carries);
      }
    } else {
      item.row.classList.add("upload--refused");
      var problems = [];
      var errors = (answer && answer.errors) || {};
      Object.keys(errors).forEach(function (key) {
        var value = errors[key];
        (Array.isArray(value) ? value : [value]).forEach(function (problem) {
          problems.push(typeof problem === "string" ? problem : problem.message);
        });
      });
      item.status.textContent = "Refused: " + (problems.join(" ") || "the server answered " + status + ".");
    }
  }

  function next() {
    if (busy || !queue.length) { return; }
    busy = true;
    var item = queue.shift();
    var data = fields();
    data.append(input.name, item.file, item.file.name);
    var request = new XMLHttpRequest();
    request.open("POST", form.action);
    request.setRequestHeader("Accept", "application/json");
    request.upload.addEventListener("progress", function (event) {
      if (event.lengthComputable) { item.progress.value = event.loaded / event.total; }
    });
    request.addEventListener("loadend", function () {
      var answer = null;
      try { answer = JSON.parse(request.responseText); } catch (error) { answer = null; }
      show(item, answer, request.status);
      busy = false;
      next();
    });
    request.send(data);
  }

  function add(files) {
    Array.prototype.forEach.call(files, function (file) {
      var row = text("li", "", "upload");
      row.appendChild(text("span", file.name + " ", "upload__name"));
      var progress = document.createElement("progress");
      progress.max = 1;
      progress.value = 0;
      progress.setAttribute("aria-label", "Upload of " + file.name);
      row.appendChild(progress);
      var status = text("span", "", "upload__status");
      row.appendChild(status);
      list.appendChild(row);
      queue.push({ file: file, row: row, progress: progress, status: status });
    });
    next();
  }

  zone.hidden = false;
  zone.classList.add("dropzone--active");
  ["dragenter", "dragover"].forEach(function (name) {
    zone.addEventListener(name, function (event) { event.preventDefault(); zone.classList.add("dropzone--over"); });
  });
  ["dragleave", "drop"].forEach(function (name) {
    zone.addEventListener(name, function () { zone.classList.remove("dropzone--over"); });
  });
  zone.addEventListener("drop", function (event) {
    event.preventDefault();
    add(event.dataTransfer.files);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    add(input.files);
    input.value = "";
  });
}());
