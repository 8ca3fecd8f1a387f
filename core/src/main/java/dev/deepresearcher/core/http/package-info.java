/** Small pieces of HTTP that several clients share. */
package dev.deepresearcher.core.http;
