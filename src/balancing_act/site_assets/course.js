/* The course website's own script: draws the charts with the bundled vega-embed,
   grades the quizzes in the page and steps through slide decks. No network. */
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
    var deck = document.querySelector(".deck");
    if (!deck) { return; }
    var all = Array.prototype.slice.call(deck.querySelectorAll(".slide"));
    var count = document.querySelector(".slide-count");
    var at = 0;
    function show(i) {
      at = Math.max(0, Math.min(all.length - 1, i));
      all.forEach(function (s, k) { s.hidden = k !== at; });
      if (count) { count.textContent = (at + 1) + " / " + all.length; }
    }
    document.querySelectorAll(".slide-nav button").forEach(function (b) {
      b.addEventListener("click", function () { show(at + Number(b.dataset.go)); });
    });
    document.addEventListener("keydown", function (e) {
      if (e.key === "ArrowRight" || e.key === "PageDown" || e.key === " ") { show(at + 1); e.preventDefault(); }
      if (e.key === "ArrowLeft" || e.key === "PageUp") { show(at - 1); e.preventDefault(); }
    });
    window.addEventListener("beforeprint", function () { all.forEach(function (s) { s.hidden = false; }); });
    window.addEventListener("afterprint", function () { show(at); });
  }

  function start() { drawCharts(); quizzes(); slides(); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
