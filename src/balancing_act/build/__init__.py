"""Build scripts that turn large public raw files into the compact CSV files in ``data/``.

They are run by hand by whoever refreshes the course data, never by a lesson or a test
of the shipped data: the raw files are not part of the repository. Each module says
where to fetch its raw input again and documents the command that rebuilds its CSV.
Their extra requirements are in the ``build`` extra (``pip install -e ".[build]"``).
"""
