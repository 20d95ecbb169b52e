/* Checking the answers: the schema (Ajv) and the rules beyond it, each problem as a message that
   names its field; the error summary at the top, the message at each field, and where focus goes. */
import { form, isHidden, owner, readLeaf } from "./form.js";
import { pointer } from "./paths.js";
import { plainWording, ruleFindings } from "./rules.js";
import { currentCaseId } from "./state.js";

const NOT_LOADED = "The checks could not load. Reload the page and try again.";
const FOCUSABLE = "input:not([type=hidden]), select, textarea, button[data-add]";

let validator = null;

// ------------------------------------------------------------------ the schema (Ajv)

function schemaValidator() {
  // Ajv is the vendored classic script loaded before this module (window.ajv2020).
  if (validator || !window.ajv2020) return validator;
  const schema = JSON.parse(document.getElementById("copro-schema").textContent);
  const Ajv = window.ajv2020.default || window.ajv2020;
  validator = new Ajv({allErrors: true, strict: false}).compile(schema);
  return validator;
}

function fieldAt(fields, path) {
  // The field of a path, or of the nearest part around it that the page shows.
  let field = fields[path];
  for (let trimmed = path; !field && trimmed; trimmed = trimmed.slice(0, trimmed.lastIndexOf("/"))) field = fields[trimmed];
  return !field || field === form ? null : field;
}

function schemaProblem(error, fields) {
  let path = error.instancePath;
  if (error.keyword === "required") path = pointer(path, error.params.missingProperty);
  const field = fieldAt(fields, path);
  const text = field ? messageFor(error, field)
    : "A part of the case that this page does not show has a problem (" + path + "): ask a maintainer for help";
  return {field: field, path: path, text: text};
}

function ruleProblem(finding, fields) {
  // Then what `copro validate` checks beyond the schema; a field this page does not ask about is
  // kept as it was, so its problem is not shown.
  const field = fields[finding.path];
  if (!field || field === form || isHidden(field)) return null;
  return {field: field, path: finding.path, text: [contextOf(field), titleOf(field)].filter(Boolean).join(", ") + ": " + finding.text};
}

function inPageOrder(found) {
  // The page's order, not the checker's.
  const all = Array.from(form.querySelectorAll("[data-key]"));
  return found.sort((a, b) => all.indexOf(a.field) - all.indexOf(b.field));
}

export function problems(data, fields) {
  const validate = schemaValidator();
  if (!validate) return [{field: null, text: NOT_LOADED}];
  const found = [];
  const done = {};
  const add = (problem) => {
    if (!problem || done[problem.path]) return;  // one message a field, not one per code it could have been
    done[problem.path] = true;
    found.push(problem);
  };
  (validate(data) ? [] : validate.errors).forEach((error) => add(schemaProblem(error, fields)));
  ruleFindings(data, currentCaseId()).forEach((finding) => add(ruleProblem(finding, fields)));
  return inPageOrder(found);
}

// ------------------------------------------------------------------ messages

function titleOf(field) {
  let title = field.dataset.title || "";
  if (field.hasAttribute("data-item")) {
    const number = field.querySelector("[data-number]");
    title = title + " " + (number ? number.textContent : "");
  }
  return title.trim();
}

function contextOf(field) {
  const parts = [];
  let child = field;
  for (let node = owner(field); node && node !== form; child = node, node = owner(node)) {
    // A list names a one-box item ("What worked well, point 1"); an item with fields names itself.
    if (node.dataset.kind === "list" && child.dataset.kind === "group") continue;
    parts.unshift(titleOf(node));
  }
  return parts.filter(Boolean).join(", ");
}

function lower(text) {
  // Keep acronyms and names (GitHub, NHS) as they are; lower an ordinary first word.
  return /^[A-Z][a-z]/.test(text) && !/^GitHub/.test(text) ? text.charAt(0).toLowerCase() + text.slice(1) : text;
}

