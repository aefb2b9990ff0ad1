"""The evidence archive: models, file store, ingest, queries. No Qt here, ever.

Everything a clerk can do is a plain function in this package first; the command line
(`desktop.cli`) and the window (`ui`, through `desktop`) call the same functions.
"""
