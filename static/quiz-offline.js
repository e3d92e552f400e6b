// Quiz pages on a connection that drops: say so plainly, and keep what was typed on this
// device (localStorage, per attempt) until the server has it. The server's saved draft stays
// the source of truth: a local answer is only filled back in where the page came without it,
// and it is forgotten once a save went through or the attempt was submitted. Signing out
// clears it (Clear-Site-Data). Without JavaScript the form works as before.
(function () {
  var PREFIX = "lms-quiz-answers:";
  var store, sent;
  try { store = window.localStorage; sent = window.sessionStorage; } catch (e) { return; }
  if (!store || !sent) return;
  var script = document.currentScript;
  if (script && script.dataset.attemptDone) {  // the result page: the attempt was submitted
    store.removeItem(PREFIX + script.dataset.attemptDone);
    return;
  }
  var form = document.querySelector("form.attempt");
  var match = form && /\/attempts\/(\d+)/.exec(form.getAttribute("action") || "");
  if (!match) return;
  var key = PREFIX + match[1];
  var offlineNote = document.getElementById("offline-note");
  var restoredNote = document.getElementById("restored-note");

  function names() {
    var seen = [];
    Array.prototype.forEach.call(form.elements, function (el) {
      if (/^q\d/.test(el.name) && seen.indexOf(el.name) < 0) seen.push(el.name);
    });
    return seen;
  }
  function inputs(name) { return form.querySelectorAll('[name="' + name + '"]'); }
  function read(name) {
    var els = inputs(name), first = els[0];
    if (first.type === "radio" || first.type === "checkbox") {
      return Array.prototype.filter.call(els, function (el) { return el.checked; })
        .map(function (el) { return el.value; }).join("\n");
    }
    return first.value;
  }
  function write(name, value) {
    var els = inputs(name), first = els[0];
    if (first.type === "radio" || first.type === "checkbox") {
      var chosen = value.split("\n");
      Array.prototype.forEach.call(els, function (el) { el.checked = chosen.indexOf(el.value) >= 0; });
    } else {
      first.value = value;
    }
  }

  var draft = {};
  try { draft = JSON.parse(store.getItem(key) || "{}") || {}; } catch (e) { draft = {}; }
  function keep() {
    try { store.setItem(key, JSON.stringify(draft)); } catch (e) { /* storage full: the form still has it */ }
  }

  // The last POST of this attempt named these fields; arriving by its redirect means saved.
  var pending = sent.getItem(key);
  sent.removeItem(key);
  var nav = performance.getEntriesByType ? performance.getEntriesByType("navigation")[0] : null;
  if (pending && nav && nav.redirectCount > 0) {
    JSON.parse(pending).forEach(function (name) { delete draft[name]; });
  }
  var restored = false;
  names().forEach(function (name) {
    if (!Object.prototype.hasOwnProperty.call(draft, name)) return;
    if (read(name) === draft[name]) { delete draft[name]; return; }
    write(name, draft[name]);
    restored = true;
  });
  keep();
  if (restored && restoredNote) restoredNote.hidden = false;

  function remember(event) {
    var name = event.target.name;
    if (!name || !/^q\d/.test(name)) return;
    draft[name] = read(name);
    keep();
  }
  form.addEventListener("input", remember);
  form.addEventListener("change", remember);

  function showConnection() {
    if (offlineNote) offlineNote.hidden = navigator.onLine;
  }
  window.addEventListener("offline", showConnection);
  window.addEventListener("online", showConnection);
  showConnection();

  form.addEventListener("submit", function (event) {
    var here = names();
    here.forEach(function (name) { draft[name] = read(name); });
    keep();
    if (!navigator.onLine) {
      // Sending now would end on the browser's error page; stay here with every answer.
      event.preventDefault();
      showConnection();
      if (offlineNote) offlineNote.scrollIntoView({block: "center"});
      return;
    }
    sent.setItem(key, JSON.stringify(here));
  });
})();
