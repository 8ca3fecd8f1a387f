/**
 * The configuration loader's machinery (YAML trees with positions, binding to records,
 * suggestions). Not API.
 */
package dev.deepresearcher.core.config.internal;
