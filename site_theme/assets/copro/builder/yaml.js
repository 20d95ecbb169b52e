/* The YAML writer: the case as the file a person would write (dates plain, other text quoted or
   as a literal block), with nothing a reader or parser could misread. A pure function of its input. */
import { pointer } from "./paths.js";

const PLAIN_DATE = /^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$/;
const PLAIN_KEY = /^[a-z_][a-z0-9_]*$/;
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff0-\uffff]/g;
// A high surrogate with no low one after it, or a low one with no high one before it. Each is
// looked at on its own (a lookbehind, not a consumed character), so two lone halves in a row
// are both found: a consumed "character before" once hid the second (#22).
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function wellFormed(text) {
  // Half a character cannot be saved as UTF-8: write the replacement character, as a file would.
  return text.replace(LONE_SURROGATE, "\ufffd");
}

function escapeUnits(character) {
  return character.split("").map((unit) => "\\u" + ("0000" + unit.charCodeAt(0).toString(16)).slice(-4)).join("");
}

function quote(text) {
  // JSON's double-quoted strings are YAML's too; escape what a reader or parser could misread.
  return JSON.stringify(text).replace(UNSAFE, escapeUnits);
}

function scalar(value, isDate) {
  if (typeof value === "number") return String(value);
  if (typeof value === "boolean" || value === null) return JSON.stringify(value);
  const text = String(value);
  // A plain 2023 reads back as a number, which the checks turn back into the date "2023".
  return isDate && PLAIN_DATE.test(text) ? text : quote(text);
}

function literal(text, pad) {
  // Text of several lines as a YAML literal block, as a person would write it, where that is
  // exact: no character that must be escaped, no tab or carriage return, no leading space.
  const escaped = new RegExp(UNSAFE.source);  // line breaks aside, nothing that quote() escapes
  if (text.indexOf("\n") < 0 || /[\t\r]/.test(text) || /^[ \n]/.test(text) || escaped.test(text.replace(/\n/g, " "))) return null;
  const body = text.replace(/\n+$/, "");
  const ending = text.length - body.length;
  const indicator = ending === 0 ? "|-" : ending === 1 ? "|" : "|+";
  const out = [indicator];
  (body + new Array(ending > 1 ? ending : 1).join("\n")).split("\n").forEach((line) => {
    out.push(line ? pad + "  " + line : "");
  });
  return out;
}

function textLines(prefix, item, isDate, pad) {
  if (typeof item === "string") item = wellFormed(item);
  const block = typeof item === "string" && !isDate ? literal(item, pad) : null;
  if (!block) return [prefix + scalar(item, isDate)];
  return [prefix + block[0]].concat(block.slice(1));
}

function isFilledObject(item) {
  return item && typeof item === "object" && !Array.isArray(item) && Object.keys(item).length;
}

function isFilled(item) {
  return item && typeof item === "object" && (Array.isArray(item) ? item.length : Object.keys(item).length);
}

function emptyOf(item) {
  return Array.isArray(item) ? "[]" : "{}";
}

function listLines(value, indent, lines, path, dates) {
  const pad = " ".repeat(indent);
  value.forEach((item, index) => {
    const at = pointer(path, index);
    if (isFilledObject(item)) {
      const inner = [];
      yamlLines(item, indent + 2, inner, at, dates);
      inner[0] = pad + "- " + inner[0].slice(indent + 2);
      lines.push(...inner);
    } else if (Array.isArray(item) && item.length) {
      lines.push(pad + "-");
      yamlLines(item, indent + 2, lines, at, dates);
    } else if (item && typeof item === "object") {
      lines.push(pad + "- " + emptyOf(item));
    } else {
      lines.push(...textLines(pad + "- ", item, dates[at], pad));
    }
  });
}

function mapLines(value, indent, lines, path, dates) {
  const pad = " ".repeat(indent);
  Object.keys(value).forEach((key) => {
    const item = value[key];
    const at = pointer(path, key);
    const name = PLAIN_KEY.test(key) ? key : quote(wellFormed(key));
    if (isFilled(item)) {
      lines.push(pad + name + ":");
      yamlLines(item, indent + 2, lines, at, dates);
    } else if (item && typeof item === "object") {
      lines.push(pad + name + ": " + emptyOf(item));
    } else {
      lines.push(...textLines(pad + name + ": ", item, dates[at], pad));
    }
  });
}

function yamlLines(value, indent, lines, path, dates) {
  // Dates (the fields in ``dates``) are written plain, as people write them; other text is quoted.
  if (Array.isArray(value)) listLines(value, indent, lines, path, dates);
  else mapLines(value, indent, lines, path, dates);
}

export function toYaml(data, fields) {
  // ``fields``: the form's element for each path (readForm()), which says which answers are dates.
  const dates = {};
  Object.keys(fields || {}).forEach((path) => {
    dates[path] = fields[path].dataset.kind === "date";
  });
  const lines = [];  // no comments: the file starts "schema_version: 1", as the issue form says
  yamlLines(data, 0, lines, "", dates);
  return lines.join("\n") + "\n";
}
