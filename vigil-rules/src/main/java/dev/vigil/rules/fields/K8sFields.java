package dev.vigil.rules.fields;

import static dev.vigil.rules.fields.ArgKind.KEY;
import static dev.vigil.rules.fields.ArgKind.NONE;
import static dev.vigil.rules.fields.FieldType.CHARBUF;
import static dev.vigil.rules.fields.FieldType.IPADDR;

import java.util.List;

/**
 * {@code k8s.*}: Kubernetes metadata. Vigil targets serverless containers and has no source for it, so every
 * field has no value (comparisons false, {@code <NA>} in outputs), as Falco does without the metadata.
 */
public final class K8sFields implements FieldFamily {
    private static final List<FieldDef> FIELDS = List.of(
            FieldDef.unfilled("k8s.ns.name", CHARBUF, NONE, "Namespace name."),
            FieldDef.unfilled("k8s.ns.id", CHARBUF, NONE, "Namespace id."),
            FieldDef.unfilled("k8s.ns.label", CHARBUF, KEY, "Namespace label."),
            FieldDef.unfilled("k8s.ns.labels", CHARBUF, NONE, "Namespace labels."),
            FieldDef.unfilled("k8s.pod.name", CHARBUF, NONE, "Pod name."),
            FieldDef.unfilled("k8s.pod.id", CHARBUF, NONE, "Pod id."),
            FieldDef.unfilled("k8s.pod.uid", CHARBUF, NONE, "Pod uid."),
            FieldDef.unfilled("k8s.pod.label", CHARBUF, KEY, "Pod label."),
            FieldDef.unfilled("k8s.pod.labels", CHARBUF, NONE, "Pod labels."),
            FieldDef.unfilled("k8s.pod.ip", IPADDR, NONE, "Pod IP."),
            FieldDef.unfilled("k8s.pod.cni.json", CHARBUF, NONE, "Pod CNI result."),
            FieldDef.unfilled("k8s.rc.name", CHARBUF, NONE, "Replication controller name."),
            FieldDef.unfilled("k8s.rs.name", CHARBUF, NONE, "Replica set name."),
            FieldDef.unfilled("k8s.svc.name", CHARBUF, NONE, "Service name."),
            FieldDef.unfilled("k8s.deployment.name", CHARBUF, NONE, "Deployment name."),
            FieldDef.unfilled("k8s.deployment.id", CHARBUF, NONE, "Deployment id."));

    @Override public String name() { return "k8s"; }

    @Override public List<FieldDef> fields() { return FIELDS; }

    @Override
    public BoundField bind(FieldDef f, String arg) {
        throw Args.unbound(f);
    }
}
