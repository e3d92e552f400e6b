// Quick exit: leave for a neutral page without leaving this one in the back history.
// Without JavaScript the link still leaves; with it, the history entry is replaced.
document.addEventListener("click", function (event) {
  var link = event.target.closest && event.target.closest("a.quick-exit");
  if (!link) return;
  event.preventDefault();
  window.location.replace(link.href);
});
