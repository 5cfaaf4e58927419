/* Wagtail's admin starts its date pickers, choosers and inline panels with inline scripts, which the
   site's Content-Security-Policy refuses. The templates in cchc/templates/wagtailadmin/ and
   cchc/news/widgets.py leave a hidden element with the same call as data attributes instead; this
   starts each one once the page is parsed, and in forms added later (an inline panel's "add"
   button). Only the calls named here are made. */
(function () {
  "use strict";
  var byTarget = {
    initDateChooser: true,
    initTimeChooser: true,
    initDateTimeChooser: true,
    createTaskChooser: true,
  };
  // Wagtail's choosers (cchc/news/widgets.py): `new ImageChooser(id, options)`.
  var choosers = { Chooser: true, PageChooser: true, ImageChooser: true, DocumentChooser: true, SnippetChooser: true };
  var constructors = { InlinePanel: true, MultipleChooserPanel: true };

  function start(element) {
    if (element.hasAttribute("data-cchc-started")) return;
    var name = element.getAttribute("data-cchc-init");
    var config = JSON.parse(element.getAttribute("data-cchc-config") || "{}");
    if (byTarget[name] && typeof window[name] === "function") {
      window[name](element.getAttribute("data-cchc-target"), config);
    } else if (choosers[name] && typeof window[name] === "function") {
      new window[name](element.getAttribute("data-cchc-target"), config);
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

  // This file is loaded in the page's head. The widgets are started as soon as the page is parsed and
  // its scripts have run ("interactive", just before DOMContentLoaded): before Wagtail's Stimulus
  // controllers connect, as the inline scripts ran. A dropdown controller takes its menu (a chooser's
  // "choose another" button) out of the page until it opens; a chooser started after it never sees it.
  if (document.readyState === "loading") {
    document.addEventListener("readystatechange", function parsed() {
      document.removeEventListener("readystatechange", parsed);
      init();
    });
  } else {
    init();
  }
})();
