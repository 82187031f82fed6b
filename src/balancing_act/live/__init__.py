"""Charts that change in place: what the explorers draw into.

An explorer used to replace its ``Output`` with a new Vega-Lite bundle on every change, so the
browser threw the chart away and built it again (100-300 ms a change on two cores). A
:class:`LiveChart` is a widget holding one running Vega view. :meth:`LiveChart.show` takes the
next chart (an Altair chart or its dict) and compares it with the one on screen: when only its
rows, its title or its description differ, only those travel to the page, where the running
view takes the new rows and title without being rebuilt; otherwise the new spec is embedded.
A :class:`LivePanels` holds several charts in a grid, each embedded once: a choice of panels
shows and hides them and sets the ``ba_...`` params they share (a range of years) in place.

The front end (``live_chart.js``) is bundled with Vega, Vega-Lite and Vega-Embed into
``live_chart.bundle.js`` by ``python -m balancing_act.live.build`` (vl-convert), so nothing is
loaded from the network. The widgets are in :mod:`balancing_act.live.chart`; importing
this package reads nothing.
"""
