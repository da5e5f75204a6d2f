// Package doctext turns the documents a dossier holds (PDF, HTML, DOCX,
// plain text) into text a check can read: bounded, hostile input refused
// with a clear error. It knows nothing of what the text says: the areas
// (checks/notice, checks/contract) read it.
package doctext
