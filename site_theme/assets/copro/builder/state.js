/* What the builder keeps beside the form: the id of a published case being updated, the keys of a
   loaded case the form does not ask about, fresh ids for added items, and drafts in this browser. */

const DRAFT_PREFIX = "copro-builder-draft:";
const SAVE_DELAY = 400;  // milliseconds after the last change
export const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;

let caseId = "";
let extras = {};  // keys of a loaded case that the form does not ask about (kept as they were)
let nextId = 1;
let saveTimer = null;

// ------------------------------------------------------------------ the case being updated

export function currentCaseId() {
  return caseId;
}

export function setCaseId(id) {
  caseId = SLUG.test(id) ? id : "";
  return caseId;
}

export function keptExtras() {
  return extras;
}

export function keepExtras(values) {
  extras = values;
}

export function nextToken() {
  return "b" + nextId++;
}

function today() {
  const now = new Date();
  return now.getFullYear() + "-" + ("0" + (now.getMonth() + 1)).slice(-2) + "-" + ("0" + now.getDate()).slice(-2);
}

export function blankCase() {
  return {submitted: today()};
}

// ------------------------------------------------------------------ drafts (this browser only)

function draftKey() {
  return DRAFT_PREFIX + (caseId || "new");
}

function storage() {
  try { return window.localStorage; } catch (blocked) { return null; }
}

function saveDraft(read) {
  const store = storage();
  if (!store) return;
  try { store.setItem(draftKey(), JSON.stringify(read())); } catch (full) { /* the form still works */ }
}

export function saveDraftSoon(read) {
  // ``read`` gives the case as it is when the draft is written, after the typing has paused.
  clearTimeout(saveTimer);
  saveTimer = setTimeout(() => saveDraft(read), SAVE_DELAY);
}

export function loadDraft() {
  const store = storage();
  const text = store && store.getItem(draftKey());
  if (!text) return null;
  try { return JSON.parse(text); } catch (broken) { return null; }
}

export function clearDraft() {
  const store = storage();
  if (store) store.removeItem(draftKey());
}
