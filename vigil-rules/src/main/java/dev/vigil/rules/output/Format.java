package dev.vigil.rules.output;

/** How a stream sink writes alerts: Falco JSON (one object per line) or Falco's text line. */
public enum Format {
    JSON, TEXT;

    String render(Alert a) { return this == JSON ? AlertFormatter.json(a) : AlertFormatter.text(a); }
}
