/** The calculate-metrics command and the evaluation demo. */
package dev.deepresearcher.evaluate.cli;
