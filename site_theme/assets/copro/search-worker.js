/* A search worker for mkdocs-material's search box, backed by Pagefind's chunked index.
   It speaks the theme's worker protocol (SETUP -> READY, QUERY -> RESULT), so the header search
   keeps its look, keyboard use and accessibility, while a reader downloads only the index chunks a
   query needs instead of the whole site's index. Case text is escaped here: the theme inserts
   titles and teasers as HTML, and only the <mark> highlights added here are markup.
   Three things Pagefind does not do are done here: a word matches only a word it could stand for
   (never an initial such as "L."), a case's result carries its example or summary badge, and an
   excerpt starts where a sentence starts. */
"use strict";

var SETUP = 0, READY = 1, QUERY = 2, RESULT = 3;
var MAX_PAGES = 20, MAX_SECTIONS = 3;
var EXCERPT_WORDS = 30, LONGEST_EXCERPT = 45;
/* Pagefind marks these statuses on case pages (data-pagefind-meta, case.html); published cases
   carry no badge, as in the case list. The words come from the page (status_label). */
var BADGES = { example: "copro-badge--example", summary: "copro-badge--summary" };
/* Endings Pagefind's English stemmer removes, longest first: "loneliness" is looked up as
   "loneli", "isolation" as "isol". Used only to tell how much of a word must match. */
var ENDINGS = ["isations", "izations", "ational", "fulness", "isation", "ization", "nesses", "ations",
  "ingly", "ities", "ously", "ation", "ments", "ances", "ences", "ables", "ness", "ment", "ings",
  "edly", "ives", "able", "ible", "ibly", "ally", "ance", "ence", "ised", "ized", "ises", "izes",
  "iest", "ions", "ing", "ies", "ied", "ier", "ily", "ers", "est", "ous", "ive", "ity", "ful",
  "ion", "ise", "ize", "ed", "er", "es", "ly", "al", "s", "e"];
var MIN_STEM = 3;
/* Abbreviations and initials whose full stop does not end a sentence ("L. Chen", "et al. 2004"). */
var NOT_SENTENCE_ENDS = /^(\p{L}|e\.g|i\.e|al|dr|mr|mrs|ms|st|vs|no|nos|p|pp|fig|approx|ca|cf)\.$/iu;
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

// ------------------------------------------------------------------ which matches count

/* Pagefind looks a word up by its stem, and when no indexed word starts with that stem it falls
   back to the longest indexed word the stem starts with (find_word_extensions in Pagefind's core
   search): "loneliness", in no page, found "L." and "xylophone" found "x". A match counts only
   when the page's word shares the query word's stem; stems are estimated from the endings above,
   on the generous side, and never shorter than three letters (or the word typed). */
function plain(word) {
  return String(word || "").normalize("NFD").replace(/\p{M}/gu, "").toLowerCase()
    .replace(/[^\p{L}\p{N}]/gu, "");
}

function stemLength(term) {
  var stem = term;
  for (var round = 0; round < 2; round++) {
    var ending = ENDINGS.filter(function (e) { return stem.length - e.length >= MIN_STEM && stem.slice(-e.length) === e; })[0];
    if (!ending) break;
    stem = stem.slice(0, -ending.length);
    // "running" is "run", "hoping" is "hope": a doubled last letter or a dropped e.
    if (/^[aeiouy]/.test(ending) && /([^aeiouy])\1$/.test(stem) && stem.length > MIN_STEM) stem = stem.slice(0, -1);
  }
  return Math.min(term.length, Math.max(stem.length, MIN_STEM));
}

function sharedStart(a, b) {
  var n = 0;
  // y and i are one letter to the stemmer ("happy", "happiness": "happi").
  while (n < a.length && n < b.length && (a[n] === b[n] || /[iy]/.test(a[n]) && /[iy]/.test(b[n]))) n++;
  return n;
}

function standsFor(term, word) {
  return sharedStart(term, word) >= stemLength(term);
}

function parts(word) {
  // Pagefind also indexes the parts of a compound: "co-production" as "co" and "production",
  // "McDonald" as "mc" and "donald"; a match on any part is a match on the word.
  var found = [plain(word)];
  String(word || "").split(/[^\p{L}\p{N}]+|(?<=\p{Ll})(?=\p{Lu})/u).forEach(function (part) {
    if (part) found.push(plain(part));
  });
  return found;
}

function standsForAny(term, word) {
  return parts(word).some(function (part) { return standsFor(term, part); });
}

function genuineLocations(words, locations, terms) {
  // The matched words that stand for some word of the query; null when a query word has none.
  var kept = locations.filter(function (at) {
    return terms.some(function (term) { return standsForAny(term, words[at]); });
  });
  var found = terms.every(function (term) {
    return kept.some(function (at) { return standsForAny(term, words[at]); });
  });
  return found ? kept : null;
}

