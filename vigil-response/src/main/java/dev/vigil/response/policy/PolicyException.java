package dev.vigil.response.policy;

import java.util.List;

/**
 * A policy file that cannot be used. The message is one line per problem, {@code FILE:LINE:COL: cause}, for the
 * user as is (no stack trace).
 */
public final class PolicyException extends Exception {
    private final List<String> problems;

    public PolicyException(List<String> problems) {
        super(String.join("\n", problems), null, false, false);
        this.problems = List.copyOf(problems);
    }

    /** Each problem, {@code FILE:LINE:COL: cause}, in file order. */
    public List<String> problems() { return problems; }
}
