"""Building documents: the tables and charts of PDFs and pages (`builders`, `charts`), for every
app that renders one. Knows no app."""
