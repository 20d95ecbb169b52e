/* The builder's wiring, the page's only module script: starts from a draft, a published case or a
   blank case, answers buttons and typing, checks the answers and offers the file to download or copy. */
import { clearErrors, liveCheck, problems, showErrors } from "./checks.js";
import { addItemFrom, fillForm, form, readForm, removeItemOf, suggest, updateConditions } from "./form.js";
import { findPersonalData } from "./rules.js";
import { SLUG, blankCase, clearDraft, currentCaseId, loadDraft, saveDraftSoon, setCaseId } from "./state.js";
import { toYaml } from "./yaml.js";

const LIVE_DELAY = 300;  // milliseconds after the last keystroke before the id is checked
const LOADED = "Loaded the published case. Add a result under an outcome (and set Updated to today's date), or correct what needs it, then check your answers at the end.";

function say(text) {
  document.getElementById("copro-draft-status").textContent = text;
}

function saveSoon() {
  saveDraftSoon(() => readForm().data);
}

// ------------------------------------------------------------------ the id, checked as it is typed

let liveTimer = null;

function showLiveCheck(field, announce) {
  const said = liveCheck(field);
  const status = field.querySelector("[data-live-status]");
  status.textContent = said.text;
  status.classList.toggle("copro-live-check--problem", said.problem);
  // Announced only to whoever is typing in that box, not at every letter of the title.
  if (announce) field.querySelector("[data-live-announce]").textContent = said.text;
}

function checkLiveSoon(changed) {
  clearTimeout(liveTimer);
  liveTimer = setTimeout(() => {
    form.querySelectorAll("[data-checked-live]").forEach((field) => {
      showLiveCheck(field, !!changed && field.contains(changed));
    });
  }, LIVE_DELAY);
}

function filled(data) {
  fillForm(data);
  checkLiveSoon(null);
}

// ------------------------------------------------------------------ the case file

function fileName(data) {
  return (typeof data.id === "string" && SLUG.test(data.id) ? data.id : "case") + ".yaml";
}

function showOutput(data, fields) {
  const output = document.getElementById("copro-output");
  const name = fileName(data);
  const folder = form.dataset.casesFolder || "evaluations";
  document.getElementById("copro-output-text").value = toYaml(data, fields);
  output.querySelectorAll("[data-file-name]").forEach((node) => { node.textContent = name; });
  output.querySelectorAll("[data-file-path]").forEach((node) => { node.textContent = folder + "/" + name; });
  const repo = form.dataset.repoUrl;
  const newFile = document.getElementById("copro-new-file");
  if (repo) newFile.href = repo + "/new/" + encodeURIComponent(form.dataset.branch) + "/" + folder + "?filename=" + encodeURIComponent(name);
  output.hidden = false;
  const title = document.getElementById("copro-output-title");
  title.scrollIntoView({block: "start"});
  title.focus({preventScroll: true});
}

function check(event) {
  event.preventDefault();
  clearErrors();
  const read = readForm();
  const found = problems(read.data, read.fields);
  if (found.length) {
    document.getElementById("copro-output").hidden = true;
    showErrors(found);
    return;
  }
  showOutput(read.data, read.fields);
}

function download() {
  const text = document.getElementById("copro-output-text").value;
  const link = document.createElement("a");
  link.href = URL.createObjectURL(new Blob([text], {type: "application/yaml"}));
  link.download = fileName(readForm().data);
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
}

function copy() {
  const area = document.getElementById("copro-output-text");
  const status = document.getElementById("copro-copy-status");
  const done = () => { status.textContent = "Copied. Paste it into the “Case study file” box of the submission form."; };
  const fallback = () => {
    area.select();
    try { document.execCommand("copy"); done(); } catch (failed) { status.textContent = "Select the text of the case file below and copy it."; }
  };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(area.value).then(done, fallback);
  } else {
    fallback();
  }
}

// ------------------------------------------------------------------ loading a published case

function fetchCase(id) {
  // The case as written travels inside its own page (no file per case beside it).
  return fetch(form.dataset.casesUrl + id + "/", {credentials: "same-origin"})
    .then((response) => {
      if (!response.ok) throw new Error(String(response.status));
      return response.text();
    })
    .then((html) => {
      const page = new DOMParser().parseFromString(html, "text/html");
      const record = page.getElementById("copro-case-record");
      if (!record) throw new Error("no case record");
      // JSON, as base64 of its UTF-8 (generator/site/templating.py).
      const bytes = Uint8Array.from(atob(record.textContent.trim()), (c) => c.charCodeAt(0));
      return JSON.parse(new TextDecoder().decode(bytes));
    });
}

function loadCase(id, message) {
  say("Loading the case…");
  fetchCase(id)
    .then((data) => {
      filled(data);
      say(message || LOADED);
    })
    .catch(() => {
      setCaseId("");
      filled(blankCase());
      say("The case " + id + " could not be loaded, so the form is empty.");
    });
}

function startAgain() {
  clearDraft();
  clearErrors();
  document.getElementById("copro-output").hidden = true;
  if (currentCaseId()) {
    loadCase(currentCaseId(), "Started again from the published case.");
  } else {
    filled(blankCase());
    say("Started again: every answer and the saved draft are cleared.");
  }
}

// ------------------------------------------------------------------ events

function onClick(event) {
  const button = event.target.closest("button");
  if (!button) return;
  if (button.hasAttribute("data-add")) { addItemFrom(button); saveSoon(); }
  else if (button.hasAttribute("data-remove")) { removeItemOf(button); saveSoon(); }
  else if (button.id === "copro-start-again") startAgain();
  else if (button.id === "copro-download") download();
  else if (button.id === "copro-copy") copy();
}

function onChange() {
  updateConditions();
  saveSoon();
}

function onInput(event) {
  if (event.target.closest("[data-key]")) suggest(event.target);
  updateConditions();
  checkLiveSoon(event.target);
  saveSoon();
}

// ------------------------------------------------------------------ start

function restore() {
  // This browser's draft first, else the published case asked for (?case=), else a blank case.
  setCaseId(new URLSearchParams(window.location.search).get("case") || "");
  const draft = loadDraft();
  if (draft) {
    filled(draft);
    say("Your draft from this browser is restored. Select Start again to clear it.");
  } else if (currentCaseId()) {
    loadCase(currentCaseId());
  } else {
    filled(blankCase());
  }
}

function start() {
  restore();
  form.addEventListener("click", onClick);
  form.addEventListener("change", onChange);
  form.addEventListener("input", onInput);
  form.addEventListener("submit", check);
  // Shown only now: without this script the page offers the other ways to write a case.
  document.querySelectorAll("[data-builder-fallback]").forEach((node) => { node.hidden = true; });
  form.hidden = false;
}

if (form) {
  // The YAML writer is a pure function: tests feed it hostile text and read the result back.
  // So are the personal-data checks: tests compare them with Python's on the same texts.
  window.coproBuilder = {toYaml: toYaml, findPersonalData: findPersonalData};
  start();
}
