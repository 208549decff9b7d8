// Small progressive enhancements; every page works without JavaScript.
document.addEventListener("change", (event) => {
  const target = event.target;
  if (target.matches("select[data-autosubmit]")) {
    target.form.submit();
  }
});

// On a phone a table becomes one card per row (casemgr.css); each cell is labelled with its
// column heading so that the values stay readable. A cell that already has data-label keeps it.
function labelTableCells(root) {
  const tables = root.matches && root.matches("table") ? [root] : root.querySelectorAll("table");
  tables.forEach((table) => {
    const headerRow = table.tHead && table.tHead.rows[table.tHead.rows.length - 1];
    if (!headerRow) {
      return;
    }
    const headings = [];
    Array.from(headerRow.cells).forEach((cell) => {
      for (let i = 0; i < cell.colSpan; i += 1) {
        headings.push(cell.textContent.trim());
      }
    });
    Array.from(table.tBodies).forEach((body) => {
      Array.from(body.rows).forEach((row) => {
        let column = 0;
        Array.from(row.cells).forEach((cell) => {
          const heading = headings[column];
          if (cell.colSpan === 1 && heading && !cell.hasAttribute("data-label")) {
            cell.setAttribute("data-label", heading);
          }
          column += cell.colSpan;
        });
      });
    });
    table.classList.add("stacked");
  });
}

document.addEventListener("DOMContentLoaded", () => labelTableCells(document));
// Content that htmx swaps in (filtered lists, panels) gets the same treatment.
document.addEventListener("htmx:load", (event) => labelTableCells(event.detail.elt));

// The phone menu: the button only exists for scripts, so without JavaScript the menu stays open.
document.documentElement.classList.add("js");
document.addEventListener("DOMContentLoaded", () => {
  const toggle = document.querySelector(".menu-toggle");
  const menu = toggle && document.getElementById(toggle.getAttribute("aria-controls"));
  if (!menu) {
    return;
  }
  toggle.addEventListener("click", () => {
    const open = toggle.getAttribute("aria-expanded") !== "true";
    toggle.setAttribute("aria-expanded", String(open));
    menu.classList.toggle("open", open);
  });
});
