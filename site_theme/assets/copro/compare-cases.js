/* Side-by-side view: reads ?ids=a,b,c (or ?ids=a&ids=b), renders columns from the page's own data.
   Case text is only ever set as textContent. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("copro-side-data").textContent);
  var byId = {};
  data.forEach(function (record) { byId[record.id] = record; });
  var form = document.getElementById("copro-chooser");
  var output = document.getElementById("copro-side-by-side");
  var message = document.getElementById("copro-chooser-message");
  var caseBase = form.getAttribute("action").replace(/compare\/cases\/?$/, "") + "evaluations/";

  function chosenIds() {
    var params = new URLSearchParams(location.search);
    var ids = [];
    params.getAll("ids").forEach(function (value) {
      value.split(",").forEach(function (id) { if (id && ids.indexOf(id) === -1) ids.push(id); });
    });
    return ids;
  }

  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  function row(table, heading, values) {
    var tr = el("tr");
    var th = el("th", heading);
    th.scope = "row";
    tr.appendChild(th);
    values.forEach(function (value) { tr.appendChild(el("td", value)); });
    table.tBodies[0].appendChild(tr);
  }

  function render(ids) {
    output.replaceChildren();
    var unknown = ids.filter(function (id) { return !byId[id]; });
    var cases = ids.filter(function (id) { return byId[id]; }).map(function (id) { return byId[id]; });
    if (unknown.length) output.appendChild(el("p", "Not found: " + unknown.join(", ") + ".", "copro-figure__note"));
    if (cases.length < 2) {
      if (ids.length) output.appendChild(el("p", "Choose at least two cases to compare."));
      return;
    }
    if (cases.length > 4) {
      output.appendChild(el("p", "Showing the first four of the " + cases.length + " cases chosen."));
      cases = cases.slice(0, 4);
    }
    var heading = el("h2", "Side by side");
    heading.id = "side-by-side";
    output.appendChild(heading);
    if (cases.some(function (c) { return c.example; })) {
      var note = el("p", "Cases marked illustrative example are invented to show how the hub works; they are not evidence.");
      note.className = "copro-banner copro-banner--example";
      output.appendChild(note);
    }
    var wrap = el("div", null, "copro-table-wrap");
    wrap.tabIndex = 0;
    wrap.setAttribute("role", "region");
    wrap.setAttribute("aria-label", "Side-by-side comparison");
    var table = el("table");
    table.appendChild(el("caption", "The chosen cases in columns"));
    var head = el("thead");
    var headRow = el("tr");
    var corner = el("th", "");
    corner.scope = "col";
    headRow.appendChild(corner);
    cases.forEach(function (c) {
      var th = el("th");
      th.scope = "col";
      var link = el("a", c.title);
      link.href = caseBase + encodeURIComponent(c.id) + "/";
      th.appendChild(link);
      if (c.example) th.appendChild(el("span", "Illustrative example", "copro-badge copro-badge--example"));
      if (c.summary) th.appendChild(el("span", "Summary of a published evaluation", "copro-badge copro-badge--summary"));
      headRow.appendChild(th);
    });
    head.appendChild(headRow);
    table.appendChild(head);
    table.appendChild(el("tbody"));
    row(table, "Organisation", cases.map(function (c) { return c.organisation; }));
    row(table, "Area", cases.map(function (c) { return c.area; }));
    row(table, "Service", cases.map(function (c) { return c.kind; }));
    row(table, "Country", cases.map(function (c) { return c.country; }));
    row(table, "Co-production", cases.map(function (c) { return c.start + (c.end ? " to " + c.end : " (ongoing)"); }));
    row(table, "Level reached", cases.map(function (c) { return c.level; }));
    row(table, "Design", cases.map(function (c) { return c.design + ", " + c.evaluator.toLowerCase() + " evaluator"; }));
    row(table, "Evidence strength", cases.map(function (c) { return c.strength + " of 5: " + c.strength_name; }));
    row(table, "Principles score", cases.map(function (c) {
      return c.principles_score === null ? "Unknown" : c.principles_score.toFixed(1) + " of 4" + (c.principles_unknown ? " (" + c.principles_unknown + " unknown)" : "");
    }));
    Object.keys(cases[0].principles).forEach(function (name) {
      row(table, name, cases.map(function (c) { return c.principles[name]; }));
    });
    var domains = [];
    cases.forEach(function (c) { c.outcomes.forEach(function (o) { if (domains.indexOf(o.domain) === -1) domains.push(o.domain); }); });
    domains.sort();
    domains.forEach(function (domain) {
      row(table, "Outcome: " + domain, cases.map(function (c) {
        var found = c.outcomes.filter(function (o) { return o.domain === domain; });
        if (!found.length) return "Not measured";
        return found.map(function (o) {
          var certainty = o.certainty ? "; " + o.certainty.toLowerCase() + " certainty" : "";
          var result = o.verdict ? o.verdict + " (" + o.change + certainty + ")" : (o.target ? "Target " + o.target : (o.latest ? "Latest " + o.latest + ", " + o.latest_date : "Described in words"));
          return o.measure + ": " + result;
        }).join("; ");
      }));
    });
    wrap.appendChild(table);
    output.appendChild(wrap);
  }

  var ids = chosenIds();
  Array.prototype.forEach.call(form.querySelectorAll('input[name="ids"]'), function (box) {
    box.checked = ids.indexOf(box.value) !== -1;
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var picked = Array.prototype.filter.call(form.querySelectorAll('input[name="ids"]'), function (box) { return box.checked; })
      .map(function (box) { return box.value; });
    if (picked.length < 2 || picked.length > 4) {
      message.textContent = "Choose between two and four cases (" + picked.length + " chosen).";
      return;
    }
    message.textContent = "";
    history.pushState(null, "", location.pathname + "?ids=" + picked.map(encodeURIComponent).join(","));
    render(picked);
    document.getElementById("side-by-side").focus && document.getElementById("side-by-side").scrollIntoView();
  });
  window.addEventListener("popstate", function () { render(chosenIds()); });
  render(ids);
})();
