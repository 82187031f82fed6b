"""Lesson-specific tables, charts and explorers, one module per topic.

The shared building blocks (data loading, the chart style, progress) live in the
package's top-level modules; each topic module builds on them for one lesson.
"""
