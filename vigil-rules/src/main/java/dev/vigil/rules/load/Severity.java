package dev.vigil.rules.load;

/** An error stops a file's rules from loading as written; a warning does not. */
public enum Severity { ERROR, WARNING }
