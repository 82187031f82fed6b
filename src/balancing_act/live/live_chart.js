// The front end of balancing_act.live.LiveChart: a Vega-Lite chart that changes in place.
// Bundled with Vega, Vega-Lite and Vega-Embed by `python -m balancing_act.live.build` (vl-convert),
// so it loads nothing from the network. The first spec is embedded; later the kernel sends either a
// new spec (embedded afresh) or only new rows for the chart's named datasets and new values for its
// signals (the title), which the running view takes without being rebuilt.
async function render({ model, el }) {
  let view = null;
  let finalize = null;
  // Drawn on a canvas, as JupyterLab draws the course's other charts: Vega marks the canvas's container
  // as the graphics document and labels it with the description, which follows each in-place change.
  const describe = () => {
    const doc = el.matches("[role=graphics-document]") ? el : el.querySelector("[role=graphics-document]");
    if (doc && model.get("description")) doc.setAttribute("aria-label", model.get("description"));
  };
  const embed = async () => {
    if (finalize) finalize();
    view = null;
    finalize = null;
    const spec = model.get("spec");
    if (!spec || Object.keys(spec).length === 0) {
      el.replaceChildren();
      return;
    }
    const result = await vegaEmbed(el, spec, { actions: false, renderer: "canvas", mode: "vega-lite" });
    view = result.view;
    finalize = result.finalize;
    describe();
  };
  model.on("change:spec", embed);
  model.on("change:update", async () => {
    const update = model.get("update") || {};
    if (!view) return;
    for (const [name, rows] of Object.entries(update.datasets || {})) view.data(name, rows);
    for (const [name, value] of Object.entries(update.signals || {})) view.signal(name, value);
    await view.runAsync();
    describe();
  });
  model.on("change:description", describe);
  await embed();
  return () => { if (finalize) finalize(); };
}
export default { render };
