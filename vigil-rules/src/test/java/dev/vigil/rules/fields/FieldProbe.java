package dev.vigil.rules.fields;

import dev.vigil.event.Event;
import dev.vigil.rules.testing.TestEngine;

/** Reads one field of one event, as rendered in outputs (null for no value). */
final class FieldProbe {
    private static final FieldCatalog CATALOG = FieldCatalog.standard();

    private FieldProbe() {}

    static String value(String field, Event e) {
        String name = field;
        String arg = null;
        int b = field.indexOf('[');
        if (b > 0) {
            name = field.substring(0, b);
            arg = field.substring(b + 1, field.length() - 1);
        }
        EvalContext c = new EvalContext(TestEngine.USERS, "test-host");
        c.reset(e, 0);
        return CATALOG.bind(name, arg).render(c);
    }

    static Object json(String field, Event e) {
        EvalContext c = new EvalContext(TestEngine.USERS, "test-host");
        c.reset(e, 0);
        return CATALOG.bind(field, null).jsonValue(c);
    }
}
