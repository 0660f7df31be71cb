// Search with Pagefind's Default UI over every index shard. Reads its settings from the
// #search element so that the same file serves the search page and the 404 page.
(function () {
  "use strict";
  var root = document.getElementById("search");
  if (!root || typeof PagefindUI === "undefined") return;
  var shards = JSON.parse(root.dataset.shards || "[]");
  var sortSelect = document.getElementById("search-sort");
  var params = new URLSearchParams(window.location.search);

  function initialQuery() {
    if (params.get("q")) return params.get("q");
    if (root.dataset.queryFromPath !== "true") return "";
    // On the 404 page, search for the words of the missing address.
    var last = window.location.pathname.split("/").filter(Boolean).pop() || "";
    return decodeURIComponent(last).replace(/\.[a-z]+$/i, "").replace(/-[0-9a-f]{8}$/, "").replace(/[-_]+/g, " ");
  }

  function currentQuery() {
    var input = root.querySelector(".pagefind-ui__search-input");
    return input ? input.value : initialQuery();
  }

  function start(query, order) {
    var options = {
      element: "#search-ui",
      bundlePath: root.dataset.bundle,
      mergeIndex: shards.map(function (path) { return { bundlePath: path }; }),
      showImages: false,
      showEmptyFilters: false,
      pageSize: 10,
      translations: { placeholder: "Search papers" },
      processTerm: function (term) {
        var url = new URL(window.location.href);
        if (term) url.searchParams.set("q", term); else url.searchParams.delete("q");
        window.history.replaceState(null, "", url);
        return term;
      }
    };
    if (order) options.sort = { date: order };
    var ui = new PagefindUI(options);
    // Pagefind labels its box with a title only, which assistive technology may not read.
    var input = root.querySelector(".pagefind-ui__search-input");
    if (input) input.setAttribute("aria-label", "Search papers");
    if (query) ui.triggerSearch(query);
  }

  if (sortSelect) {
    sortSelect.parentElement.hidden = false;
    sortSelect.value = params.get("order") || "";
    sortSelect.addEventListener("change", function () {
      var url = new URL(window.location.href);
      if (sortSelect.value) url.searchParams.set("order", sortSelect.value); else url.searchParams.delete("order");
      if (currentQuery()) url.searchParams.set("q", currentQuery());
      // Reload rather than rebuild the UI in place: Pagefind 1.5's shared web worker can be
      // terminated by the old instance's teardown while the new one is still searching.
      window.location.assign(url);
    });
  }
  start(initialQuery(), sortSelect ? sortSelect.value : "");
})();
