/** Fetching, address checks, text extraction, paging and the readers. Not API; use BrowseAgent. */
package dev.deepresearcher.browse.internal;
