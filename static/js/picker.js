// The goal picker's search box: progressive enhancement. Without this file the
// groups open and close by hand and every goal stays selectable.
(function () {
  "use strict";

  function filter(picker, input, status) {
    const query = input.value.trim().toLowerCase();
    let shown = 0;
    for (const group of picker.querySelectorAll(".picker__group")) {
      let inGroup = 0;
      for (const row of group.querySelectorAll(".check")) {
        const match = !query || row.textContent.toLowerCase().includes(query);
        row.hidden = !match;
        if (match) inGroup += 1;
      }
      group.hidden = inGroup === 0;
      if (query) group.open = inGroup > 0;
      shown += inGroup;
    }
    status.textContent = query ? shown + " " + status.dataset.matches : "";
  }

  function enhance(root) {
    for (const picker of root.querySelectorAll("[data-picker]:not([data-ready])")) {
      picker.dataset.ready = "1";
      const box = picker.querySelector(".picker__search");
      const input = box.querySelector("[data-picker-search]");
      const status = box.querySelector("[data-picker-status]");
      box.hidden = false;
      input.addEventListener("input", () => filter(picker, input, status));
      // Enter in the search box must not send the form.
      input.addEventListener("keydown", (event) => {
        if (event.key === "Enter") event.preventDefault();
      });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", () => enhance(document));
  } else {
    enhance(document);
  }
  document.addEventListener("htmx:load", (event) => enhance(event.target));
})();
