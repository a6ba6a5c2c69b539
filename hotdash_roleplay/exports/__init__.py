"""Exports: the debrief report and peer-review record (PDF), session data (CSV/JSON) and its
import. Nothing here imports reportlab at module level: PDFs load it when first built."""
