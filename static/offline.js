// The offline page of a track: save its module pages in the Cache API, one at a time (a slow
// connection shows progress and a dropped one keeps what arrived), and say which are saved.
// The service worker (/sw.js) serves them when the phone has no connection. Without
// JavaScript the page only lists the modules.
(function () {
  var CACHE = "lms-offline-v1";
  var list = document.getElementById("offline-modules");
  if (!list || !("caches" in window) || !("serviceWorker" in navigator)) return;
  var items = Array.prototype.slice.call(list.querySelectorAll("li[data-url]"));
  var status = document.getElementById("offline-status");
  document.getElementById("offline-unsupported").hidden = true;
  document.getElementById("offline-actions").hidden = false;

  function assets() {
    // The page itself and what every page loads (scripts, icon), so saved pages work whole.
    var urls = [location.pathname];
    document.querySelectorAll("script[src], link[rel=icon]").forEach(function (el) {
      var url = new URL(el.getAttribute("src") || el.getAttribute("href"), location.href);
      if (url.origin === location.origin) urls.push(url.pathname + url.search);
    });
    return urls;
  }

  function show(item, state) {
    var badge = item.querySelector("[data-state]");
    badge.textContent = list.dataset[state];
    badge.className = "badge" + (state === "saved" ? " ok" : state === "failed" ? " fail" : "");
    item.dataset.saved = state === "saved" ? "1" : "";
  }

  function refresh() {
    return caches.open(CACHE).then(function (cache) {
      return Promise.all(items.map(function (item) {
        return cache.match(item.dataset.url).then(function (hit) { show(item, hit ? "saved" : "missing"); });
      }));
    }).then(function () {
      var saved = items.filter(function (item) { return item.dataset.saved; }).length;
      status.textContent = list.dataset.count.replace("%(saved)s", saved).replace("%(total)s", items.length);
    });
  }

  function keep(cache, url) {
    return fetch(url, {credentials: "same-origin"}).then(function (response) {
      // A page that sent us to sign in is not the module: never keep it in its place.
      if (!response.ok || response.redirected) throw new Error(url + ": " + response.status);
      return cache.put(url, response);
    });
  }

  function save() {
    var button = document.getElementById("offline-save");
    button.disabled = true;
    navigator.serviceWorker.register("/sw.js", {scope: "/"}).then(function () {
      return caches.open(CACHE);
    }).then(function (cache) {
      var chain = Promise.resolve();
      assets().forEach(function (url) { chain = chain.then(function () { return keep(cache, url); }); });
      items.forEach(function (item) {
        chain = chain.then(function () {
          show(item, "saving");
          return keep(cache, item.dataset.url).then(function () { show(item, "saved"); },
                                                    function () { show(item, "failed"); });
        });
      });
      return chain;
    }).catch(function () {
      status.textContent = list.dataset.failedAll;
    }).then(function () {
      button.disabled = false;
      return refresh();
    }).then(function () {
      if (items.every(function (item) { return item.dataset.saved; })) status.textContent = list.dataset.done;
    });
  }

  function remove() {
    caches.open(CACHE).then(function (cache) {
      return Promise.all(items.map(function (item) { return cache.delete(item.dataset.url); }));
    }).then(refresh);
  }

  document.getElementById("offline-save").addEventListener("click", save);
  document.getElementById("offline-remove").addEventListener("click", remove);
  refresh();
})();
