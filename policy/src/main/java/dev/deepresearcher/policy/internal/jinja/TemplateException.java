package dev.deepresearcher.policy.internal.jinja;

/** A template that cannot be parsed or rendered; the message names the line. */
public final class TemplateException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public TemplateException(String message) {
    super(message);
  }
}
