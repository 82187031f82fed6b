/* The course website's own script: draws the charts with the bundled vega-embed,
   grades the quizzes in the page and starts reveal.js on a slide deck. No network. */
(function () {
  "use strict";

  function drawCharts() {
    document.querySelectorAll(".ba-vega").forEach(function (el) {
      var holder = el.parentNode.querySelector("script.ba-spec");
      if (!holder || el.dataset.drawn) { return; }
      var spec = JSON.parse(holder.textContent);
      if (typeof window.vegaEmbed !== "function") { el.dataset.drawn = "error"; return; }
      window.vegaEmbed(el, spec, { actions: false, renderer: "svg" }).then(function () {
        el.dataset.drawn = "true";
      }).catch(function (err) {
        el.dataset.drawn = "error";
        el.textContent = "This chart could not be drawn: " + err;
      });
    });
  }

  function grade(q) {
    var type = q.dataset.type;
    var out = q.querySelector(".ba-feedback");
    var picked = Array.prototype.slice.call(q.querySelectorAll("input:checked"));
    var right = false;
    var message = "";
    if (type === "numeric") {
      var box = q.querySelector("input[type=text]");
      var raw = (box.value || "").trim().replace(/,/g, "").replace(/%$/, "");
      var value = Number(raw);
      if (raw === "" || !isFinite(value)) {
        out.textContent = "Type a number, for example 3.9.";
        return;
      }
      right = Math.abs(value - Number(q.dataset.answer)) <= Number(q.dataset.tolerance) + 1e-9;
      message = right ? "Correct." : (value < Number(q.dataset.answer) ? "Not quite: too low." : "Not quite: too high.");
    } else if (picked.length === 0) {
      out.textContent = "Choose an answer first.";
      return;
    } else if (type === "truefalse") {
      right = picked[0].value === q.dataset.answer;
      message = right ? "Correct." : "Not quite.";
    } else if (type === "single") {
      right = picked[0].dataset.correct === "true";
      message = (right ? "Correct. " : "Not quite. ") + (picked[0].dataset.feedback || "");
    } else {
      var all = Array.prototype.slice.call(q.querySelectorAll("input"));
      right = all.every(function (i) { return i.checked === (i.dataset.correct === "true"); });
      message = right ? "Correct: all the right statements and none of the others." : "Not quite: check each statement again.";
    }
    out.textContent = message + (right ? "" : " Try again, or open the answer below.");
    q.dataset.result = right ? "correct" : "incorrect";
  }

  function quizzes() {
    document.querySelectorAll(".ba-q .ba-check").forEach(function (button) {
      button.addEventListener("click", function () { grade(button.closest(".ba-q")); });
    });
  }

  function slides() {
    // A deck is reveal.js markup (.reveal > .slides > section); reveal.js is served with it.
    if (!document.querySelector(".reveal .slides") || !window.Reveal) { return; }
    // A deck has no vertical slides: the up and down keys scroll a section longer than its slide.
    function scroller(direction) {
      return function () {
        var slide = window.Reveal.getCurrentSlide();
        if (slide) { slide.scrollBy({ top: direction * slide.clientHeight * 0.8, behavior: "auto" }); }
      };
    }
    window.Reveal.initialize({
      keyboard: { 38: scroller(-1), 40: scroller(1) },
      hash: true,
      center: false,
      width: 1280,
      height: 800,
      margin: 0.03,
      transition: "none",
      slideNumber: "c/t"
    });
  }

  function start() { drawCharts(); quizzes(); slides(); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
