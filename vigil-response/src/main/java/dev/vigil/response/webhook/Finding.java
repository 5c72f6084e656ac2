package dev.vigil.response.webhook;

import dev.vigil.event.Workload;
import dev.vigil.rules.output.Alert;
import java.util.List;

/**
 * What a webhook receives about one match: the alert, the workload it happened in, the actions taken, the
 * policy entry that chose them ("policy NAME", "rule file", "default") and how many identical alerts it stands
 * for (more than 1 when de-duplicated).
 */
public record Finding(Alert alert, Workload workload, List<TakenAction> actions, String policy, long count) {
    public Finding {
        actions = List.copyOf(actions);
    }
}
