package dev.vigil.rules.compile;

import dev.vigil.rules.fields.BoundField;
import dev.vigil.rules.fields.EvalContext;
import dev.vigil.rules.fields.FieldType;
import dev.vigil.rules.fields.ListExtractor;
import dev.vigil.rules.fields.NumExtractor;
import dev.vigil.rules.fields.StrExtractor;
import dev.vigil.rules.lang.CmpOp;
import dev.vigil.rules.lang.Pos;
import dev.vigil.rules.load.ProblemCode;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Builds the predicate for one comparison of a bound field with constant values, per field kind. Values are
 * parsed here, once; the predicates compare without allocating (regex, b64 and transformers excepted).
 */
final class Comparators {
    private Comparators() {}

    static final Set<CmpOp> STRING_OPS = EnumSet.of(CmpOp.EQ, CmpOp.EQEQ, CmpOp.NE, CmpOp.CONTAINS, CmpOp.ICONTAINS,
            CmpOp.BCONTAINS, CmpOp.STARTSWITH, CmpOp.BSTARTSWITH, CmpOp.ENDSWITH, CmpOp.GLOB, CmpOp.IGLOB, CmpOp.REGEX,
            CmpOp.IN, CmpOp.INTERSECTS, CmpOp.PMATCH, CmpOp.EXISTS);
    static final Set<CmpOp> NUMBER_OPS = EnumSet.of(CmpOp.EQ, CmpOp.EQEQ, CmpOp.NE, CmpOp.LT, CmpOp.LE, CmpOp.GT,
            CmpOp.GE, CmpOp.IN, CmpOp.INTERSECTS, CmpOp.EXISTS);
    static final Set<CmpOp> BOOL_OPS = EnumSet.of(CmpOp.EQ, CmpOp.EQEQ, CmpOp.NE, CmpOp.IN, CmpOp.INTERSECTS, CmpOp.EXISTS);
    static final Set<CmpOp> IP_OPS = EnumSet.of(CmpOp.EQ, CmpOp.EQEQ, CmpOp.NE, CmpOp.IN, CmpOp.INTERSECTS, CmpOp.EXISTS);
    static final Set<CmpOp> BYTES_OPS = EnumSet.of(CmpOp.EQ, CmpOp.EQEQ, CmpOp.NE, CmpOp.CONTAINS, CmpOp.BCONTAINS,
            CmpOp.BSTARTSWITH, CmpOp.EXISTS);
    static final Set<CmpOp> LIST_OPS = EnumSet.of(CmpOp.EQ, CmpOp.EQEQ, CmpOp.NE, CmpOp.IN, CmpOp.INTERSECTS,
            CmpOp.CONTAINS, CmpOp.EXISTS);

    static Set<CmpOp> allowed(FieldType.Kind kind) {
        return switch (kind) {
            case STRING -> STRING_OPS;
            case NUMBER -> NUMBER_OPS;
            case BOOL -> BOOL_OPS;
            case IP, NET -> IP_OPS;
            case BYTES -> BYTES_OPS;
            case LIST -> LIST_OPS;
        };
    }

    /** {@code field exists}. */
    static EventPredicate exists(BoundField f) {
        if (f.str() != null) {
            StrExtractor e = f.str();
            return c -> e.get(c) != null;
        }
        if (f.num() != null) {
            NumExtractor e = f.num();
            return c -> e.get(c) != NumExtractor.NO_VALUE;
        }
        ListExtractor l = f.list();
        return c -> l.size(c) > 0;
    }

    /** A comparison of {@code f} (of kind {@code kind}) with constant {@code values} (one for scalar operators). */
    static EventPredicate compare(BoundField f, FieldType.Kind kind, CmpOp op, List<String> values, Pos vpos) {
        return switch (kind) {
            case STRING, LIST -> strings(f, op, values, vpos);
            case BYTES -> bytes(f, op, values, vpos);
            case NUMBER -> numbers(f, op, parseNums(values, vpos, f), vpos);
            case BOOL -> numbers(f, op, parseBools(values, vpos, f), vpos);
            case IP, NET -> ips(f, kind, op, values, vpos);
        };
    }

    // ---- strings

    /** A test on one string value. */
    @FunctionalInterface
    interface StrTest { boolean test(String v); }

