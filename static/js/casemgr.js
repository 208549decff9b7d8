// Small progressive enhancements; every page works without JavaScript.
document.addEventListener("change", (event) => {
  const target = event.target;
  if (target.matches("select[data-autosubmit]")) {
    // data-autosubmit="show" presses the form's button of that action, so the server knows
    // the change only asks to show the page again (the interview's language) and saves nothing.
    const action = target.dataset.autosubmit;
    const button = action && target.form.querySelector(`button[name=action][value="${action}"]`);
    if (button && target.form.requestSubmit) {
      target.form.requestSubmit(button);
    } else {
      target.form.submit();
    }
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

// The screening interview: the questions open as soon as consent is ticked, and the progress
// counts follow the answers. Without JavaScript the "Continue" button and the server do both.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("form[data-interview]");
  if (!form) {
    return;
  }
  const questions = form.querySelector("[data-questions]");
  const consent = form.querySelector("input[name=consent_given]");
  const note = form.querySelector("[data-consent-note]");
  const needsConsent = form.querySelectorAll("[data-needs-consent]");
  const syncConsent = () => {
    const given = consent && consent.checked;
    if (questions) {
      questions.disabled = !given;
    }
    needsConsent.forEach((button) => { button.disabled = !given; });
    if (note) {
      note.hidden = given;
    }
    document.querySelectorAll("[data-consent-status]").forEach((el) => {
      el.textContent = given ? el.dataset.recorded : el.dataset.pending;
    });
  };
  const count = () => {
    let total = 0;
    form.querySelectorAll("[data-group]").forEach((group) => {
      const answered = group.querySelectorAll("input[type=radio]:checked:not([value=unknown])").length;
      total += answered;
      const code = group.dataset.group;
      group.querySelectorAll("[data-answered]").forEach((el) => { el.textContent = answered; });
      document.querySelectorAll(`[data-step="${code}"] [data-answered]`).forEach((el) => {
        el.textContent = answered;
      });
    });
    document.querySelectorAll("[data-answered-total]").forEach((el) => { el.textContent = total; });
    document.querySelectorAll("[data-progress]").forEach((el) => { el.value = total; });
  };
  form.addEventListener("change", (event) => {
    if (event.target === consent) {
      syncConsent();
    }
    if (event.target.type === "radio") {
      count();
    }
  });
  // The sections open now stay open when the page comes back (a language change, an error).
  form.addEventListener("submit", () => {
    form.querySelectorAll("input[name=open]").forEach((input) => input.remove());
    form.querySelectorAll("details[data-group][open]").forEach((group) => {
      const input = document.createElement("input");
      input.type = "hidden";
      input.name = "open";
      input.value = group.dataset.group;
      form.appendChild(input);
    });
  });
  // A step's link opens its section.
  document.querySelectorAll(".steps a[href^='#']").forEach((link) => {
    link.addEventListener("click", () => {
      const target = document.getElementById(link.getAttribute("href").slice(1));
      if (target && target.tagName === "DETAILS") {
        target.open = true;
      }
    });
  });
  syncConsent();
});
