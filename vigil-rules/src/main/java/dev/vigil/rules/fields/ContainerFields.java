package dev.vigil.rules.fields;

import static dev.vigil.rules.fields.ArgKind.KEY;
import static dev.vigil.rules.fields.ArgKind.KEY_OPTIONAL;
import static dev.vigil.rules.fields.ArgKind.NONE;
import static dev.vigil.rules.fields.FieldType.*;

import dev.vigil.event.Workload;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code container.*}: the workload Vigil runs in (a container by construction; the id is never "host").
 * Fields that need the container runtime's view (mounts, privileged) have no value.
 */
public final class ContainerFields implements FieldFamily {
    public static final FieldDef ID = FieldDef.of("container.id", CHARBUF, NONE, "Container id (12 characters when the full id is a 64-hex runtime id).");
    public static final FieldDef FULL_ID = FieldDef.of("container.full_id", CHARBUF, NONE, "Full container id.");
    public static final FieldDef NAME = FieldDef.of("container.name", CHARBUF, NONE, "Container name.");
    public static final FieldDef IMAGE = FieldDef.of("container.image", CHARBUF, NONE, "Image as repository:tag.");
    public static final FieldDef IMAGE_REPOSITORY = FieldDef.of("container.image.repository", CHARBUF, NONE, "Image repository (without tag).");
    public static final FieldDef IMAGE_TAG = FieldDef.of("container.image.tag", CHARBUF, NONE, "Image tag.");
    public static final FieldDef TYPE = FieldDef.of("container.type", CHARBUF, NONE, "Where the workload runs (the cloud, e.g. aws-ecs-fargate, or 'container').");
    public static final FieldDef LABEL = FieldDef.of("container.label", CHARBUF, KEY, "A workload label: container.label[key].");
    public static final FieldDef LABELS = FieldDef.of("container.labels", CHARBUF, NONE, "All workload labels as key:value, comma separated.");
    public static final FieldDef IMAGE_ID = FieldDef.unfilled("container.image.id", CHARBUF, NONE, "Image id: not known.");
    public static final FieldDef IMAGE_DIGEST = FieldDef.unfilled("container.image.digest", CHARBUF, NONE, "Image digest: not known.");
    public static final FieldDef PRIVILEGED = FieldDef.unfilled("container.privileged", BOOL, NONE, "Privileged container: not known from inside.");
    public static final FieldDef MOUNTS = FieldDef.unfilled("container.mounts", CHARBUF, NONE, "Mounts: not known.");
    public static final FieldDef MOUNT = FieldDef.of("container.mount", CHARBUF, KEY, "A host mount by index or source: always '<NA>' (no such mount: serverless tasks get no host mounts).");
    public static final FieldDef MOUNT_SOURCE = FieldDef.of("container.mount.source", CHARBUF, KEY, "Source of the mount at a destination: always '<NA>' (no host mounts).");
    public static final FieldDef MOUNT_DEST = FieldDef.of("container.mount.dest", CHARBUF, KEY_OPTIONAL, "Destination of the mount from a source: always '<NA>' (no host mounts).");
    public static final FieldDef START_TS = FieldDef.unfilled("container.start_ts", ABSTIME, NONE, "Container start time: not known.");
    public static final FieldDef DURATION = FieldDef.unfilled("container.duration", RELTIME, NONE, "Container age: not known.");
    public static final FieldDef IP = FieldDef.unfilled("container.ip", IPADDR, NONE, "Container IP: not known.");
    public static final FieldDef HOST_PID = FieldDef.unfilled("container.host_pid", BOOL, NONE, "Shares the host pid namespace: not known.");
    public static final FieldDef HOST_NETWORK = FieldDef.unfilled("container.host_network", BOOL, NONE, "Shares the host network: not known.");
    public static final FieldDef HOST_IPC = FieldDef.unfilled("container.host_ipc", BOOL, NONE, "Shares the host IPC namespace: not known.");
    public static final FieldDef HEALTHCHECK = FieldDef.unfilled("container.healthcheck", CHARBUF, NONE, "Health check command: not known.");

    private static final List<FieldDef> FIELDS = List.of(ID, FULL_ID, NAME, IMAGE, IMAGE_REPOSITORY, IMAGE_TAG, TYPE,
            LABEL, LABELS, IMAGE_ID, IMAGE_DIGEST, PRIVILEGED, MOUNTS, MOUNT, MOUNT_SOURCE, MOUNT_DEST, START_TS,
            DURATION, IP, HOST_PID, HOST_NETWORK, HOST_IPC, HEALTHCHECK);

    @Override public String name() { return "container"; }

    @Override public List<FieldDef> fields() { return FIELDS; }

    @Override
    public BoundField bind(FieldDef f, String arg) {
        return switch (f.name()) {
            case "container.id" -> BoundField.str(f, null, EvalContext::containerId);
            case "container.full_id" -> BoundField.str(f, null, c -> w(c).containerId());
            case "container.name" -> BoundField.str(f, null, c -> w(c).containerName());
            case "container.image" -> BoundField.str(f, null, EvalContext::image);
            case "container.image.repository" -> BoundField.str(f, null, EvalContext::imageRepository);
            case "container.image.tag" -> BoundField.str(f, null, EvalContext::imageTag);
            case "container.type" -> BoundField.str(f, null, c -> w(c).cloud() == null || w(c).cloud().isEmpty() ? "container" : w(c).cloud());
            case "container.label" -> BoundField.str(f, arg, c -> w(c).labels().get(arg));
            case "container.labels" -> BoundField.str(f, null, c -> labels(w(c).labels()));
            case "container.mount", "container.mount.source", "container.mount.dest" -> BoundField.str(f, arg, c -> "<NA>");
            default -> throw Args.unbound(f);
        };
    }

    private static Workload w(EvalContext c) { return c.event.header().workload(); }

    static String shortId(String id) {
        if (id == null) return null;
        if (id.length() != 64) return id;
        for (int i = 0; i < 64; i++) if (Character.digit(id.charAt(i), 16) < 0) return id;
        return id.substring(0, 12);
    }

    static String repository(String image) {
        if (image == null) return null;
        String s = image;
        int at = s.indexOf('@');
        if (at >= 0) s = s.substring(0, at);
        int slash = s.lastIndexOf('/');
        int colon = s.lastIndexOf(':');
        return colon > slash ? s.substring(0, colon) : s;
    }

    static String tag(Workload w) {
        if (w.imageTag() != null && !w.imageTag().isEmpty()) return w.imageTag();
        String s = w.image();
        if (s == null) return null;
        int slash = s.lastIndexOf('/');
        int colon = s.lastIndexOf(':');
        return colon > slash && s.indexOf('@') < 0 ? s.substring(colon + 1) : null;
    }

    static String image(Workload w) {
        String repo = repository(w.image());
        if (repo == null) return null;
        String tag = tag(w);
        return tag == null ? repo : repo + ":" + tag;
    }

    private static String labels(Map<String, String> labels) {
        if (labels.isEmpty()) return null;
        StringBuilder sb = new StringBuilder();
        for (var e : new TreeMap<>(labels).entrySet()) {
            if (!sb.isEmpty()) sb.append(", ");
            sb.append(e.getKey()).append(':').append(e.getValue());
        }
        return sb.toString();
    }
}