    static StrTest stringTest(CmpOp op, List<String> values, Pos vpos) {
        String lit = values.isEmpty() ? "" : values.getFirst();
        return switch (op) {
            case EQ, EQEQ -> lit::equals;
            case NE -> v -> !lit.equals(v);
            case CONTAINS -> v -> v.contains(lit);
            case ICONTAINS -> {
                int n = lit.length();
                yield v -> {
                    for (int i = 0, max = v.length() - n; i <= max; i++) if (v.regionMatches(true, i, lit, 0, n)) return true;
                    return false;
                };
            }
            case BCONTAINS, BSTARTSWITH -> {
                String needle = new String(hex(lit, vpos), StandardCharsets.UTF_8);
                yield op == CmpOp.BCONTAINS ? v -> v.contains(needle) : v -> v.startsWith(needle);
            }
            case STARTSWITH -> v -> v.startsWith(lit);
            case ENDSWITH -> v -> v.endsWith(lit);
            case GLOB, IGLOB -> {
                Glob g = new Glob(lit, op == CmpOp.IGLOB);
                yield g::matches;
            }
            case REGEX -> {
                Pattern p;
                try { p = Pattern.compile(lit); } catch (PatternSyntaxException e) {
                    throw new CompileError(vpos, ProblemCode.BAD_VALUE, "invalid regex '" + lit + "': " + e.getDescription());
                }
                yield v -> p.matcher(v).matches();
            }
            case IN, INTERSECTS -> {
                if (values.size() <= 6) {
                    String[] arr = values.toArray(String[]::new);
                    yield v -> {
                        for (String s : arr) if (s.equals(v)) return true;
                        return false;
                    };
                }
                Set<String> set = new HashSet<>(values);
                yield set::contains;
            }
            case PMATCH -> {
                String[] prefixes = values.stream().map(s -> s.length() > 1 && s.endsWith("/") ? s.substring(0, s.length() - 1) : s)
                        .toArray(String[]::new);
                yield v -> {
                    for (String p : prefixes) {
                        if (v.startsWith(p) && (v.length() == p.length() || v.charAt(p.length()) == '/' || p.equals("/"))) return true;
                    }
                    return false;
                };
            }
            case LT, LE, GT, GE, EXISTS -> throw new CompileError(vpos, ProblemCode.BAD_OPERATOR, "operator '" + op.token() + "' does not apply to strings");
        };
    }

    private static EventPredicate strings(BoundField f, CmpOp op, List<String> values, Pos vpos) {
        if (f.region() != null) {
            EventPredicate p = regions(f, op, values);
            if (p != null) return p;
        }
        if (op == CmpOp.NE) {
            if (f.str() != null) {
                StrExtractor e = f.str();
                String lit = values.isEmpty() ? "" : values.getFirst();
                return c -> {
                    String v = e.get(c);
                    return v != null && !lit.equals(v);
                };
            }
            EventPredicate eq = strings(f, CmpOp.EQ, values, vpos);
            EventPredicate has = exists(f);
            return c -> has.test(c) && !eq.test(c);
        }
        StrTest t = stringTest(op, values, vpos);
        if (f.str() != null) {
            EventPredicate inlined = inlined(f.str(), op, values);
            if (inlined != null) return inlined;
        }
        return onStrings(f, t);
    }

    /**
     * The common string comparisons with the operator written inside the predicate, so evaluating one costs
     * a single call through the extractor instead of two megamorphic calls (extractor, then test).
     */
    private static EventPredicate inlined(StrExtractor e, CmpOp op, List<String> values) {
        String lit = values.isEmpty() ? "" : values.getFirst();
        return switch (op) {
            case EQ, EQEQ -> c -> {
                String v = e.get(c);
                return v != null && lit.equals(v);
            };
            case STARTSWITH -> c -> {
                String v = e.get(c);
                return v != null && v.startsWith(lit);
            };
            case ENDSWITH -> c -> {
                String v = e.get(c);
                return v != null && v.endsWith(lit);
            };
            case CONTAINS -> c -> {
                String v = e.get(c);
                return v != null && v.contains(lit);
            };
            case IN, INTERSECTS -> {
                if (values.size() == 1) {
                    yield c -> {
                        String v = e.get(c);
                        return v != null && lit.equals(v);
                    };
                }
                if (values.size() <= 4) {
                    String[] arr = values.toArray(String[]::new);
                    yield c -> {
                        String v = e.get(c);
                        if (v == null) return false;
                        for (String x : arr) if (x.equals(v)) return true;
                        return false;
                    };
                }
                HashSet<String> set = new HashSet<>(values);
                yield c -> {
                    String v = e.get(c);
                    return v != null && set.contains(v);
                };
            }
            default -> null;
        };
    }

    /** A test on the region [s, e) of b. */
    @FunctionalInterface
    interface RegionTest { boolean test(String b, int s, int e); }

