package dev.vigil.rules.load;

import java.util.Arrays;

/** The text of one rules file, with line starts for turning offsets into line:col and snippets. */
public final class SourceFile {
    private final String name;
    private final String text;
    private final int[] lineStarts;

    public SourceFile(String name, String text) {
        this.name = name;
        this.text = text;
        int n = 1;
        for (int i = 0; i < text.length(); i++) if (text.charAt(i) == '\n') n++;
        lineStarts = new int[n];
        int k = 1;
        for (int i = 0; i < text.length(); i++) if (text.charAt(i) == '\n') lineStarts[k++] = i + 1;
    }

    public String name() { return name; }

    public String text() { return text; }

    /** 1-based line of a character index. */
    public int line(int index) {
        int i = Arrays.binarySearch(lineStarts, index);
        return (i >= 0 ? i : -i - 2) + 1;
    }

    /** 1-based column of a character index. */
    public int col(int index) { return index - lineStarts[line(index) - 1] + 1; }

    /** The source line with a caret under {@code col}, indented by two blanks; empty when out of range. */
    public String snippet(int line, int col) {
        if (line < 1 || line > lineStarts.length) return "";
        int s = lineStarts[line - 1];
        int e = line < lineStarts.length ? lineStarts[line] - 1 : text.length();
        String l = text.substring(s, Math.max(s, e)).stripTrailing();
        if (l.length() > 160) l = l.substring(0, 160) + "...";
        return "  " + l + "\n  " + " ".repeat(Math.max(0, col - 1)) + "^";
    }
}
