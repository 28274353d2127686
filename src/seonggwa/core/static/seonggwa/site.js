// Loaded by base.html (the content security policy allows no inline scripts).
//
// The language menu changes the language only when its button is pressed (WCAG 3.2.2:
// choosing an option with the arrow keys must not load another page), so there is no
// script for it.
//
// Wide tables: every table in the page body sits in a box that scrolls sideways, so on
// a phone the table keeps its columns and the page itself never gets wider than the
// screen. While the box actually scrolls it is a labelled region (named by the table's
// caption) that a keyboard user can focus and scroll with the arrow keys.
(function () {
  "use strict";
  var count = 0;

  function wrap(table) {
    var box = table.parentElement;
    if (!box.classList.contains("table-wrap")) {
      box = document.createElement("div");
      box.className = "table-wrap";
      table.parentNode.insertBefore(box, table);
      box.appendChild(table);
    }
    return box;
  }

  function label(box, table) {
    var caption = table.caption;
    if (caption) {
      caption.style.maxWidth = "";
    }
    var scrolls = box.scrollWidth > box.clientWidth + 1;
    if (caption) {
      // The caption stays in view, as wide as the box, while the columns scroll.
      caption.style.maxWidth = scrolls ? box.clientWidth + "px" : "";
    }
    if (!scrolls) {
      if (box.dataset.scrollRegion) {
        ["role", "tabindex", "aria-labelledby", "aria-label"].forEach(function (name) {
          box.removeAttribute(name);
        });
        delete box.dataset.scrollRegion;
      }
      return;
    }
    if (box.getAttribute("role") && !box.dataset.scrollRegion) {
      return; // labelled in the template
    }
    box.dataset.scrollRegion = "1";
    box.setAttribute("role", "region");
    box.setAttribute("tabindex", "0");
    if (caption) {
      if (!caption.id) {
        count += 1;
        caption.id = "table-caption-" + count;
      }
      box.setAttribute("aria-labelledby", caption.id);
    } else {
      box.setAttribute("aria-label", table.getAttribute("aria-label") || document.title);
    }
  }

  function update() {
    document.querySelectorAll("main table").forEach(function (table) {
      label(wrap(table), table);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    update();
    var pending = null;
    window.addEventListener("resize", function () {
      window.clearTimeout(pending);
      pending = window.setTimeout(update, 150);
    });
  });
})();