// ------------------------------------------------------------------ excerpts from a sentence start

function endsSentence(word) {
  if (!/[.!?]["'\u2019\u201d)\]]*$/.test(word || "")) return false;
  return !NOT_SENTENCE_ENDS.test(String(word).replace(/["'\u2019\u201d)\]]+$/, ""));
}

function densest(locations) {
  // The match with the most others in the excerpt that would start there.
  var best = locations[0], most = 0;
  locations.forEach(function (at) {
    var near = locations.filter(function (other) { return other >= at && other < at + EXCERPT_WORDS; }).length;
    if (near > most) { best = at; most = near; }
  });
  return best;
}

function excerptRange(words, marked, from, to) {
  var anchor = densest(marked);
  var start = anchor;
  while (start > from && !endsSentence(words[start - 1])) start--;
  var cut = anchor - start > LONGEST_EXCERPT - 10;
  if (cut) {
    // A very long sentence (a list of sources): start after its last colon or semicolon before
    // the match, else a few words before it, marked with an ellipsis either way.
    var clause = anchor;
    while (clause > anchor - (LONGEST_EXCERPT - 10) && !/[;:]$/.test(words[clause - 1] || "")) clause--;
    start = clause > anchor - (LONGEST_EXCERPT - 10) ? clause : Math.max(from, anchor - 6);
  }
  var end = Math.min(to, start + Math.min(LONGEST_EXCERPT, Math.max(EXCERPT_WORDS, anchor - start + 12)));
  for (var last = end - 1; last > anchor && last - start >= EXCERPT_WORDS / 2; last--) {
    if (endsSentence(words[last])) { end = last + 1; break; }
  }
  return { start: start, end: end, cut: cut };
}

function sentenceExcerpt(words, marked, from, to) {
  // Escaped text, the matches marked; an ellipsis where it starts or stops mid-sentence.
  if (!marked.length) return "";
  var range = excerptRange(words, marked, from, to);
  var shown = words.slice(range.start, range.end).map(function (word, n) {
    return marked.indexOf(range.start + n) >= 0 ? "<mark>" + escapeHtml(word) + "</mark>" : escapeHtml(word);
  }).join(" ");
  var open = range.end < to && !endsSentence(words[range.end - 1]);
  return (range.cut ? "\u2026 " : "") + shown + (open ? " \u2026" : "");
}

function badge(meta) {
  var kind = meta && BADGES[meta.status];
  if (!kind || !meta.status_label) return "";
  return ' <span class="copro-badge ' + kind + '">' + escapeHtml(meta.status_label) + "</span>";
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

function sectionEnd(page, sub, wordCount) {
  // A section runs to the next heading Pagefind lists (as its own sub-results do).
  var starts = (page.anchors || []).filter(function (a) { return /h\d/i.test(a.element) && /\S/.test(a.text || ""); })
    .map(function (a) { return a.location; }).filter(function (at) { return at > sub.anchor.location; });
  return starts.length ? Math.min.apply(null, starts) : wordCount;
}

function pageItems(page, score, terms, seen) {
  var words = String(page.raw_content || "").split(/[\r\n\s]+/g);
  var marked = genuineLocations(words, page.locations || [], terms);
  if (!marked) return null;  // found only through a shorter word: not a match
  var group = [{
    location: relative(page.url), title: escapeHtml(page.meta && page.meta.title || page.url) + badge(page.meta),
    text: sentenceExcerpt(words, marked, 0, words.length), score: score, terms: seen
  }];
  (page.sub_results || []).filter(function (sub) { return sub.url !== page.url && sub.anchor; })
    .forEach(function (sub) {
      var own = marked.filter(function (at) { return (sub.locations || []).indexOf(at) >= 0; });
      if (!own.length || group.length > MAX_SECTIONS) return;
      group.push({
        location: relative(sub.url), title: escapeHtml(sub.title),
        text: sentenceExcerpt(words, own, sub.anchor.location, sectionEnd(page, sub, words.length)),
        score: score * (0.9 - (group.length - 1) * 0.1), terms: seen
      });
    });
  return group;
}

async function search(query, mine) {
  var text = cleanQuery(query);
  if (!text) return { items: [] };
  var found = await pagefind.search(text);
  if (mine !== latest) return null;
  var seen = {};
  text.toLowerCase().split(" ").forEach(function (term) { if (term) seen[term] = true; });
  var terms = text.split(" ").map(plain).filter(Boolean);
  var data = await Promise.all(found.results.slice(0, MAX_PAGES).map(function (result) { return result.data(); }));
  var items = data.map(function (page, rank) {
    return pageItems(page, (MAX_PAGES - rank) / MAX_PAGES, terms, seen);
  }).filter(Boolean);
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
