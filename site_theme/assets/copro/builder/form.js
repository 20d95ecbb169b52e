/* The form's structure: the case read from its fields and written into them, repeating groups,
   fields shown only for some answers, and the id suggested from the title. */
import { pointer } from "./paths.js";
import { keepExtras, keptExtras, nextToken } from "./state.js";

export const form = document.getElementById("copro-builder");

const CONTAINERS = "[data-kind]";
const CONTROLS = "input, select, textarea";
const FIRST_CONTROL = "input:not([type=hidden]), select, textarea";
const TEMPLATE_TOKEN = "f__N__";  // the ids of a repeated item's template, made unique per item
const LINKING_ATTRIBUTES = ["id", "for", "name", "aria-describedby"];
const PLAIN_NUMBER = /^[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$/;
const DEFAULT_ID_LENGTH = 80;

// ------------------------------------------------------------------ structure

export function owner(element) {
  return element.parentElement ? element.parentElement.closest(CONTAINERS) : null;
}

function fieldsOf(container) {
  return Array.from(container.querySelectorAll("[data-key]")).filter((child) => {
    return owner(child) === container && !child.hasAttribute("data-item");
  });
}

function fieldNamed(container, key) {
  return fieldsOf(container).filter((child) => child.dataset.key === key)[0];
}

function itemsOf(list) {
  const holder = list.querySelector(":scope > [data-items]");
  return Array.from(holder.children).filter((child) => child.hasAttribute("data-item"));
}

function controlOf(field) {
  return field.querySelector(CONTROLS);
}

export function isHidden(field) {
  return !!field.closest("[hidden]") && field.closest("[hidden]") !== form;
}

// ------------------------------------------------------------------ reading the form

function readChoices(field) {
  const checked = Array.from(field.querySelectorAll("input")).filter((box) => box.checked).map((box) => box.value);
  // Codes a loaded case listed keep its order; newly ticked ones follow in the page's order.
  const kept = JSON.parse(field.dataset.order || "[]").filter((code) => checked.indexOf(code) >= 0);
  const codes = kept.concat(checked.filter((code) => kept.indexOf(code) < 0));
  return codes.length ? codes : undefined;
}

function readChoice(field) {
  const select = field.querySelector("select");
  const radio = field.querySelector("input:checked");
  const value = select ? select.value || undefined : (radio ? radio.value : undefined);
  return value === undefined ? undefined : typedChoice(field, value);
}

function typedChoice(field, value) {
  // A yes-or-no field is written true or false; codes that are numbers (90, 95) as numbers.
  if (field.dataset.valueType === "boolean") return value === "true";
  if (field.dataset.valueType === "number") return Number(value);
  return value;
}

function readText(field) {
  const value = controlOf(field).value;
  if (!value.trim()) return undefined;
  if (field.dataset.kind === "number" || field.dataset.kind === "integer") {
    const trimmed = value.trim();
    return PLAIN_NUMBER.test(trimmed) ? Number(trimmed) : value;  // text goes on to fail the check
  }
  return value;
}

export function readLeaf(field) {
  const kind = field.dataset.kind;
  if (kind === "const") return JSON.parse(field.dataset.const);
  if (kind === "choices") return readChoices(field);
  if (kind === "choice") return readChoice(field);
  return readText(field);
}

function readList(list, path, reading) {
  const values = [];
  itemsOf(list).forEach((item) => {
    const value = readNode(item, pointer(path, values.length), reading);
    if (value !== undefined) values.push(value);
  });
  const items = itemsOf(list);
  if (!values.length && items.length && list.hasAttribute("data-required")) {
    // Every item is empty: check the first, so the message names what to write in it.
    const first = items[0];
    reading.fields[pointer(path, 0)] = first;
    values.push(first.dataset.kind === "group" ? {} : "");
    reading.placeholders.push(values);
  }
  return values.length ? values : undefined;
}

function readGroup(group, path, reading) {
  const object = {};
  fieldsOf(group).forEach((child) => {
    const value = readNode(child, pointer(path, child.dataset.key), reading);
    if (value !== undefined) object[child.dataset.key] = value;
  });
  // A part the case must have is kept even when empty, so the check names each missing answer.
  const kept = group.hasAttribute("data-required") && !group.hasAttribute("data-item");
  const answered = Object.keys(object).some((key) => reading.placeholders.indexOf(object[key]) < 0);
  return answered || kept ? object : undefined;
}

function readNode(node, path, reading) {
  reading.fields[path] = node;
  if (isHidden(node)) return undefined;
  if (node.dataset.kind === "list") return readList(node, path, reading);
  if (node.dataset.kind === "group") return readGroup(node, path, reading);
  return readLeaf(node);
}

function inFileOrder(data) {
  // The file keeps the schema's order (the id near the top) whatever order the page asks in.
  const ordered = {};
  (form.dataset.fileOrder || "").split(" ").forEach((key) => { if (key in data) ordered[key] = data[key]; });
  Object.keys(data).forEach((key) => { if (!(key in ordered)) ordered[key] = data[key]; });
  return ordered;
}

export function readForm() {
  // ``fields``: the element of each path read, for the checks' messages and the YAML's dates;
  // ``placeholders``: lists given an empty first item only so that the check names it.
  const reading = {fields: {}, placeholders: []};
  const data = readNode(form, "", reading) || {};
  const extras = keptExtras();
  Object.keys(extras).forEach((key) => { if (!(key in data)) data[key] = extras[key]; });
  return {data: inFileOrder(data), fields: reading.fields};
}

// ------------------------------------------------------------------ filling the form

function toTextarea(input) {
  // A one-line box would drop the line breaks of a loaded case's text.
  const area = document.createElement("textarea");
  Array.from(input.attributes).forEach((attribute) => {
    if (["type", "inputmode", "autocomplete"].indexOf(attribute.name) < 0) area.setAttribute(attribute.name, attribute.value);
  });
  area.className = "copro-textarea";
  area.rows = 3;
  input.replaceWith(area);
  return area;
}

function fillChoices(field, value) {
  const wanted = Array.isArray(value) ? value.map(String) : [];
  field.querySelectorAll("input").forEach((box) => { box.checked = wanted.indexOf(box.value) >= 0; });
  field.dataset.order = JSON.stringify(wanted);
}

function fillChoice(field, value) {
  const select = field.querySelector("select");
  if (select) { select.value = value === undefined ? "" : String(value); return; }
  field.querySelectorAll("input").forEach((radio) => { radio.checked = radio.value === String(value); });
}

function fillText(field, value) {
  const text = value === undefined || value === null ? "" : String(value);
  let control = controlOf(field);
  if (text.indexOf("\n") >= 0 && control.tagName === "INPUT") control = toTextarea(control);
  control.value = text;
}

function fillLeaf(field, value) {
  const kind = field.dataset.kind;
  if (kind === "const") return;
  if (kind === "choices") fillChoices(field, value);
  else if (kind === "choice") fillChoice(field, value);
  else fillText(field, value);
}

function fillNode(node, value) {
  const kind = node.dataset.kind;
  if (kind === "list") {
    itemsOf(node).forEach((item) => item.remove());
    (Array.isArray(value) ? value : []).forEach((itemValue) => fillNode(addItem(node), itemValue));
    renumber(node);
  } else if (kind === "group") {
    const object = value && typeof value === "object" ? value : {};
    fieldsOf(node).forEach((child) => fillNode(child, object[child.dataset.key]));
  } else {
    fillLeaf(node, value);
  }
}

function extrasOf(data) {
  const known = fieldsOf(form).map((field) => field.dataset.key);
  const extras = {};
  Object.keys(data).forEach((key) => { if (known.indexOf(key) < 0) extras[key] = data[key]; });
  return extras;
}

function markTypedSuggestions() {
  // A suggested field that a loaded case filled in counts as typed: it is not overwritten.
  form.querySelectorAll("[data-suggested-from]").forEach((field) => {
    field.dataset.typed = controlOf(field).value ? "yes" : "";
  });
}

export function fillForm(data) {
  keepExtras(extrasOf(data));
  fillNode(form, data);
  markTypedSuggestions();
  startRequiredLists(form);
  updateConditions();
}

// ------------------------------------------------------------------ repeating groups

function addItem(list) {
  const template = list.querySelector(":scope > template[data-item-template]");
  const fragment = template.content.cloneNode(true);
  const token = nextToken();
  fragment.querySelectorAll("[id], [for], [name], [aria-describedby]").forEach((element) => {
    LINKING_ATTRIBUTES.forEach((name) => {
      const value = element.getAttribute(name);
      if (value && value.indexOf(TEMPLATE_TOKEN) >= 0) element.setAttribute(name, value.split(TEMPLATE_TOKEN).join(token));
    });
  });
  const item = fragment.firstElementChild;
  list.querySelector(":scope > [data-items]").appendChild(fragment);
  startRequiredLists(item);
  return item;
}

function startRequiredLists(root) {
  // A list the case must have starts with one item to fill in.
  root.querySelectorAll("[data-kind=list][data-required]").forEach((list) => {
    if (!itemsOf(list).length && Number(list.dataset.min) > 0) addItem(list);
    renumber(list);
  });
}

function renumber(list) {
  const items = itemsOf(list);
  items.forEach((item, index) => {
    item.querySelectorAll("[data-number]").forEach((number) => {
      if (number.closest("[data-item]") === item) number.textContent = String(index + 1);
    });
  });
  const count = list.querySelector(":scope > p > [data-count]");
  count.textContent = items.length ? items.length + " added" : "none added yet";
}

export function addItemFrom(button) {
  // The list's Add button: a new item, numbered, its first box focused.
  const list = button.closest("[data-kind=list]");
  const item = addItem(list);
  renumber(list);
  updateConditions();
  const first = item.querySelector(FIRST_CONTROL);
  if (first) first.focus();
}

export function removeItemOf(button) {
  // An item's Remove button: focus moves to the item now in its place, or else to Add.
  const item = button.closest("[data-item]");
  const list = owner(item);
  const index = itemsOf(list).indexOf(item);
  item.remove();
  renumber(list);
  const rest = itemsOf(list);
  const add = list.querySelector(":scope > p > [data-add]");
  const target = rest.length ? rest[Math.min(index, rest.length - 1)].querySelector(CONTROLS) : add;
  (target || add).focus();
}

// ------------------------------------------------------------------ conditional fields

function caseField(name) {
  // "/a/b": a field of the case, from the top of the form.
  let node = form;
  name.slice(1).split("/").forEach((key) => { node = node && fieldNamed(node, key); });
  return node;
}

function nearestField(field, name) {
  // A bare name: the nearest field of that name around this one.
  for (let scope = owner(field); scope; scope = owner(scope)) {
    const sibling = fieldNamed(scope, name);
    if (sibling) return sibling;
  }
  return undefined;
}

function valueNear(field, name) {
  const found = name.charAt(0) === "/" ? caseField(name) : nearestField(field, name);
  return found ? readLeaf(found) : undefined;
}

function showConditionalFields() {
  const caseWide = {};  // a field of the whole case ("/evaluation/design") is read once, not per outcome
  form.querySelectorAll("[data-when-field]").forEach((field) => {
    const name = field.dataset.whenField;
    if (name.charAt(0) === "/" && !(name in caseWide)) caseWide[name] = valueNear(field, name);
    const value = name.charAt(0) === "/" ? caseWide[name] : valueNear(field, name);
    field.hidden = field.dataset.whenValues.split(" ").indexOf(String(value)) < 0;
  });
}

function offerFittingCodes() {
  // Offer only the codes that fit another answer (outcome domains that fit whose outcome it is).
  form.querySelectorAll("select[data-fits-field]").forEach((select) => {
    const chosen = valueNear(select.closest("[data-key]"), select.dataset.fitsField);
    select.querySelectorAll("optgroup[data-fits]").forEach((group) => {
      group.disabled = !!chosen && !!group.dataset.fits && group.dataset.fits !== chosen;
    });
    const option = select.options[select.selectedIndex];
    if (option && option.parentElement.disabled) select.value = "";
  });
}

export function updateConditions() {
  showConditionalFields();
  offerFittingCodes();
}

// ------------------------------------------------------------------ the id suggested from the title

function slugOf(text, limit) {
  const slug = text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
    .replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
  return slug.slice(0, limit).replace(/-+$/, "");
}

export function suggest(changed) {
  // Fill a field from another (the id from the title) until the person types in it.
  form.querySelectorAll("[data-suggested-from]").forEach((field) => {
    const control = controlOf(field);
    if (changed === control) { field.dataset.typed = control.value ? "yes" : ""; return; }
    const source = changed.closest("[data-key]");
    if (field.dataset.typed || source.dataset.key !== field.dataset.suggestedFrom) return;
    if (owner(source) !== owner(field)) return;
    control.value = slugOf(changed.value, Number(control.getAttribute("data-max-length")) || DEFAULT_ID_LENGTH);
  });
}
