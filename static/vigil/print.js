// "Print dossier" on the case page: the button stays hidden where scripts do not run
// (Ctrl+P prints the same dossier, see the print styles in vigil.css).
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
});
