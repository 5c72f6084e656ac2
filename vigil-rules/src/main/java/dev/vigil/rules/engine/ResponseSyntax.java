package dev.vigil.rules.engine;

import dev.vigil.event.Errno;
import dev.vigil.rules.engine.VigilExtension.Action;
import dev.vigil.rules.engine.VigilExtension.Action.Kind;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The syntax of actions and scopes, shared by the {@code vigil:} rule extension and the response policy file.
 * Works on values as SnakeYAML constructs them (String, Number, List, Map); callers turn {@link Invalid} into a
 * problem at the place they know.
 */
public final class ResponseSyntax {
    private ResponseSyntax() {}

    /** A value that does not follow the syntax; the message says what was expected. */
    public static final class Invalid extends Exception {
        public Invalid(String message) { super(message, null, false, false); }
    }

    /** What the action list accepts, for error messages. */
    public static final String ACTIONS_HINT =
            "use alert, block, {block: ERRNO}, kill, {kill: process|group}, {webhook: URL-or-name}, dry-run";

    private static final Pattern WEBHOOK_NAME = Pattern.compile("[A-Za-z0-9_.-]+");

    /** One action: {@code alert}, {@code block}, {@code {block: EACCES}}, {@code kill}, {@code {kill: group}}, ... */
    public static Action action(Object raw) throws Invalid {
        if (raw instanceof String s) {
            return switch (s.strip().toLowerCase(Locale.ROOT)) {
                case "alert" -> new Action(Kind.ALERT, null);
                case "block" -> new Action(Kind.BLOCK, "EPERM");
                case "kill" -> new Action(Kind.KILL, "process");
                case "dry-run", "dry_run" -> new Action(Kind.DRY_RUN, null);
                case "webhook" -> throw new Invalid("webhook needs a target: {webhook: URL-or-name}");
                default -> throw new Invalid("unknown action '" + s + "' (" + ACTIONS_HINT + ")");
            };
        }
        if (raw instanceof Map<?, ?> m && m.size() == 1) {
            var e = m.entrySet().iterator().next();
            String key = String.valueOf(e.getKey());
            Object v = e.getValue();
            switch (key) {
                case "block" -> {
                    if (!(v instanceof String name)) throw new Invalid("block: expected an errno name such as EACCES");
                    String upper = name.strip().toUpperCase(Locale.ROOT);
                    if (Errno.number(upper) < 0) {
                        throw new Invalid("block: unknown errno '" + name + "' (e.g. EPERM, EACCES, ENOENT, ECONNREFUSED)");
                    }
                    return new Action(Kind.BLOCK, upper);
                }
                case "kill" -> {
                    String t = v instanceof String s ? s.strip().toLowerCase(Locale.ROOT) : "";
                    if (!t.equals("process") && !t.equals("group")) {
                        throw new Invalid("kill: expected process or group, not '" + v + "'");
                    }
                    return new Action(Kind.KILL, t);
                }
                case "webhook" -> {
                    if (!(v instanceof String s) || s.isBlank()) throw new Invalid("webhook: expected a URL or a webhook name");
                    return new Action(Kind.WEBHOOK, webhookTarget(s.strip()));
                }
                default -> throw new Invalid("unknown action '" + key + "' (" + ACTIONS_HINT + ")");
            }
        }
        throw new Invalid("unknown action " + raw + " (" + ACTIONS_HINT + ")");
    }

    /** Checks that a list of actions has at most one block and one kill; returns the problem or null. */
    public static String conflict(List<Action> actions) {
        int blocks = 0, kills = 0;
        for (Action a : actions) {
            if (a.kind() == Kind.BLOCK) blocks++;
            if (a.kind() == Kind.KILL) kills++;
        }
        if (blocks > 1) return "more than one block action";
        if (kills > 1) return "more than one kill action";
        return null;
    }

    /** Whether {@code s} is a webhook name (letters, digits, '_', '.', '-'), as the policy file defines them. */
    public static boolean isWebhookName(String s) {
        return s != null && WEBHOOK_NAME.matcher(s).matches();
    }

    /** A webhook URL (http or https) or the name of a webhook defined in the policy file. */
    public static String webhookTarget(String s) throws Invalid {
        if (isWebhookName(s)) return s;
        httpUrl(s);
        return s;
    }

    /** Parses an absolute http or https URL with a host. */
    public static URI httpUrl(String s) throws Invalid {
        try {
            URI u = new URI(s);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                throw new Invalid("'" + s + "': only http and https URLs are supported");
            }
            if (u.getHost() == null) throw new Invalid("'" + s + "': the URL has no host");
            return u;
        } catch (URISyntaxException e) {
            throw new Invalid("'" + s + "' is not a URL: " + e.getReason());
        }
    }

    /** The patterns of one scope key: a string or a non-empty list of strings. */
    public static List<String> patterns(String key, Object raw) throws Invalid {
        if (raw instanceof String || raw instanceof Number) return List.of(String.valueOf(raw));
        if (raw instanceof List<?> l && !l.isEmpty()) {
            List<String> out = new ArrayList<>();
            for (Object o : l) {
                if (!(o instanceof String || o instanceof Number)) {
                    throw new Invalid(key + ": expected a pattern or a list of patterns");
                }
                out.add(String.valueOf(o));
            }
            return out;
        }
        if (raw instanceof List<?>) throw new Invalid(key + ": an empty list matches nothing; leave the key out");
        throw new Invalid(key + ": expected a pattern or a list of patterns");
    }

    /** Label patterns: a mapping of label name to pattern. */
    public static Map<String, String> labels(Object raw) throws Invalid {
        if (!(raw instanceof Map<?, ?> m)) throw new Invalid("labels: expected a mapping of label name to pattern");
        Map<String, String> out = new LinkedHashMap<>();
        for (var e : m.entrySet()) {
            if (!(e.getValue() instanceof String || e.getValue() instanceof Number)) {
                throw new Invalid("labels." + e.getKey() + ": expected a pattern");
            }
            out.put(String.valueOf(e.getKey()), String.valueOf(e.getValue()));
        }
        return out;
    }

    /** Reads one scope entry into the builders; an unknown key is an error. */
    public static void scopeEntry(String key, Object raw, Map<String, List<String>> patterns, Map<String, String> labels)
            throws Invalid {
        if (key.equals("labels")) labels.putAll(labels(raw));
        else if (Scope.KEYS.contains(key)) patterns.put(key, patterns(key, raw));
        else throw new Invalid("unknown scope key '" + key + "' (use project, environment, workload, image, labels)");
    }
}
