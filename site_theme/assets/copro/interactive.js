/* Interactive charts on demand: the static SVG stays; a button swaps in a Vega view with tooltips.
   The Vega bundle is served by this site and loaded only when a reader asks for it. */
(function () {
  "use strict";
  var script = document.currentScript;
  var bundleUrl = script && script.dataset.bundle;
  var loading = null;
  function loadBundle() {
    if (window.vegaEmbed) return Promise.resolve();
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        var tag = document.createElement("script");
        tag.src = bundleUrl;
        tag.onload = resolve;
        tag.onerror = function () { reject(new Error("The chart script could not be loaded.")); };
        document.head.appendChild(tag);
      });
    }
    return loading;
  }
  Array.prototype.forEach.call(document.querySelectorAll("[data-copro-interactive]"), function (button) {
    var id = button.getAttribute("data-copro-interactive");
    var figure = document.getElementById(id);
    var specBlock = document.getElementById(id + "-spec");
    /* A chart drawn twice has a narrow spec too: the one for the width the page is shown at. */
    var narrowBlock = document.getElementById(id + "-spec-narrow");
    if (!figure || !specBlock) return;
    button.parentNode.hidden = false;
    button.addEventListener("click", function () {
      button.disabled = true;
      button.textContent = "Loading…";
      loadBundle().then(function () {
        var holder = figure.querySelector(".copro-chart");
        var target = document.createElement("div");
        target.className = "copro-chart__interactive";
        /* Like the static drawing: the holder names the chart, the description and table tell it. */
        target.setAttribute("aria-hidden", "true");
        holder.replaceChildren(target);
        /* actions: false keeps out the menu that links to an external editor. */
        var wide = !narrowBlock || window.matchMedia("(min-width: 60em)").matches;
        var spec = JSON.parse((wide ? specBlock : narrowBlock).textContent);
        return window.vegaEmbed(target, spec, { actions: false, renderer: "svg" });
      }).then(function () {
        button.parentNode.hidden = true;
      }).catch(function (error) {
        button.disabled = false;
        button.textContent = "Explore this chart interactively";
        button.parentNode.appendChild(document.createTextNode(" " + error.message));
      });
    });
  });
})();
