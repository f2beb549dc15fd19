"""One module per case kind, each ending with ``KIND = Kind(...)``
(``flows.registry`` finds them)."""
