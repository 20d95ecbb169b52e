/* Case list: filters, a live count, the URL as state, a CSV of the visible rows, and a compare chooser.
   Plain DOM, no framework; everything works on the table the server rendered. */
(function () {
  "use strict";
  var form = document.getElementById("copro-filters");
  var table = document.getElementById("copro-case-table");
  var count = document.getElementById("copro-count");
  var dataBlock = document.getElementById("copro-case-data");
  if (!form || !table || !count || !dataBlock) return;

  var rows = Array.prototype.slice.call(table.tBodies[0].rows);
  var records = JSON.parse(dataBlock.textContent);
  var byId = {};
  records.forEach(function (record) { byId[record.id] = record; });
  var selects = Array.prototype.slice.call(form.querySelectorAll("select[data-column]"));
  var text = document.getElementById("copro-filter-text");
  var download = document.getElementById("copro-download");
  var compare = document.getElementById("copro-compare");
  var boxes = Array.prototype.slice.call(table.querySelectorAll("input.copro-select"));
  var boxLabels = Array.prototype.slice.call(table.querySelectorAll(".copro-case-list__select-text"));
  var active = document.getElementById("copro-filters-active");
  var total = rows.length;

  function normalise(value) {
    return (value || "").toString().toLocaleLowerCase().normalize("NFKD").replace(/[\u0300-\u036f]/g, "");
  }
  var haystacks = rows.map(function (row) { return normalise(row.textContent); });

  function visibleRows() {
    return rows.filter(function (row) { return !row.hidden; });
  }

  function apply() {
    var words = normalise(text.value).split(/\s+/).filter(Boolean);
    rows.forEach(function (row, index) {
      var show = selects.every(function (select) {
        // A cell may hold several codes, space-separated (a case's outcome certainties).
        var codes = (row.getAttribute("data-" + select.dataset.column) || "").split(" ");
        return !select.value || codes.indexOf(select.value) !== -1;
      }) && words.every(function (word) { return haystacks[index].indexOf(word) !== -1; });
      row.hidden = !show;
    });
    var shown = visibleRows().length;
    count.textContent = shown === total
      ? "Showing all " + total + " case studies."
      : "Showing " + shown + " of " + total + " case studies.";
    download.disabled = shown === 0;
    countActive();
    saveState();
  }

  /* The folded filters say how many of them are in use, so a narrowed table is never a surprise. */
  function countActive() {
    if (!active) return;
    var used = selects.filter(function (select) { return select.value; }).length;
    active.textContent = used ? "(" + used + " in use)" : "";
  }

  function saveState() {
    var params = new URLSearchParams();
    if (text.value) params.set("q", text.value);
    selects.forEach(function (select) { if (select.value) params.set(select.name, select.value); });
    var query = params.toString();
    history.replaceState(null, "", location.pathname + (query ? "?" + query : "") + location.hash);
  }

  function loadState() {
    var params = new URLSearchParams(location.search);
    text.value = params.get("q") || "";
    selects.forEach(function (select) {
      var wanted = params.get(select.name);
      if (wanted && select.querySelector('option[value="' + CSS.escape(wanted) + '"]')) select.value = wanted;
    });
  }

  /* Cells that a spreadsheet would run as a formula are made inert with a leading apostrophe. */
  function csvCell(value) {
    var cell = value === null || value === undefined ? "" : String(value);
    if (/^[=+\-@\t\r]/.test(cell)) cell = "'" + cell;
    return /[",\r\n]/.test(cell) ? '"' + cell.replace(/"/g, '""') + '"' : cell;
  }

  function downloadCsv() {
    var chosen = visibleRows().map(function (row) { return byId[row.getAttribute("data-id")]; });
    if (!chosen.length) return;
    var columns = Object.keys(chosen[0]);
    var lines = [columns.join(",")].concat(chosen.map(function (record) {
      return columns.map(function (column) { return csvCell(record[column]); }).join(",");
    }));
    var blob = new Blob(["\ufeff" + lines.join("\r\n") + "\r\n"], { type: "text/csv;charset=utf-8" });
    var link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = "case-studies.csv";
    document.body.appendChild(link);
    link.click();
    setTimeout(function () { URL.revokeObjectURL(link.href); link.remove(); }, 0);
  }

  function updateCompare() {
    var chosen = boxes.filter(function (box) { return box.checked; });
    compare.disabled = chosen.length < 2 || chosen.length > 4;
    compare.textContent = chosen.length
      ? "Compare selected (" + chosen.length + (chosen.length > 4 ? ", at most 4" : "") + ")"
      : "Compare selected";
  }

  form.hidden = false;
  boxes.forEach(function (box) { box.hidden = false; box.addEventListener("change", updateCompare); });
  boxLabels.forEach(function (text) { text.hidden = false; });
  loadState();
  apply();
  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  form.addEventListener("reset", function () { setTimeout(apply, 0); });
  download.addEventListener("click", downloadCsv);
  compare.addEventListener("click", function () {
    var ids = boxes.filter(function (box) { return box.checked; }).map(function (box) { return box.value; });
    location.href = compare.dataset.target + "?ids=" + ids.map(encodeURIComponent).join(",");
  });
})();
