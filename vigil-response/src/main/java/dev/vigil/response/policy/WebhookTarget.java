package dev.vigil.response.policy;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * Where a finding is POSTed: a webhook of the policy file (by name) or a URL given in a rule's extension
 * (named by its URL). Header values have their {@code ${env:NAME}} references expanded already.
 */
public record WebhookTarget(String name, URI url, Map<String, String> headers, Duration timeout) {
    /** The timeout of a webhook that does not set one. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    public WebhookTarget {
        headers = Map.copyOf(headers);
        if (timeout == null) timeout = DEFAULT_TIMEOUT;
    }

    /** Headers are left out: they usually carry credentials. */
    @Override public String toString() { return "webhook " + name + " (" + url + ")"; }
}
