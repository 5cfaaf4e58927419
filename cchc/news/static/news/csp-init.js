/* Wagtail's admin starts its date pickers and inline panels with inline scripts, which the site's
   Content-Security-Policy refuses. The templates in cchc/templates/wagtailadmin/ leave a hidden
   element with the same call as data attributes instead; this starts each one, on load and for
   forms added later (an inline panel's "add" button). Only the calls named here are made. */
(function () {
  "use strict";
  var byTarget = {
    initDateChooser: true,
    initTimeChooser: true,
    initDateTimeChooser: true,
  };
  var constructors = { InlinePanel: true, MultipleChooserPanel: true };

  function start(element) {
    if (element.hasAttribute("data-cchc-started")) return;
    var name = element.getAttribute("data-cchc-init");
    var config = JSON.parse(element.getAttribute("data-cchc-config") || "{}");
    if (byTarget[name] && typeof window[name] === "function") {
      window[name](element.getAttribute("data-cchc-target"), config);
    } else if (constructors[name] && typeof window[name] === "function") {
      new window[name](config);
    } else {
      return;
    }
    element.setAttribute("data-cchc-started", "");
  }

  function startAll(root) {
    if (root.matches && root.matches("[data-cchc-init]")) start(root);
    if (root.querySelectorAll) root.querySelectorAll("[data-cchc-init]").forEach(start);
  }

  function init() {
    startAll(document);
    new MutationObserver(function (changes) {
      changes.forEach(function (change) {
        change.addedNodes.forEach(startAll);
      });
    }).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
