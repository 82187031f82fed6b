"""Beijing Balancing Act: an interactive course on China, Russia and North Korea.

Importing this package reads no file and changes no global setting; data are
loaded on request through :func:`balancing_act.data.load`.
"""

__version__ = "0.1.0"

__all__ = ["__version__", "hand_in"]


def __getattr__(name: str) -> object:
    """Load :func:`balancing_act.classroom.hand_in` on first use, so the import stays light."""
    if name == "hand_in":
        from balancing_act.classroom import hand_in

        return hand_in
    raise AttributeError(f"module 'balancing_act' has no attribute {name!r}")
