/**
 * The browse agent: fetches the pages a policy chose, safely, extracts readable text, splits it
 * into pages and reads them one by one with an LLM (or the offline reader), returning only what is
 * new and relevant to the question. Stateless: the caller passes everything a request needs.
 */
package dev.deepresearcher.browse;
