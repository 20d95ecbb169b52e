/* A search worker for mkdocs-material's search box, backed by Pagefind's chunked index.
   It speaks the theme's worker protocol (SETUP -> READY, QUERY -> RESULT), so the header search
   keeps its look, keyboard use and accessibility, while a reader downloads only the index chunks a
   query needs instead of the whole site's index. Case text is escaped here: the theme inserts
   titles and teasers as HTML, and only Pagefind's <mark> highlights are kept as markup. */
"use strict";

var SETUP = 0, READY = 1, QUERY = 2, RESULT = 3;
var MAX_PAGES = 20, MAX_SECTIONS = 3;
/* The theme sends a query at every keystroke. Only the newest one, once typing pauses, fetches
   the index chunks and the result pages' data: a reader downloads what the final query needs,
   not one set of results for every prefix typed on the way. */
var PAUSE_MS = 150;
var pagefind = null;
var latest = 0;

function pause(ms) {
  return new Promise(function (resolve) { setTimeout(resolve, ms); });
}

function escapeHtml(text) {
  return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

/* Pagefind excerpts are HTML-escaped text with <mark> around matches: decode, escape, re-mark. */
function safeExcerpt(excerpt) {
  var marked = String(excerpt || "").split(/<mark>|<\/mark>/);
  return marked.map(function (part, index) {
    var text = part.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'").replace(/&#x27;/g, "'").replace(/&amp;/g, "&");
    return index % 2 ? "<mark>" + escapeHtml(text) + "</mark>" : escapeHtml(text);
  }).join("");
}

function relative(url) {
  return String(url || "").replace(/^\/+/, "");
}

function cleanQuery(query) {
  return String(query || "").replace(/[+*~^:"]/g, " ").replace(/\s+/g, " ").trim();
}

async function load() {
  var here = new URL(self.location.href);
  pagefind = await import(new URL("../../pagefind/pagefind.js", here).href);
  await pagefind.options({ excerptLength: 24 });
  await pagefind.init();
}

async function search(query, mine) {
  var text = cleanQuery(query);
  if (!text) return { items: [] };
  var found = await pagefind.search(text);
  if (mine !== latest) return null;
  var terms = {};
  text.toLowerCase().split(" ").forEach(function (term) { if (term) terms[term] = true; });
  var data = await Promise.all(found.results.slice(0, MAX_PAGES).map(function (result) { return result.data(); }));
  var items = data.map(function (page, rank) {
    var score = (MAX_PAGES - rank) / MAX_PAGES;
    var group = [{
      location: relative(page.url), title: escapeHtml(page.meta && page.meta.title || page.url),
      text: safeExcerpt(page.excerpt), score: score, terms: terms
    }];
    (page.sub_results || []).filter(function (sub) { return sub.url !== page.url; })
      .slice(0, MAX_SECTIONS).forEach(function (sub, index) {
        group.push({
          location: relative(sub.url), title: escapeHtml(sub.title), text: safeExcerpt(sub.excerpt),
          score: score * (0.9 - index * 0.1), terms: terms
        });
      });
    return group;
  });
  return { items: items };
}

self.addEventListener("message", function (event) {
  var message = event.data || {};
  if (message.type === SETUP) {
    load().then(function () { self.postMessage({ type: READY }); })
      .catch(function (error) { console.error("Search could not start:", error); });
  } else if (message.type === QUERY) {
    var mine = ++latest;
    pause(PAUSE_MS)
      .then(function () { return mine === latest ? search(message.data, mine) : null; })
      .then(function (result) {
        if (result && mine === latest) self.postMessage({ type: RESULT, data: result });
      })
      .catch(function (error) {
        console.error("Search failed:", error);
        if (mine === latest) self.postMessage({ type: RESULT, data: { items: [] } });
      });
  }
});
