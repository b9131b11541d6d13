/* sheetokr dashboard: filters that narrow the alignment tree as you type, and collapsible
   branches. Progressive: without this script the server applies the same filters (?status=,
   ?team=, ?owner=, ?q=) and every branch stays open. */
(function () {
  "use strict";

  function filterTree(form, tree) {
    var status = form.elements.status.value;
    var team = form.elements.team.value;
    var owner = form.elements.owner.value.trim().toLowerCase();
    var q = form.elements.q.value.trim().toLowerCase();
    var nodes = tree.querySelectorAll("li.node");
    var shown = new Map();
    var matched = 0;
    // Children follow their parent in document order: walk backwards so a parent knows its children.
    for (var i = nodes.length - 1; i >= 0; i--) {
      var li = nodes[i];
      var d = li.dataset;
      var match = (!status || d.status === status) && (!team || d.team === team) &&
        (!owner || d.owner.indexOf(owner) !== -1) && (!q || d.text.indexOf(q) !== -1);
      if (match) { matched++; }
      var visible = match || shown.get(li) === true;
      li.hidden = !visible;
      li.classList.toggle("context", !match);
      if (visible) {
        var parent = li.parentElement && li.parentElement.closest("li.node");
        if (parent) { shown.set(parent, true); }
      }
    }
    var count = document.getElementById("matched");
    if (count) { count.textContent = String(matched); }
    var none = document.getElementById("no-match");
    if (none) { none.hidden = matched > 0; }
  }

  function syncUrl(form) {
    var params = new URLSearchParams(window.location.search);
    ["status", "team", "owner", "q"].forEach(function (name) {
      var value = form.elements[name].value.trim();
      if (value) { params.set(name, value); } else { params.delete(name); }
    });
    var query = params.toString();
    window.history.replaceState(null, "", window.location.pathname + (query ? "?" + query : "") + window.location.hash);
  }

  function setUpToggles(tree) {
    tree.querySelectorAll("li.node").forEach(function (li) {
      var toggle = li.querySelector(":scope > .row > .toggle");
      if (!toggle || !li.querySelector(":scope > ul.tree")) { return; }
      toggle.hidden = false;
      toggle.addEventListener("click", function () {
        var collapsed = li.classList.toggle("collapsed");
        toggle.setAttribute("aria-expanded", collapsed ? "false" : "true");
      });
    });
  }

  function start() {
    document.documentElement.classList.add("js");
    var form = document.getElementById("filters");
    var tree = document.getElementById("tree");
    if (!form || !tree) { return; }
    setUpToggles(tree);
    var apply = function () { filterTree(form, tree); syncUrl(form); };
    form.addEventListener("input", apply);
    form.addEventListener("change", apply);
    form.addEventListener("submit", function (event) { event.preventDefault(); apply(); });
    var clear = form.querySelector("a.clear");
    if (clear) {
      clear.addEventListener("click", function (event) {
        event.preventDefault();
        ["status", "team", "owner", "q"].forEach(function (name) { form.elements[name].value = ""; });
        apply();
      });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());