function capital(text) {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function schemaPathOf(field) {
  // The field's place in the case, "*" for a list's items ("outcomes/*/about"): the key of the
  // plain wording that Python passes for fields whose titles do not make English on their own.
  const parts = [];
  for (let node = field; node && node !== form; node = owner(node)) {
    parts.unshift(node.hasAttribute("data-item") ? "*" : node.dataset.key);
  }
  return parts.join("/");
}

function nameOf(field) {
  const path = schemaPathOf(field);
  const title = lower(titleOf(field));
  // "the value", but "who the comparison group is" and "GitHub user name" without an article.
  const bare = field.hasAttribute("data-item") || /^(who|what|how|when|where|which|why)\b/.test(title);
  return plainWording("names", path) || ((bare ? "" : "the ") + title).replace(/the the /g, "the ");
}

function isMissing(error, field) {
  return error.keyword === "required" || (error.keyword === "minLength" && !String(readLeaf(field) || "").length);
}

function messageFor(error, field) {
  const context = contextOf(field);
  const missing = isMissing(error, field) ? plainWording("missing", schemaPathOf(field)) : "";
  const text = missing || phrase(error, field, nameOf(field));
  return context ? context + ": " + text : capital(text);
}

function missingPhrase(field, name) {
  const kind = field.dataset.kind;
  if (kind === "choice") return "choose " + name;
  if (kind === "choices") return "choose at least one of " + name;
  if (kind === "list") return "add at least one " + lower(field.dataset.itemTitle) + " to " + name;
  if (kind === "group") return "fill in " + name;
  return "enter " + name;
}

function phrase(error, field, name) {
  const params = error.params || {};
  const length = String(readLeaf(field) || "").length;
  switch (error.keyword) {
    case "required": return missingPhrase(field, name);
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

// ------------------------------------------------------------------ showing them

function forgetMessage(message) {
  form.querySelectorAll("[aria-describedby~='" + message.id + "']").forEach((control) => {
    const ids = control.getAttribute("aria-describedby").split(" ").filter((id) => id && id !== message.id);
    if (ids.length) control.setAttribute("aria-describedby", ids.join(" ")); else control.removeAttribute("aria-describedby");
  });
  message.remove();
}

export function clearErrors() {
  form.querySelectorAll(".copro-error-message").forEach(forgetMessage);
  form.querySelectorAll(".copro-field--error").forEach((field) => field.classList.remove("copro-field--error"));
  document.getElementById("copro-error-summary").hidden = true;
  document.title = document.title.replace(/^Error: /, "");
}

function focusTarget(field) {
  return field.querySelector(FOCUSABLE);
}

function summaryLink(problem, target) {
  // Goes to the field: its question scrolled into view, its box focused.
  const link = document.createElement("a");
  link.href = "#" + target.id;
  link.textContent = problem.text;
  link.addEventListener("click", (event) => {
    event.preventDefault();
    const legend = problem.field.querySelector("legend, label");
    (legend || problem.field).scrollIntoView();
    target.focus({preventScroll: true});
  });
  return link;
}

function fieldMessage(problem) {
  const message = document.createElement("p");
  message.className = "copro-error-message";
  message.id = problem.field.id + "-error";
  const hidden = document.createElement("span");
  hidden.className = "copro-visually-hidden";
  hidden.textContent = "Error: ";
  message.appendChild(hidden);
  message.appendChild(document.createTextNode(problem.text));
  return message;
}

function placeMessage(field, message) {
  // Above the boxes, below the question and its hint.
  const before = field.dataset.kind === "list" ? field.querySelector(":scope > [data-items]")
    : field.querySelector(".copro-radios, .copro-checkboxes, input, select, textarea");
  if (before && before.parentElement) before.parentElement.insertBefore(message, before); else field.appendChild(message);
  field.classList.add("copro-field--error");
}

function describeBy(target, message) {
  const described = (target.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
  described.push(message.id);
  target.setAttribute("aria-describedby", described.join(" "));
}

function summaryEntry(problem, index) {
  const entry = document.createElement("li");
  const target = problem.field ? focusTarget(problem.field) : null;
  if (!target) {
    entry.textContent = problem.text;
    return entry;
  }
  if (!target.id) target.id = "copro-error-target-" + index;
  entry.appendChild(summaryLink(problem, target));
  const message = fieldMessage(problem);
  placeMessage(problem.field, message);
  describeBy(target, message);
  return entry;
}

export function showErrors(found) {
  const summary = document.getElementById("copro-error-summary");
  const list = document.getElementById("copro-error-list");
  list.textContent = "";
  found.forEach((problem, index) => list.appendChild(summaryEntry(problem, index)));
  summary.hidden = false;
  if (!/^Error: /.test(document.title)) document.title = "Error: " + document.title;
  // Its top below the theme's sticky header (the CSS gives it the margin), then focus it
  // where it is: focus alone would scroll only until some of it showed.
  summary.scrollIntoView({block: "start"});
  summary.focus({preventScroll: true});
}

// ------------------------------------------------------------------ checked as the person types

const liveValidators = {};

function propertyValidator(key) {
  // The schema's own rule for one top-level field (the id: its pattern and length).
  if (!window.ajv2020) return null;
  if (!(key in liveValidators)) {
    const schema = JSON.parse(document.getElementById("copro-schema").textContent);
    const Ajv = window.ajv2020.default || window.ajv2020;
    const rule = schema.properties && schema.properties[key];
    liveValidators[key] = rule ? new Ajv({allErrors: false, strict: false}).compile(rule) : null;
  }
  return liveValidators[key];
}

export function liveCheck(field) {
  // What the id box says as it is typed or suggested: its problem, or what it will be used for.
  const value = readLeaf(field);
  const key = field.dataset.key;
  if (typeof value !== "string") return {text: "", problem: false};
  const validate = propertyValidator(key);
  if (validate && !validate(value)) return {text: messageFor(validate.errors[0], field), problem: true};
  const found = ruleFindings({[key]: value}, currentCaseId()).filter((finding) => finding.path === "/" + key);
  if (found.length) return {text: capital(found[0].text), problem: true};
  const kept = value === currentCaseId() ? "the published case's id, kept so that your update replaces it. " : "free to use. ";
  return {text: "“" + value + "” is " + kept + "The case file will be called " + value + ".yaml.", problem: false};
}
