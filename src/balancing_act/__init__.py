"""Beijing Balancing Act: an interactive course on China, Russia and North Korea.

Importing this package reads no file and changes no global setting; data are
loaded on request through :func:`balancing_act.data.load`.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
