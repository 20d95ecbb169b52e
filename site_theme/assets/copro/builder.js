/* The case-study builder: repeating groups, conditional fields, checks against the schema (Ajv),
   drafts in this browser, and the case file written as YAML. The form itself is generated from the
   schema at build time; this script reads whatever fields the page has, in the page's order. */
(function () {
  "use strict";

  var form = document.getElementById("copro-builder");
  if (!form) return;

  var DRAFT_PREFIX = "copro-builder-draft:";
  var SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;
  var PLAIN_DATE = /^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$/;
  var PLAIN_NUMBER = /^[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$/;
  var CONTAINERS = "[data-kind]";
  var nextId = 1;
  var extras = {};  // keys of a loaded case that the form does not ask about (kept as they were)
  var caseId = "";
  var saveTimer = null;
  var validator = null;
  var placeholders = [];  // lists given an empty first item only so that the check names it

  // ------------------------------------------------------------------ structure

  function owner(element) {
    return element.parentElement ? element.parentElement.closest(CONTAINERS) : null;
  }

  function fieldsOf(container) {
    return Array.prototype.filter.call(container.querySelectorAll("[data-key]"), function (child) {
      return owner(child) === container && !child.hasAttribute("data-item");
    });
  }

  function itemsOf(list) {
    var holder = list.querySelector(":scope > [data-items]");
    return Array.prototype.filter.call(holder.children, function (child) {
      return child.hasAttribute("data-item");
    });
  }

  function controlOf(field) {
    return field.querySelector("input, select, textarea");
  }

  function isHidden(field) {
    return !!field.closest("[hidden]") && field.closest("[hidden]") !== form;
  }

  // ------------------------------------------------------------------ reading the form

  function readLeaf(field) {
    var kind = field.dataset.kind;
    if (kind === "const") return JSON.parse(field.dataset.const);
    if (kind === "choices") {
      var checked = Array.prototype.filter.call(field.querySelectorAll("input"), function (box) { return box.checked; })
        .map(function (box) { return box.value; });
      // Codes a loaded case listed keep its order; newly ticked ones follow in the page's order.
      var kept = JSON.parse(field.dataset.order || "[]").filter(function (code) { return checked.indexOf(code) >= 0; });
      var codes = kept.concat(checked.filter(function (code) { return kept.indexOf(code) < 0; }));
      return codes.length ? codes : undefined;
    }
    if (kind === "choice") {
      var select = field.querySelector("select");
      if (select) return select.value || undefined;
      var radio = field.querySelector("input:checked");
      return radio ? radio.value : undefined;
    }
    var value = controlOf(field).value;
    if (!value.trim()) return undefined;
    if (kind === "number" || kind === "integer") {
      var trimmed = value.trim();
      return PLAIN_NUMBER.test(trimmed) ? Number(trimmed) : value;  // text goes on to fail the check
    }
    return value;
  }

  function pointer(path, key) { return path + "/" + String(key).replace(/~/g, "~0").replace(/\//g, "~1"); }

  function readNode(node, path, seen) {
    seen[path] = node;
    if (isHidden(node)) return undefined;
    var kind = node.dataset.kind;
    if (kind === "list") {
      var values = [];
      itemsOf(node).forEach(function (item) {
        var value = readNode(item, pointer(path, values.length), seen);
        if (value !== undefined) values.push(value);
      });
      var items = itemsOf(node);
      if (!values.length && items.length && node.hasAttribute("data-required")) {
        // Every item is empty: check the first, so the message names what to write in it.
        var first = items[0];
        seen[pointer(path, 0)] = first;
        values.push(first.dataset.kind === "group" ? {} : "");
        placeholders.push(values);
      }
      return values.length ? values : undefined;
    }
    if (kind === "group") {
      var object = {};
      fieldsOf(node).forEach(function (child) {
        var value = readNode(child, pointer(path, child.dataset.key), seen);
        if (value !== undefined) object[child.dataset.key] = value;
      });
      // A part the case must have is kept even when empty, so the check names each missing answer.
      var kept = node.hasAttribute("data-required") && !node.hasAttribute("data-item");
      var answered = Object.keys(object).some(function (key) { return placeholders.indexOf(object[key]) < 0; });
      return answered || kept ? object : undefined;
    }
    return readLeaf(node);
  }

  function readForm() {
    var seen = {};
    placeholders = [];
    var data = readNode(form, "", seen) || {};
    Object.keys(extras).forEach(function (key) { if (!(key in data)) data[key] = extras[key]; });
    return {data: data, fields: seen};
  }

  // ------------------------------------------------------------------ filling the form

  function fillLeaf(field, value) {
    var kind = field.dataset.kind;
    if (kind === "const") return;
    if (kind === "choices") {
      var wanted = Array.isArray(value) ? value.map(String) : [];
      field.querySelectorAll("input").forEach(function (box) { box.checked = wanted.indexOf(box.value) >= 0; });
      field.dataset.order = JSON.stringify(wanted);
      return;
    }
    if (kind === "choice") {
      var select = field.querySelector("select");
      if (select) { select.value = value === undefined ? "" : String(value); return; }
      field.querySelectorAll("input").forEach(function (radio) { radio.checked = radio.value === String(value); });
      return;
    }
    var text = value === undefined || value === null ? "" : String(value);
    var control = controlOf(field);
    if (text.indexOf("\n") >= 0 && control.tagName === "INPUT") control = toTextarea(control);
    control.value = text;
  }

  function toTextarea(input) {
    // A one-line box would drop the line breaks of a loaded case's text.
    var area = document.createElement("textarea");
    Array.prototype.forEach.call(input.attributes, function (attribute) {
      if (["type", "inputmode", "autocomplete"].indexOf(attribute.name) < 0) area.setAttribute(attribute.name, attribute.value);
    });
    area.className = "copro-textarea";
    area.rows = 3;
    input.replaceWith(area);
    return area;
  }

  function fillNode(node, value) {
    var kind = node.dataset.kind;
    if (kind === "list") {
      itemsOf(node).forEach(function (item) { item.remove(); });
      (Array.isArray(value) ? value : []).forEach(function (itemValue) { fillNode(addItem(node), itemValue); });
      renumber(node);
      return;
    }
    if (kind === "group") {
      var object = value && typeof value === "object" ? value : {};
      fieldsOf(node).forEach(function (child) { fillNode(child, object[child.dataset.key]); });
      return;
    }
    fillLeaf(node, value);
  }

  function fillForm(data) {
    extras = {};
    var known = fieldsOf(form).map(function (field) { return field.dataset.key; });
    Object.keys(data).forEach(function (key) { if (known.indexOf(key) < 0) extras[key] = data[key]; });
    fillNode(form, data);
    form.querySelectorAll("[data-suggested-from]").forEach(function (field) {
      field.dataset.typed = controlOf(field).value ? "yes" : "";
    });
    startRequiredLists(form);
    updateConditions();
  }

  // ------------------------------------------------------------------ repeating groups

  function addItem(list) {
    var template = list.querySelector(":scope > template[data-item-template]");
    var fragment = template.content.cloneNode(true);
    var token = "b" + nextId++;
    fragment.querySelectorAll("[id], [for], [name], [aria-describedby]").forEach(function (element) {
      ["id", "for", "name", "aria-describedby"].forEach(function (name) {
        var value = element.getAttribute(name);
        if (value && value.indexOf("f__N__") >= 0) element.setAttribute(name, value.split("f__N__").join(token));
      });
    });
    var item = fragment.firstElementChild;
    list.querySelector(":scope > [data-items]").appendChild(fragment);
    startRequiredLists(item);
    return item;
  }

  function startRequiredLists(root) {
    // A list the case must have starts with one item to fill in.
    var lists = root.querySelectorAll("[data-kind=list][data-required]");
    Array.prototype.forEach.call(lists, function (list) {
      if (!itemsOf(list).length && Number(list.dataset.min) > 0) addItem(list);
      renumber(list);
    });
  }

  function renumber(list) {
    var items = itemsOf(list);
    items.forEach(function (item, index) {
      item.querySelectorAll("[data-number]").forEach(function (number) {
        if (number.closest("[data-item]") === item) number.textContent = String(index + 1);
      });
    });
    var count = list.querySelector(":scope > p > [data-count]");
    count.textContent = items.length ? items.length + " added" : "none added yet";
  }

  function onAdd(button) {
    var list = button.closest("[data-kind=list]");
    var item = addItem(list);
    renumber(list);
    updateConditions();
    var first = item.querySelector("input:not([type=hidden]), select, textarea");
    if (first) first.focus();
    scheduleSave();
  }

  function onRemove(button) {
    var item = button.closest("[data-item]");
    var list = owner(item);
    var items = itemsOf(list);
    var index = items.indexOf(item);
    item.remove();
    renumber(list);
    var rest = itemsOf(list);
    var target = rest.length ? rest[Math.min(index, rest.length - 1)].querySelector("input, select, textarea") : list.querySelector(":scope > p > [data-add]");
    (target || list.querySelector(":scope > p > [data-add]")).focus();
    scheduleSave();
  }

  // ------------------------------------------------------------------ conditional fields

  function valueNear(field, name) {
    // "/a/b" is a field of the case; a bare name is the nearest field of that name around this one.
    if (name.charAt(0) === "/") {
      var node = form;
      name.slice(1).split("/").forEach(function (key) {
        node = node && fieldsOf(node).filter(function (child) { return child.dataset.key === key; })[0];
      });
      return node ? readLeaf(node) : undefined;
    }
    for (var scope = owner(field); scope; scope = owner(scope)) {
      var sibling = fieldsOf(scope).filter(function (child) { return child.dataset.key === name; })[0];
      if (sibling) return readLeaf(sibling);
    }
    return undefined;
  }

  function updateConditions() {
    var caseWide = {};  // a field of the whole case ("/evaluation/design") is read once, not per outcome
    form.querySelectorAll("[data-when-field]").forEach(function (field) {
      var name = field.dataset.whenField;
      if (name.charAt(0) === "/" && !(name in caseWide)) caseWide[name] = valueNear(field, name);
      var value = name.charAt(0) === "/" ? caseWide[name] : valueNear(field, name);
      var applies = field.dataset.whenValues.split(" ").indexOf(String(value)) >= 0;
      field.hidden = !applies;
    });
    // Offer only the codes that fit another answer (outcome domains that fit whose outcome it is).
    form.querySelectorAll("select[data-fits-field]").forEach(function (select) {
      var chosen = valueNear(select.closest("[data-key]"), select.dataset.fitsField);
      select.querySelectorAll("optgroup[data-fits]").forEach(function (group) {
        group.disabled = !!chosen && !!group.dataset.fits && group.dataset.fits !== chosen;
      });
      var option = select.options[select.selectedIndex];
      if (option && option.parentElement.disabled) select.value = "";
    });
  }

  function slugOf(text, limit) {
    var slug = text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
    return slug.slice(0, limit).replace(/-+$/, "");
  }

  function suggest(changed) {
    // Fill a field from another (the id from the title) until the person types in it.
    form.querySelectorAll("[data-suggested-from]").forEach(function (field) {
      var control = controlOf(field);
      if (changed === control) { field.dataset.typed = control.value ? "yes" : ""; return; }
      if (field.dataset.typed || changed.closest("[data-key]").dataset.key !== field.dataset.suggestedFrom) return;
      if (owner(changed.closest("[data-key]")) !== owner(field)) return;
      control.value = slugOf(changed.value, Number(control.getAttribute("data-max-length")) || 80);
    });
  }

  // ------------------------------------------------------------------ checks (Ajv, from the schema)

  function makeValidator() {
    if (validator || !window.ajv2020) return validator;
    var schema = JSON.parse(document.getElementById("copro-schema").textContent);
    var Ajv = window.ajv2020.default || window.ajv2020;
    validator = new Ajv({allErrors: true, strict: false}).compile(schema);
    return validator;
  }

  function contextOf(field) {
    var parts = [];
    var child = field;
    for (var node = owner(field); node && node !== form; child = node, node = owner(node)) {
      // A list names a one-box item ("What worked well, point 1"); an item with fields names itself.
      if (node.dataset.kind === "list" && child.dataset.kind === "group") continue;
      var title = node.dataset.title || "";
      if (node.hasAttribute("data-item")) {
        var number = node.querySelector("[data-number]");
        title = title + " " + (number ? number.textContent : "");
      }
      parts.unshift(title.trim());
    }
    return parts.filter(Boolean).join(", ");
  }

  function titleOf(field) {
    var title = field.dataset.title || "";
    if (field.hasAttribute("data-item")) {
      var number = field.querySelector("[data-number]");
      title = title + " " + (number ? number.textContent : "");
    }
    return title.trim();
  }

  function lower(text) {
    // Keep acronyms and names (GitHub, NHS) as they are; lower an ordinary first word.
    return /^[A-Z][a-z]/.test(text) && !/^GitHub/.test(text) ? text.charAt(0).toLowerCase() + text.slice(1) : text;
  }

  function capital(text) { return text.charAt(0).toUpperCase() + text.slice(1); }

  function messageFor(error, field) {
    var context = contextOf(field);
    var title = lower(titleOf(field));
    // "the value", but "who the comparison group is" and "GitHub user name" without an article.
    var bare = field.hasAttribute("data-item") || /^(who|what|how|when|where|which|why)\b/.test(title);
    var text = phrase(error, field, (bare ? "" : "the ") + title)
      .replace(/the the /g, "the ");
    return context ? context + ": " + text : capital(text);
  }

  function phrase(error, field, name) {
    var params = error.params || {};
    var kind = field.dataset.kind;
    var length = String(readLeaf(field) || "").length;
    switch (error.keyword) {
      case "required":
        if (kind === "choice") return "choose " + name;
        if (kind === "choices") return "choose at least one of " + name;
        if (kind === "list") return "add at least one " + lower(field.dataset.itemTitle) + " to " + name;
        if (kind === "group") return "fill in " + name;
        return "enter " + name;
      case "minLength":
        if (!length) return "enter " + name;
        return "enter " + name + ": at least " + params.limit + " characters (this has " + length + ")";
      case "maxLength": return "shorten " + name + " to at most " + params.limit + " characters (this has " + length + ")";
      case "pattern": return "check " + name + ". " + (field.dataset.formatHint || "");
      case "type":
        if (params.type === "integer") return "enter " + name + " as a whole number, like 12";
        if (params.type === "number") return "enter " + name + " as a number, like 62, without a % sign or units";
        return "check " + name;
      case "minimum": return "enter " + params.limit + " or more for " + name;
      case "maximum": return "enter " + params.limit + " or less for " + name;
      case "exclusiveMinimum": return "enter more than " + params.limit + " for " + name;
      case "exclusiveMaximum": return "enter less than " + params.limit + " for " + name;
      case "minItems": return "add at least " + (params.limit === 1 ? "one " + lower(field.dataset.itemTitle || "item") : params.limit + " items") + " to " + name;
      case "maxItems": return "give at most " + params.limit + " for " + name;
      case "uniqueItems": return "give each answer once for " + name;
      case "const": case "oneOf": case "enum": return "choose one of the answers offered for " + name;
      default: return "check " + name;
    }
  }

  function problems(data, fields) {
    var validate = makeValidator();
    if (!validate) return [{field: null, text: "The checks could not load. Reload the page and try again."}];
    var found = [];
    var done = {};
    (validate(data) ? [] : validate.errors).forEach(function (error) {
      var path = error.instancePath;
      if (error.keyword === "required") path = pointer(path, error.params.missingProperty);
      if (error.keyword === "const" || error.keyword === "oneOf") {
        if (done[path]) return;  // one message a field, not one per code it could have been
      }
      var field = fields[path];
      for (var trimmed = path; !field && trimmed; trimmed = trimmed.slice(0, trimmed.lastIndexOf("/"))) field = fields[trimmed];
      if (!field || field === form) field = null;
      if (done[path]) return;
      done[path] = true;
      found.push({field: field, text: field ? messageFor(error, field) : "A part of the case that this page does not show has a problem (" + path + "): ask a maintainer for help"});
    });
    // Then what `copro validate` checks beyond the schema, one message a field.
    ruleProblems(data, fields).forEach(function (problem) {
      if (done[problem.path]) return;
      done[problem.path] = true;
      found.push(problem);
    });
    // The page's order, not the checker's.
    var all = Array.prototype.slice.call(form.querySelectorAll("[data-key]"));
    found.sort(function (a, b) { return all.indexOf(a.field) - all.indexOf(b.field); });
    return found;
  }

  // ------------------------------------------------------------------ checks beyond the schema

  // The same checks as generator/rules.py and generator/personal_data.py, with their wording.
  // Their parameters (character sets, units, patterns, the ids already published) come from
  // Python, embedded in the page by generator/builder.py.
  var CHECKS = JSON.parse(document.getElementById("copro-checks").textContent);
  var PERSONAL = CHECKS.personal_data;

  function regex(spec) { return new RegExp(spec.source, spec.flags + "g"); }

  var VISIBLE = new RegExp("[" + CHECKS.visible_categories.split("").map(function (category) {
    return "\\p{" + category + "}";
  }).join("") + "]", "u");

  function isObject(value) { return value !== null && typeof value === "object" && !Array.isArray(value); }

  function isNumber(value) { return typeof value === "number" && isFinite(value); }

  function ruleProblems(data, fields) {
    var found = [];
    function report(path, text) {
      var field = fields[path];
      if (!field || field === form || isHidden(field)) return;  // not asked on this page: kept as it was
      found.push({field: field, path: path, text: [contextOf(field), titleOf(field)].filter(Boolean).join(", ") + ": " + text});
    }
    [textHasNoHiddenCharacters, textIsVisible, datesAreReal, idIsFree, endNotBeforeStart,
      updatedNotBeforeSubmitted, baselineHasResults, resultsNotBeforeBaseline, scaleRunsLowToHigh,
      percentWithinRange, sdHasN, noPersonalData].forEach(function (rule) { rule(data, report); });
    return found;
  }

  function eachText(value, path, visit) {
    if (typeof value === "string") visit(path, value);
    else if (Array.isArray(value)) value.forEach(function (item, n) { eachText(item, pointer(path, n), visit); });
    else if (isObject(value)) Object.keys(value).forEach(function (key) { eachText(value[key], pointer(path, key), visit); });
  }

  function describeCharacter(character) {
    var code = character.codePointAt(0).toString(16).toUpperCase();
    while (code.length < 4) code = "0" + code;  // as Python writes it: U+200B, U+E0001
    return CHECKS.hidden_names[code] || "U+" + code;
  }

  function textHasNoHiddenCharacters(data, report) {
    eachText(data, "", function (path, text) {
      var found = Array.from(text.matchAll(regex(CHECKS.hidden)));
      if (!found.length) return;
      var first = found[0];
      var more = found.length - 1;
      // Counted in characters, as Python counts them, not in UTF-16 units.
      var at = Array.from(text.slice(0, first.index)).length + 1;
      report(path, "this text holds an invisible character that can reverse or hide text (" +
        describeCharacter(first[0]) + ") at character " + at + "." +
        (more ? " It holds " + more + " more further on." : "") + " Delete it; retype the text if you pasted it.");
    });
  }

  function textIsVisible(data, report) {
    eachText(data, "", function (path, text) {
      if (text && !VISIBLE.test(text) && !text.match(regex(CHECKS.hidden))) {
        report(path, "this holds only spaces or invisible characters. Write the text, or leave the field out if it is optional.");
      }
    });
  }

  function isRealDate(year, month, day) {
    if (year < 1 || month < 1 || month > 12 || day < 1) return false;
    var leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
    return day <= [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  }

  function dateKey(value) {
    // [year, month, day] of a valid date, a missing month or day as 0 (rules.py's _date_key).
    if (typeof value !== "string") return null;
    var parts = value.split("-");
    if (parts.length > 3 || !parts.every(function (part) { return /^[0-9]+$/.test(part); })) return null;
    var numbers = parts.map(Number);
    if (numbers.length === 3 && !isRealDate(numbers[0], numbers[1], numbers[2])) return null;
    return numbers.concat([0, 0]).slice(0, 3);
  }

  function isBefore(later, earlier) {
    // Compared at their common precision: 2024 and 2024-03 compare by year.
    var depth = Math.min(later.filter(Boolean).length, earlier.filter(Boolean).length);
    for (var index = 0; index < depth; index++) {
      if (later[index] !== earlier[index]) return later[index] < earlier[index];
    }
    return false;
  }

  function datesAreReal(data, report) {
    eachText(data, "", function (path, text) {
      if (/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(text) && !dateKey(text)) {
        report(path, text + " is not a real date. Check the day and month.");
      }
    });
  }

  function idIsFree(data, report) {
    var id = data.id;
    if (typeof id !== "string") return;
    if (CHECKS.reserved_ids.indexOf(id) >= 0) {
      report("/id", "the id " + id + " is reserved: the site or Windows uses this name for something else. Choose an id that names the project, e.g. riverside-day-centre-redesign.");
    } else if (id !== caseId && CHECKS.existing_ids.indexOf(id) >= 0) {
      // Updating a published case (opened with ?case=) keeps its id; a new case needs its own.
      report("/id", "a case with this id already exists: " + id + ". Choose another id, or open that case's page and use “Add a follow-up result or correct this case”.");
    }
  }

  function endNotBeforeStart(data, report) {
    var copro = isObject(data.coproduction) ? data.coproduction : {};
    var start = dateKey(copro.start);
    var end = dateKey(copro.end);
    if (start && end && isBefore(end, start)) {
      report("/coproduction/end", "the end (" + copro.end + ") is before the start (" + copro.start + "). Check both dates.");
    }
  }

  function updatedNotBeforeSubmitted(data, report) {
    var submitted = dateKey(data.submitted);
    var updated = dateKey(data.updated);
    if (submitted && updated && isBefore(updated, submitted)) {
      report("/updated", "the updated date (" + data.updated + ") is before the submitted date (" + data.submitted + "). Updated is the date of the last change after first publication.");
    }
  }

  function eachOutcome(data, visit) {
    if (!Array.isArray(data.outcomes)) return;
    data.outcomes.forEach(function (outcome, index) {
      if (isObject(outcome)) visit(outcome, pointer("/outcomes", index));
    });
  }

  function baselineHasResults(data, report) {
    eachOutcome(data, function (outcome, at) {
      var results = outcome.results;
      if (isObject(outcome.baseline) && !(Array.isArray(results) && results.length)) {
        report(at + "/baseline", "this outcome has a baseline but no results after it. Add a result, or remove the baseline.");
      }
    });
  }

  function resultsAfterBaseline(owner, at, report) {
    var base = isObject(owner.baseline) ? dateKey(owner.baseline.date) : null;
    if (!base || !Array.isArray(owner.results)) return;
    owner.results.forEach(function (result, n) {
      var date = isObject(result) ? dateKey(result.date) : null;
      if (date && isBefore(date, base)) {
        report(at + "/results/" + n + "/date", "this result (" + result.date + ") is dated before the baseline (" + owner.baseline.date + "). A baseline is measured before the co-production; check both dates.");
      }
    });
  }

  function resultsNotBeforeBaseline(data, report) {
    eachOutcome(data, function (outcome, at) {
      resultsAfterBaseline(outcome, at, report);
      if (isObject(outcome.comparison)) resultsAfterBaseline(outcome.comparison, at + "/comparison", report);
    });
  }

  function measurements(outcome, at) {
    // [path, measurement] for the participants' and the comparison group's.
    var found = [];
    [[at, outcome], [at + "/comparison", outcome.comparison]].forEach(function (pair) {
      var owner = pair[1];
      if (!isObject(owner)) return;
      if (isObject(owner.baseline)) found.push([pair[0] + "/baseline", owner.baseline]);
      if (Array.isArray(owner.results)) {
        owner.results.forEach(function (result, n) {
          if (isObject(result)) found.push([pair[0] + "/results/" + n, result]);
        });
      }
    });
    return found;
  }

  function valuesWithin(outcome, at, low, high, where, report) {
    measurements(outcome, at).forEach(function (pair) {
      var value = pair[1].value;
      if (isNumber(value) && !(low <= value && value <= high)) {
        report(pair[0] + "/value", "the value " + value + " is outside the range: " + where + ". Check the value and the unit.");
      }
    });
  }

  function scaleRunsLowToHigh(data, report) {
    eachOutcome(data, function (outcome, at) {
      var scale = outcome.scale;
      if (!isObject(scale) || !isNumber(scale.min) || !isNumber(scale.max)) return;
      if (scale.min >= scale.max) {
        report(at + "/scale", "the scale runs from " + scale.min + " to " + scale.max + ". The lowest score must be lower than the highest score.");
      } else {
        valuesWithin(outcome, at, scale.min, scale.max, "the scale runs from " + scale.min + " to " + scale.max, report);
      }
    });
  }

  function percentWithinRange(data, report) {
    eachOutcome(data, function (outcome, at) {
      if (outcome.unit === "percent") valuesWithin(outcome, at, 0, 100, "a percentage must be between 0 and 100", report);
    });
  }

  function sdHasN(data, report) {
    eachOutcome(data, function (outcome, at) {
      if (CHECKS.units_with_sd.indexOf(outcome.unit) < 0) return;  // elsewhere the page does not ask for sd
      measurements(outcome, at).forEach(function (pair) {
        if ("sd" in pair[1] && !("n" in pair[1])) {
          report(pair[0] + "/sd", "a standard deviation needs the number of respondents or cases it comes from. Add the number of respondents or cases to this measurement (e.g. 24), or remove the standard deviation.");
        }
      });
    });
  }

  // Personal data: the patterns are Python's (generator/personal_data.py), translated by
  // generator/builder.py; the checks that follow a match are ported here.

  function digitGroups(match) {
    var prefix = match.groups.prefix;
    var number = match.groups.number;
    if (prefix.indexOf("44") < 0) return ("0" + number).match(/\p{Nd}+/gu);
    var groups = number.match(/\p{Nd}+/gu);
    return ["0" + groups[0]].concat(groups.slice(1));
  }

  function isUkPhone(match) {
    var whole = match[0];
    var groups = digitGroups(match);
    var national = groups.join("");
    if (whole.split("(").length !== whole.split(")").length || groups.length > 4) return false;
    if (groups[0].length < 3 || groups.slice(1).some(function (group) { return group.length < 3; })) return false;
    if (PERSONAL.phone_first_digits.indexOf(national.charAt(1)) < 0) return false;
    return national.length === 11 || "18".indexOf(national.charAt(1)) >= 0;
  }

  function isValidNhsNumber(digits) {
    if (!/^[0-9]{10}$/.test(digits) || /^(.)\1*$/.test(digits)) return false;
    var total = 0;
    for (var index = 0; index < 9; index++) total += Number(digits.charAt(index)) * (10 - index);
    var check = 11 - total % 11;
    return check !== 10 && check % 11 === Number(digits.charAt(9));
  }

  function findPersonalData(text) {
    var urls = Array.from(text.matchAll(regex(PERSONAL.url))).map(function (match) {
      return [match.index, match.index + match[0].length];
    });
    var kinds = Object.keys(PERSONAL.labels);  // in priority order
    var found = [];
    Object.keys(PERSONAL.patterns).forEach(function (kind) {
      Array.from(text.matchAll(regex(PERSONAL.patterns[kind]))).forEach(function (match) {
        if (kind === "phone" && !isUkPhone(match)) return;
        if (kind === "nhs-number" && !isValidNhsNumber(match[0].replace(/[^0-9]/g, ""))) return;
        var start = match.index;
        var end = start + match[0].length;
        var inUrl = kind !== "email" && urls.some(function (url) { return url[0] <= start && end <= url[1]; });
        if (!inUrl) found.push({kind: kind, start: start, end: end, text: match[0]});
      });
    });
    found.sort(function (a, b) {
      return a.start - b.start || (b.end - b.start) - (a.end - a.start) || kinds.indexOf(a.kind) - kinds.indexOf(b.kind);
    });
    var kept = [];
    found.forEach(function (finding) {
      if (!kept.length || finding.start >= kept[kept.length - 1].end) kept.push(finding);
    });
    return kept;
  }

  function shownPath(path) {
    // As copro writes a field's path: outcomes[1].baseline.note
    return path.split("/").slice(1).reduce(function (out, part) {
      return /^[0-9]+$/.test(part) ? out + "[" + part + "]" : out + (out ? "." : "") + part;
    }, "");
  }

  function noPersonalData(data, report) {
    var allowed = (Array.isArray(data.allowed_personal_data) ? data.allowed_personal_data : [])
      .map(function (entry) { return isObject(entry) ? entry.field : null; });
    eachText(data, "", function (path, text) {
      var pattern = path.split("/").slice(1).map(function (part) { return /^[0-9]+$/.test(part) ? "*" : part; }).join("/");
      if (PERSONAL.free_text.indexOf(pattern) < 0 || allowed.indexOf(shownPath(path)) >= 0) return;
      var first = findPersonalData(text)[0];
      if (first) {
        report(path, "this looks like " + PERSONAL.labels[first.kind] + " (“" + first.text + "”); case studies must not publish personal data. Remove it. If it is public (say, an organisation's switchboard), remove it here and say so in your submission: a reviewer can accept it.");
      }
    });
  }

  function clearErrors() {
    form.querySelectorAll(".copro-error-message").forEach(function (message) {
      form.querySelectorAll("[aria-describedby~='" + message.id + "']").forEach(function (control) {
        var ids = control.getAttribute("aria-describedby").split(" ").filter(function (id) { return id && id !== message.id; });
        if (ids.length) control.setAttribute("aria-describedby", ids.join(" ")); else control.removeAttribute("aria-describedby");
      });
      message.remove();
    });
    form.querySelectorAll(".copro-field--error").forEach(function (field) { field.classList.remove("copro-field--error"); });
    document.getElementById("copro-error-summary").hidden = true;
    document.title = document.title.replace(/^Error: /, "");
  }

  function focusTarget(field) {
    return field.querySelector("input:not([type=hidden]), select, textarea, button[data-add]");
  }

  function showErrors(found) {
    var summary = document.getElementById("copro-error-summary");
    var list = document.getElementById("copro-error-list");
    list.textContent = "";
    found.forEach(function (problem, index) {
      var entry = document.createElement("li");
      var target = problem.field ? focusTarget(problem.field) : null;
      if (target) {
        if (!target.id) target.id = "copro-error-target-" + index;
        var link = document.createElement("a");
        link.href = "#" + target.id;
        link.textContent = problem.text;
        link.addEventListener("click", function (event) {
          event.preventDefault();
          var field = problem.field;
          var legend = field.querySelector("legend, label");
          (legend || field).scrollIntoView();
          target.focus({preventScroll: true});
        });
        entry.appendChild(link);
        var message = document.createElement("p");
        message.className = "copro-error-message";
        message.id = problem.field.id + "-error";
        var hidden = document.createElement("span");
        hidden.className = "copro-visually-hidden";
        hidden.textContent = "Error: ";
        message.appendChild(hidden);
        message.appendChild(document.createTextNode(problem.text));
        var before = problem.field.dataset.kind === "list" ? problem.field.querySelector(":scope > [data-items]")
          : problem.field.querySelector(".copro-radios, .copro-checkboxes, input, select, textarea");
        if (before && before.parentElement) before.parentElement.insertBefore(message, before); else problem.field.appendChild(message);
        problem.field.classList.add("copro-field--error");
        var described = (target.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
        described.push(message.id);
        target.setAttribute("aria-describedby", described.join(" "));
      } else {
        entry.textContent = problem.text;
      }
      list.appendChild(entry);
    });
    summary.hidden = false;
    if (!/^Error: /.test(document.title)) document.title = "Error: " + document.title;
    summary.focus();
  }

  // ------------------------------------------------------------------ YAML

  var UNSAFE = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff0-\uffff]/g;
  var LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|([^\ud800-\udbff]|^)[\udc00-\udfff]/g;

  function wellFormed(text) {
    // Half a character cannot be saved as UTF-8: write the replacement character, as a file would.
    return text.replace(LONE_SURROGATE, function (match, before) { return (before || "") + "\ufffd"; });
  }

  function quote(text) {
    // JSON's double-quoted strings are YAML's too; escape what a reader or parser could misread.
    return JSON.stringify(text).replace(UNSAFE, function (character) {
      return character.split("").map(function (unit) {
        return "\\u" + ("0000" + unit.charCodeAt(0).toString(16)).slice(-4);
      }).join("");
    });
  }

  function scalar(value, isDate) {
    if (typeof value === "number") return String(value);
    if (typeof value === "boolean" || value === null) return JSON.stringify(value);
    var text = String(value);
    // A plain 2023 reads back as a number, which the checks turn back into the date "2023".
    return isDate && PLAIN_DATE.test(text) ? text : quote(text);
  }

  function literal(text, pad) {
    // Text of several lines as a YAML literal block, as a person would write it, where that is
    // exact: no character that must be escaped, no tab or carriage return, no leading space.
    var escaped = new RegExp(UNSAFE.source);  // line breaks aside, nothing that quote() escapes
    if (text.indexOf("\n") < 0 || /[\t\r]/.test(text) || /^[ \n]/.test(text) || escaped.test(text.replace(/\n/g, " "))) return null;
    var body = text.replace(/\n+$/, "");
    var ending = text.length - body.length;
    var indicator = ending === 0 ? "|-" : ending === 1 ? "|" : "|+";
    var out = [indicator];
    (body + new Array(ending > 1 ? ending : 1).join("\n")).split("\n").forEach(function (line) {
      out.push(line ? pad + "  " + line : "");
    });
    return out;
  }

  function textLines(prefix, item, isDate, pad) {
    if (typeof item === "string") item = wellFormed(item);
    var block = typeof item === "string" && !isDate ? literal(item, pad) : null;
    if (!block) return [prefix + scalar(item, isDate)];
    return [prefix + block[0]].concat(block.slice(1));
  }

  function yamlLines(value, indent, lines, path, dates) {
    // Dates (the fields in ``dates``) are written plain, as people write them; other text is quoted.
    var pad = new Array(indent + 1).join(" ");
    if (Array.isArray(value)) {
      value.forEach(function (item, index) {
        var at = pointer(path, index);
        if (item && typeof item === "object" && !Array.isArray(item) && Object.keys(item).length) {
          var inner = [];
          yamlLines(item, indent + 2, inner, at, dates);
          inner[0] = pad + "- " + inner[0].slice(indent + 2);
          Array.prototype.push.apply(lines, inner);
        } else if (Array.isArray(item) && item.length) {
          lines.push(pad + "-");
          yamlLines(item, indent + 2, lines, at, dates);
        } else if (item && typeof item === "object") {
          lines.push(pad + "- " + (Array.isArray(item) ? "[]" : "{}"));
        } else {
          Array.prototype.push.apply(lines, textLines(pad + "- ", item, dates[at], pad));
        }
      });
      return;
    }
    Object.keys(value).forEach(function (key) {
      var item = value[key];
      var at = pointer(path, key);
      var name = /^[a-z_][a-z0-9_]*$/.test(key) ? key : quote(wellFormed(key));
      if (item && typeof item === "object" && (Array.isArray(item) ? item.length : Object.keys(item).length)) {
        lines.push(pad + name + ":");
        yamlLines(item, indent + 2, lines, at, dates);
      } else if (item && typeof item === "object") {
        lines.push(pad + name + ": " + (Array.isArray(item) ? "[]" : "{}"));
      } else {
        Array.prototype.push.apply(lines, textLines(pad + name + ": ", item, dates[at], pad));
      }
    });
  }

  function toYaml(data, fields) {
    var dates = {};
    Object.keys(fields || {}).forEach(function (path) {
      dates[path] = fields[path].dataset.kind === "date";
    });
    var lines = [];  // no comments: the file starts "schema_version: 1", as the issue form says
    yamlLines(data, 0, lines, "", dates);
    return lines.join("\n") + "\n";
  }

  // ------------------------------------------------------------------ output

  function fileName(data) {
    return (typeof data.id === "string" && SLUG.test(data.id) ? data.id : "case") + ".yaml";
  }

  function showOutput(data, fields) {
    var output = document.getElementById("copro-output");
    var name = fileName(data);
    var folder = form.dataset.casesFolder || "evaluations";
    document.getElementById("copro-output-text").value = toYaml(data, fields);
    output.querySelectorAll("[data-file-name]").forEach(function (node) { node.textContent = name; });
    output.querySelectorAll("[data-file-path]").forEach(function (node) { node.textContent = folder + "/" + name; });
    var repo = form.dataset.repoUrl;
    var newFile = document.getElementById("copro-new-file");
    if (repo) newFile.href = repo + "/new/" + encodeURIComponent(form.dataset.branch) + "/" + folder + "?filename=" + encodeURIComponent(name);
    output.hidden = false;
    var title = document.getElementById("copro-output-title");
    title.scrollIntoView({block: "start"});
    title.focus({preventScroll: true});
  }

  function download() {
    var text = document.getElementById("copro-output-text").value;
    var name = fileName(readForm().data);
    var link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([text], {type: "application/yaml"}));
    link.download = name;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(link.href); }, 1000);
  }

  function copy() {
    var area = document.getElementById("copro-output-text");
    var status = document.getElementById("copro-copy-status");
    function done() { status.textContent = "Copied. Paste it into the “Case study file” box of the submission form."; }
    function fallback() {
      area.select();
      try { document.execCommand("copy"); done(); } catch (failed) { status.textContent = "Select the text of the case file below and copy it."; }
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(area.value).then(done, fallback);
    } else {
      fallback();
    }
  }

  function check(event) {
    event.preventDefault();
    clearErrors();
    var read = readForm();
    var found = problems(read.data, read.fields);
    if (found.length) {
      document.getElementById("copro-output").hidden = true;
      showErrors(found);
      return;
    }
    showOutput(read.data, read.fields);
  }

  // ------------------------------------------------------------------ drafts (this browser only)

  function draftKey() { return DRAFT_PREFIX + (caseId || "new"); }

  function storage() {
    try { return window.localStorage; } catch (blocked) { return null; }
  }

  function scheduleSave() {
    clearTimeout(saveTimer);
    saveTimer = setTimeout(saveDraft, 400);
  }

  function saveDraft() {
    var store = storage();
    if (!store) return;
    try { store.setItem(draftKey(), JSON.stringify(readForm().data)); } catch (full) { /* the form still works */ }
  }

  function loadDraft() {
    var store = storage();
    var text = store && store.getItem(draftKey());
    if (!text) return null;
    try { return JSON.parse(text); } catch (broken) { return null; }
  }

  function say(text) { document.getElementById("copro-draft-status").textContent = text; }

  function today() {
    var now = new Date();
    return now.getFullYear() + "-" + ("0" + (now.getMonth() + 1)).slice(-2) + "-" + ("0" + now.getDate()).slice(-2);
  }

  function blank() {
    return {submitted: today()};
  }

  function startAgain() {
    var store = storage();
    if (store) store.removeItem(draftKey());
    clearErrors();
    document.getElementById("copro-output").hidden = true;
    if (caseId) {
      loadCase(caseId, "Started again from the published case.");
    } else {
      fillForm(blank());
      say("Started again: every answer and the saved draft are cleared.");
    }
  }

  // ------------------------------------------------------------------ loading a published case

  function loadCase(id, message) {
    say("Loading the case…");
    // The case as written travels inside its own page (no file per case beside it).
    fetch(form.dataset.casesUrl + id + "/", {credentials: "same-origin"})
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.text();
      })
      .then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        var record = page.getElementById("copro-case-record");
        if (!record) throw new Error("no case record");
        return JSON.parse(record.textContent);
      })
      .then(function (data) {
        fillForm(data);
        say(message || "Loaded the published case. Add a result under an outcome (and set Updated to today's date), or correct what needs it, then check your answers at the end.");
      })
      .catch(function () {
        caseId = "";
        fillForm(blank());
        say("The case " + id + " could not be loaded, so the form is empty.");
      });
  }

  // ------------------------------------------------------------------ start

  function start() {
    var wanted = new URLSearchParams(window.location.search).get("case") || "";
    caseId = SLUG.test(wanted) ? wanted : "";
    var draft = loadDraft();
    if (draft) {
      fillForm(draft);
      say("Your draft from this browser is restored. Select Start again to clear it.");
    } else if (caseId) {
      loadCase(caseId);
    } else {
      fillForm(blank());
    }
    form.addEventListener("click", function (event) {
      var button = event.target.closest("button");
      if (!button) return;
      if (button.hasAttribute("data-add")) onAdd(button);
      else if (button.hasAttribute("data-remove")) onRemove(button);
      else if (button.id === "copro-start-again") startAgain();
      else if (button.id === "copro-download") download();
      else if (button.id === "copro-copy") copy();
    });
    form.addEventListener("change", function () { updateConditions(); scheduleSave(); });
    form.addEventListener("input", function (event) {
      if (event.target.closest("[data-key]")) suggest(event.target);
      updateConditions();
      scheduleSave();
    });
    form.addEventListener("submit", check);
    document.querySelectorAll("[data-builder-fallback]").forEach(function (node) { node.hidden = true; });
    form.hidden = false;
  }

  // The YAML writer is a pure function: tests feed it hostile text and read the result back.
  // So are the personal-data checks: tests compare them with Python's on the same texts.
  window.coproBuilder = {toYaml: toYaml, findPersonalData: findPersonalData};
  start();
})();
