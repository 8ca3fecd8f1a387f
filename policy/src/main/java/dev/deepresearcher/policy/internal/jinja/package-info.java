/**
 * A Jinja2 interpreter for chat templates, faithful to Python's Jinja2 as Hugging Face configures
 * it ({@code ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True)} with the
 * loop-controls extension, {@code tojson} as {@code json.dumps(ensure_ascii=False)}, and {@code
 * raise_exception}). It covers what chat templates use — statements, expressions, filters, tests,
 * Python string and dict methods, Python printing of values — and nothing else (no inheritance,
 * includes or autoescaping). Not API; use {@link dev.deepresearcher.policy.ChatTemplate}.
 */
package dev.deepresearcher.policy.internal.jinja;
