"""What a saved notebook shows where a live widget cannot be drawn.

GitHub, nbviewer and a notebook opened before its cells run show an output's
``text/plain`` form instead of a widget. By default that is the widget's
``repr`` (``ClaimReview('lesson03')``), which means nothing to a learner.
:class:`KernelFallback` keeps ``repr`` for developers and gives the stored
output a sentence that says what the widget is and how to use it.
"""

from __future__ import annotations

from typing import Any

__all__ = ["KernelFallback", "RUN_TO_USE"]

#: The instruction every fallback ends with.
RUN_TO_USE = "Run this cell in JupyterLab (or open the lesson on Binder) to use it."


class KernelFallback:
    """Mixin for ipywidgets classes: a friendly ``text/plain`` in the widget's display data.

    Put it before the widget base class (``class Quiz(KernelFallback, widgets.VBox)``)
    and override :meth:`fallback_text`.
    """

    def fallback_text(self) -> str:
        """The sentence a viewer without a kernel shows: what the widget does, then how to use it."""
        doc = (type(self).__doc__ or "").strip().split("\n\n")[0]
        what = " ".join(doc.split())
        return f"Interactive explorer: {what} {RUN_TO_USE}" if what else f"Interactive explorer. {RUN_TO_USE}"

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any] | None:
        bundle: dict[str, Any] | None = super()._repr_mimebundle_(**kwargs)  # type: ignore[misc]
        if bundle is not None:
            bundle["text/plain"] = self.fallback_text()
        return bundle
