"""Writers: JSON with stable keys, CSV/XLSX tables, and the reviewer's HTML report."""
