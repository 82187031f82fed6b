// The front end of balancing_act.live: LiveChart (one Vega-Lite chart that changes in place) and
// LivePanels (several charts, each embedded once, shown or hidden).
// Bundled with Vega, Vega-Lite and Vega-Embed by `python -m balancing_act.live.build` (vl-convert),
// so it loads nothing from the network. A LiveChart's first spec is embedded; later the kernel sends either a
// new spec (embedded afresh) or only new rows for the chart's named datasets and new values for its
// signals (the title), which the running view takes without being rebuilt.
const OPTIONS = { actions: false, renderer: "canvas", mode: "vega-lite" };

// Drawn on a canvas, as JupyterLab draws the course's other charts: Vega marks the canvas's container
// as the graphics document; it is labelled with the chart's description.
function label(box, text) {
  const doc = box.matches("[role=graphics-document]") ? box : box.querySelector("[role=graphics-document]");
  if (doc && text) doc.setAttribute("aria-label", text);
}

// A LiveChart's spec and updates travel as JSON text (see _wire in chart.py); an empty one is "".
const read = (value) => (typeof value === "string" ? (value ? JSON.parse(value) : {}) : value || {});

async function renderChart({ model, el }) {
  let view = null;
  let finalize = null;
  const describe = () => label(el, model.get("description"));
  const embed = async () => {
    if (finalize) finalize();
    view = null;
    finalize = null;
    const spec = read(model.get("spec"));
    if (Object.keys(spec).length === 0) {
      el.replaceChildren();
      return;
    }
    const result = await vegaEmbed(el, spec, OPTIONS);
    view = result.view;
    finalize = result.finalize;
    describe();
  };
  model.on("change:spec", embed);
  model.on("change:update", async () => {
    const update = read(model.get("update"));
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

// Every panel is embedded once, in a grid; a change of choice shows and hides panels and sets the
// signals they share (a year range, say) on each view: nothing is embedded again.
async function renderPanels({ model, el }) {
  const grid = document.createElement("div");
  grid.setAttribute("role", "group");
  grid.style.display = "grid";
  grid.style.gap = "12px 28px";
  grid.style.alignItems = "start";
  el.replaceChildren(grid);
  let cells = [];
  const place = () => {
    const shown = new Set(model.get("shown") || []);
    grid.style.gridTemplateColumns = `repeat(${Math.max(1, model.get("columns") || 1)}, max-content)`;
    cells.forEach((cell, index) => { cell.wrap.style.display = shown.has(index) ? "" : "none"; });
    grid.setAttribute("aria-label", model.get("description") || "");
  };
  const signal = async () => {
    const values = Object.entries(model.get("signals") || {});
    await Promise.all(cells.filter((cell) => cell.view).map((cell) => {
      for (const [name, value] of values) if (cell.names.has(name)) cell.view.signal(name, value);
      return cell.view.runAsync();
    }));
  };
  const embed = async () => {
    for (const cell of cells) if (cell.finalize) cell.finalize();
    cells = (model.get("panels") || []).map((spec) => {
      const wrap = document.createElement("div");
      const box = document.createElement("div");
      wrap.appendChild(box);
      return { wrap, box, spec, names: new Set((spec.params || []).map((p) => p.name)), view: null, finalize: null };
    });
    grid.replaceChildren(...cells.map((cell) => cell.wrap));
    place();
    await Promise.all(cells.map(async (cell) => {
      const result = await vegaEmbed(cell.box, cell.spec, OPTIONS);
      cell.view = result.view;
      cell.finalize = result.finalize;
      label(cell.box, cell.spec.description);
    }));
    await signal();
  };
  model.on("change:panels", embed);
  model.on("change:shown change:columns change:description", place);
  model.on("change:signals", signal);
  await embed();
  return () => { for (const cell of cells) if (cell.finalize) cell.finalize(); };
}

async function render(context) {
  return context.model.get("panels") === undefined ? renderChart(context) : renderPanels(context);
}
export default { render };
