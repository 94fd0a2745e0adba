"""Writers: JSON with stable keys, CSV/XLSX tables, and the reviewer's HTML report."""

__all__: list[str] = []  # the writers are its submodules
