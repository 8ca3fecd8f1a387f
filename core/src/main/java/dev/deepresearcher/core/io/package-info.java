/** File writing that never leaves a half-written file behind. */
package dev.deepresearcher.core.io;
