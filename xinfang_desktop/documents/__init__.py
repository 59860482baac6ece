"""Official documents in the GB/T 9704-2012 format (PDF and DOCX) — built in the documents issue."""