    /** Region comparisons (no substring) for the operators that allow it; null for the others. */
    private static EventPredicate regions(BoundField f, CmpOp op, List<String> values) {
        if (op == CmpOp.NE) {
            EventPredicate eq = regions(f, CmpOp.EQ, values);
            var r = f.region();
            return c -> r.base(c) != null && !eq.test(c);
        }
        String lit = values.isEmpty() ? "" : values.getFirst();
        int n = lit.length();
        RegionTest t = switch (op) {
            case EQ, EQEQ -> (b, s, e) -> e - s == n && b.regionMatches(s, lit, 0, n);
            case STARTSWITH -> (b, s, e) -> e - s >= n && b.regionMatches(s, lit, 0, n);
            case ENDSWITH -> (b, s, e) -> e - s >= n && b.regionMatches(e - n, lit, 0, n);
            case CONTAINS -> (b, s, e) -> {
                int i = b.indexOf(lit, s);
                return i >= 0 && i + n <= e;
            };
            case IN, INTERSECTS -> inRegion(values);
            case PMATCH -> {
                String[] prefixes = values.stream().map(v -> v.length() > 1 && v.endsWith("/") ? v.substring(0, v.length() - 1) : v)
                        .toArray(String[]::new);
                yield (b, s, e) -> {
                    for (String p : prefixes) {
                        int m = p.length();
                        if (e - s >= m && b.regionMatches(s, p, 0, m)
                                && (e - s == m || b.charAt(s + m) == '/' || p.equals("/"))) return true;
                    }
                    return false;
                };
            }
            default -> null;
        };
        if (t == null) return null;
        var r = f.region();
        return c -> {
            String b = r.base(c);
            return b != null && t.test(b, r.start(c, b), r.end(c, b));
        };
    }

    /** Set membership of a region: String hash codes computed over the region, binary search, then compare. */
    private static RegionTest inRegion(List<String> values) {
        String[] vals = values.stream().distinct().sorted(java.util.Comparator.comparingInt(String::hashCode)).toArray(String[]::new);
        int[] hashes = new int[vals.length];
        for (int i = 0; i < vals.length; i++) hashes[i] = vals[i].hashCode();
        return (b, s, e) -> {
            int h = 0;
            for (int i = s; i < e; i++) h = 31 * h + b.charAt(i);
            int i = java.util.Arrays.binarySearch(hashes, h);
            if (i < 0) return false;
            while (i > 0 && hashes[i - 1] == h) i--;
            for (; i < hashes.length && hashes[i] == h; i++) {
                String v = vals[i];
                if (v.length() == e - s && b.regionMatches(s, v, 0, e - s)) return true;
            }
            return false;
        };
    }

    static EventPredicate onStrings(BoundField f, StrTest t) {
        if (f.str() != null) {
            StrExtractor e = f.str();
            return c -> {
                String v = e.get(c);
                return v != null && t.test(v);
            };
        }
        if (f.list() != null) {
            ListExtractor l = f.list();
            return c -> {
                for (int i = 0, n = l.size(c); i < n; i++) {
                    String v = l.get(c, i);
                    if (v != null && t.test(v)) return true;
                }
                return false;
            };
        }
        throw new IllegalStateException("string comparison on numeric field " + f.text());
    }

    private static EventPredicate bytes(BoundField f, CmpOp op, List<String> values, Pos vpos) {
        CmpOp o = op == CmpOp.CONTAINS ? CmpOp.CONTAINS : op;
        return strings(f, o, values, vpos);
    }

    private static byte[] hex(String s, Pos vpos) {
        try {
            return HexFormat.of().parseHex(s);
        } catch (IllegalArgumentException e) {
            throw new CompileError(vpos, ProblemCode.BAD_VALUE, "'" + s + "' is not a hexadecimal byte string");
        }
    }

    // ---- numbers and booleans

    static long[] parseNums(List<String> values, Pos vpos, BoundField f) {
        long[] out = new long[values.size()];
        for (int i = 0; i < out.length; i++) {
            Long v = parseNum(values.get(i));
            if (v == null) {
                throw new CompileError(vpos, ProblemCode.BAD_VALUE, "'" + values.get(i) + "' is not a number, but field '"
                        + f.text() + "' is numeric (" + f.def().type().display() + ")");
            }
            out[i] = v;
        }
        return out;
    }

