// Service worker: pages a trainee saved for offline reading (static/offline.js puts them in
// the cache) are served from the cache when the network fails. Everything else goes to the
// network untouched, and the network always wins when it answers, so nothing stale is shown
// to a connected phone. Signing out clears the cache (Clear-Site-Data).
var CACHE = "lms-offline-v1";

self.addEventListener("install", function () {
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(Promise.all([
    self.clients.claim(),
    self.registration.navigationPreload ? self.registration.navigationPreload.enable() : null
  ]));
});

function fromNetwork(event) {
  var preload = event.preloadResponse || Promise.resolve(undefined);
  return preload.then(function (response) {
    return response || fetch(event.request);
  });
}

function refresh(request, response) {
  // A saved page fetched again (online) replaces its copy: read badges, new forms.
  if (!response.ok || response.redirected) return;
  var copy = response.clone();
  caches.open(CACHE).then(function (cache) {
    return cache.match(request).then(function (saved) {
      if (saved) return cache.put(request, copy);
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET" || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith(fromNetwork(event).then(function (response) {
    refresh(request, response);
    return response;
  }, function (error) {
    return caches.match(request).then(function (saved) {
      if (saved) return saved;
      throw error;
    });
  }));
});
