/** The search-handler and build-index commands. */
package dev.deepresearcher.search.cli;