    static Long parseNum(String s) {
        String t = s.trim();
        try {
            if (t.startsWith("0x") || t.startsWith("0X")) return Long.parseUnsignedLong(t.substring(2), 16);
            if (t.contains(".") || t.contains("e") || t.contains("E")) return (long) Double.parseDouble(t);
            return Long.parseLong(t.startsWith("+") ? t.substring(1) : t);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static long[] parseBools(List<String> values, Pos vpos, BoundField f) {
        long[] out = new long[values.size()];
        for (int i = 0; i < out.length; i++) {
            String v = values.get(i).trim().toLowerCase(java.util.Locale.ROOT);
            out[i] = switch (v) {
                case "true", "1" -> 1;
                case "false", "0" -> 0;
                default -> throw new CompileError(vpos, ProblemCode.BAD_VALUE, "'" + values.get(i)
                        + "' is not a boolean (true or false) for field '" + f.text() + "'");
            };
        }
        return out;
    }

    @FunctionalInterface
    interface NumTest { boolean test(long v); }

    static NumTest numTest(CmpOp op, long[] vals, Pos vpos) {
        long lit = vals.length == 0 ? 0 : vals[0];
        return switch (op) {
            case EQ, EQEQ -> v -> v == lit;
            case NE -> v -> v != lit;
            case LT -> v -> v < lit;
            case LE -> v -> v <= lit;
            case GT -> v -> v > lit;
            case GE -> v -> v >= lit;
            case IN, INTERSECTS -> v -> {
                for (long x : vals) if (x == v) return true;
                return false;
            };
            default -> throw new CompileError(vpos, ProblemCode.BAD_OPERATOR, "operator '" + op.token() + "' does not apply to numbers");
        };
    }

    private static EventPredicate numbers(BoundField f, CmpOp op, long[] vals, Pos vpos) {
        if (op == CmpOp.NE && f.list() != null) {
            EventPredicate eq = numbers(f, CmpOp.EQ, vals, vpos);
            EventPredicate has = exists(f);
            return c -> has.test(c) && !eq.test(c);
        }
        NumTest t = numTest(op, vals, vpos);
        if (f.num() != null) {
            NumExtractor e = f.num();
            long lit = vals.length == 0 ? 0 : vals[0];
            switch (op) {
                case EQ, EQEQ -> {
                    return c -> {
                        long v = e.get(c);
                        return v != NumExtractor.NO_VALUE && v == lit;
                    };
                }
                case NE -> {
                    return c -> {
                        long v = e.get(c);
                        return v != NumExtractor.NO_VALUE && v != lit;
                    };
                }
                case GE -> {
                    return c -> {
                        long v = e.get(c);
                        return v != NumExtractor.NO_VALUE && v >= lit;
                    };
                }
                default -> { }
            }
            return c -> {
                long v = e.get(c);
                return v != NumExtractor.NO_VALUE && t.test(v);
            };
        }
        if (f.list() != null) {
            ListExtractor l = f.list();
            return c -> {
                for (int i = 0, n = l.size(c); i < n; i++) {
                    String s = l.get(c, i);
                    if (s == null) continue;
                    long v;
                    try { v = Long.parseLong(s); } catch (NumberFormatException e) { continue; }
                    if (t.test(v)) return true;
                }
                return false;
            };
        }
        StrExtractor e = f.str();
        return c -> {
            String s = e.get(c);
            if (s == null) return false;
            try { return t.test(Long.parseLong(s)); } catch (NumberFormatException x) { return false; }
        };
    }

    // ---- addresses

    private static EventPredicate ips(BoundField f, FieldType.Kind kind, CmpOp op, List<String> values, Pos vpos) {
        IpNet[] nets = new IpNet[values.size()];
        for (int i = 0; i < nets.length; i++) {
            nets[i] = IpNet.parse(values.get(i).trim());
            if (nets[i] == null) {
                throw new CompileError(vpos, ProblemCode.BAD_VALUE, "'" + values.get(i) + "' is not an IP address"
                        + (kind == FieldType.Kind.NET ? " or network (a.b.c.d/n)" : "") + " for field '" + f.text() + "'");
            }
        }
        if (op == CmpOp.NE) {
            EventPredicate eq = ips(f, kind, CmpOp.EQ, values, vpos);
            EventPredicate has = exists(f);
            return c -> has.test(c) && !eq.test(c);
        }
        if (f.str() != null) {
            StrExtractor e = f.str();
            return c -> {
                String v = e.get(c);
                return v != null && inAny(c, v, nets);
            };
        }
        ListExtractor l = f.list();
        return c -> {
            for (int i = 0, n = l.size(c); i < n; i++) {
                String v = l.get(c, i);
                if (v != null && inAny(c, v, nets)) return true;
            }
            return false;
        };
    }

    private static boolean inAny(EvalContext c, String v, IpNet[] nets) {
        int len = c.ipParse(v);
        if (len < 0) return false;
        byte[] buf = c.ipBytes(v);
        for (IpNet n : nets) if (n.contains(buf, len)) return true;
        return false;
    }
}
