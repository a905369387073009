"""Reading inputs: the PDF layer (blocks in reading order, tables, OCR), activity and member lists, isolation of untrusted files."""
