package dev.vigil.rules.compile;

import dev.vigil.rules.lang.Pos;
import dev.vigil.rules.load.ProblemCode;

/** A problem found while compiling one node; caught by the compiler and recorded with the item's position. */
final class CompileError extends RuntimeException {
    final transient Pos pos;
    final ProblemCode code;

    CompileError(Pos pos, ProblemCode code, String message) {
        super(message, null, false, false);
        this.pos = pos;
        this.code = code;
    }
}
