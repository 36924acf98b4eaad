// Sorting and filtering for the class dashboard. The page works without it: the tables are complete
// and in a sensible order; this only adds sort buttons to headings and shows the filter controls.
// Student text is only ever read (textContent), never written back as markup.
(function () {
  "use strict";

  var collator = new Intl.Collator(document.documentElement.lang || undefined, {
    numeric: true,
    sensitivity: "base",
  });

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  // The cell under a heading, counting the columns that a cell with colspan covers.
  function cellAt(row, column) {
    var seen = 0;
    for (var i = 0; i < row.cells.length; i++) {
      seen += row.cells[i].colSpan;
      if (column < seen) {
        return row.cells[i];
      }
    }
    return null;
  }

  function sortKey(cell, numeric) {
    if (!cell) {
      return numeric ? NaN : "";
    }
    var value = cell.getAttribute("data-v");
    if (value === null) {
      value = cell.textContent.trim();
    }
    return numeric ? (value === "" ? NaN : parseFloat(value)) : value;
  }

  function announce(heading, ascending) {
    var status = document.getElementById("sort-status");
    if (!status) {
      return;
    }
    var template = status.getAttribute(ascending ? "data-ascending" : "data-descending") || "";
    status.textContent = template.replace("{column}", heading.textContent.trim());
  }

  function sortTable(table, heading, column, numeric) {
    var ascending = heading.getAttribute("aria-sort") !== "ascending";
    var headings = table.tHead.rows[0].cells;
    for (var i = 0; i < headings.length; i++) {
      headings[i].removeAttribute("aria-sort");
    }
    heading.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var body = table.tBodies[0];
    var rows = Array.prototype.map.call(body.rows, function (row, index) {
      return { row: row, key: sortKey(cellAt(row, column), numeric), index: index };
    });
    rows.sort(function (a, b) {
      var order;
      if (numeric) {
        var aMissing = isNaN(a.key);
        var bMissing = isNaN(b.key);
        // Rows without a value stay at the bottom whichever the direction.
        if (aMissing || bMissing) {
          return aMissing === bMissing ? a.index - b.index : aMissing ? 1 : -1;
        }
        order = a.key - b.key;
      } else {
        order = collator.compare(a.key, b.key);
      }
      if (order === 0) {
        return a.index - b.index;
      }
      return ascending ? order : -order;
    });
    var fragment = document.createDocumentFragment();
    rows.forEach(function (entry) {
      fragment.appendChild(entry.row);
    });
    body.appendChild(fragment);
    announce(heading, ascending);
  }

  function makeSortable(table) {
    var headings = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(headings, function (heading, column) {
      var type = heading.getAttribute("data-sort");
      if (!type) {
        return;
      }
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      while (heading.firstChild) {
        button.appendChild(heading.firstChild);
      }
      heading.appendChild(button);
      button.addEventListener("click", function () {
        sortTable(table, heading, column, type === "num");
      });
    });
  }

  function setUpFilters() {
    var controls = document.getElementById("student-controls");
    var table = document.getElementById("students");
    if (!controls || !table) {
      return;
    }
    var search = document.getElementById("student-search");
    var filter = document.getElementById("student-filter");
    var count = document.getElementById("student-count");
    var rows = Array.prototype.map.call(table.tBodies[0].rows, function (row) {
      return {
        row: row,
        name: fold(row.cells[0].textContent),
        tags: (row.getAttribute("data-f") || "").split(" "),
      };
    });
    function apply() {
      var query = fold(search.value.trim());
      var wanted = filter.value;
      var shown = 0;
      rows.forEach(function (entry) {
        var visible =
          (query === "" || entry.name.indexOf(query) !== -1) &&
          (wanted === "" || entry.tags.indexOf(wanted) !== -1);
        // Touch only rows that change: every attribute write costs a style pass over 2,000 rows.
        if (entry.row.hidden === visible) {
          entry.row.hidden = !visible;
        }
        shown += visible ? 1 : 0;
      });
      count.textContent = (count.getAttribute("data-template") || "")
        .replace("{shown}", String(shown))
        .replace("{total}", String(rows.length));
    }
    search.addEventListener("input", apply);
    filter.addEventListener("change", apply);
    controls.hidden = false;
    apply();
  }

  // One button opens (or closes) every workshop cell's list of functions at once; each cell still opens
  // on its own without the script, as a <details> element.
  function setUpDetailsToggle() {
    var button = document.getElementById("details-toggle");
    var table = document.getElementById("students");
    if (!button || !table) {
      return;
    }
    button.addEventListener("click", function () {
      var open = button.getAttribute("aria-pressed") !== "true";
      Array.prototype.forEach.call(table.querySelectorAll("details"), function (details) {
        details.open = open;
      });
      button.setAttribute("aria-pressed", open ? "true" : "false");
      button.textContent = button.getAttribute(open ? "data-close" : "data-open") || "";
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), makeSortable);
  setUpFilters();
  setUpDetailsToggle();
})();
