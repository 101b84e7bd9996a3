package io.ugnos.engine.index;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A condition on the tags of a point, evaluated once per tag set through the inverted index.
 *
 * <p>Semantics are two-valued at the level of tag sets: {@link Eq}, {@link NotEq}, {@link In} and
 * {@link NotIn} match only tag sets that <em>have</em> the key (as SQL's {@code =}, {@code <>},
 * {@code IN}, {@code NOT IN} do with NULL); {@link Missing} and {@link Present} test the key itself;
 * {@link Not} is the plain complement.
 *
 * <pre>{@code
 * TagPredicate p = TagPredicate.and(TagPredicate.eq("region", "eu"), TagPredicate.in("host", Set.of("a", "b")));
 * }</pre>
 */
public sealed interface TagPredicate {
    TagPredicate ALL = new True();

    record True() implements TagPredicate {
        @Override
        public String toString() {
            return "true";
        }
    }

    record Eq(String key, String value) implements TagPredicate {
        @Override
        public String toString() {
            return key + " = '" + value + "'";
        }
    }

    record NotEq(String key, String value) implements TagPredicate {
        @Override
        public String toString() {
            return key + " <> '" + value + "'";
        }
    }

    record In(String key, Set<String> values) implements TagPredicate {
        public In {
            values = Set.copyOf(values);
        }

        @Override
        public String toString() {
            return key + " IN " + quoted(values);
        }
    }

    record NotIn(String key, Set<String> values) implements TagPredicate {
        public NotIn {
            values = Set.copyOf(values);
        }

        @Override
        public String toString() {
            return key + " NOT IN " + quoted(values);
        }
    }

    /** Values of {@code key} that start with {@code prefix} (SQL {@code LIKE 'prefix%'}). */
    record Prefix(String key, String prefix) implements TagPredicate {
        @Override
        public String toString() {
            return key + " LIKE '" + prefix + "%'";
        }
    }

    record Missing(String key) implements TagPredicate {
        @Override
        public String toString() {
            return key + " IS NULL";
        }
    }

    record Present(String key) implements TagPredicate {
        @Override
        public String toString() {
            return key + " IS NOT NULL";
        }
    }

    record And(List<TagPredicate> terms) implements TagPredicate {
        public And {
            terms = List.copyOf(terms);
        }

        @Override
        public String toString() {
            return join(" AND ", terms);
        }
    }

    record Or(List<TagPredicate> terms) implements TagPredicate {
        public Or {
            terms = List.copyOf(terms);
        }

        @Override
        public String toString() {
            return join(" OR ", terms);
        }
    }

    record Not(TagPredicate term) implements TagPredicate {
        public Not {
            Objects.requireNonNull(term);
        }

        @Override
        public String toString() {
            return "NOT (" + term + ")";
        }
    }

    static TagPredicate eq(String key, String value) {
        return new Eq(key, value);
    }

    static TagPredicate notEq(String key, String value) {
        return new NotEq(key, value);
    }

    static TagPredicate in(String key, Set<String> values) {
        return new In(key, values);
    }

    static TagPredicate notIn(String key, Set<String> values) {
        return new NotIn(key, values);
    }

    static TagPredicate missing(String key) {
        return new Missing(key);
    }

    static TagPredicate present(String key) {
        return new Present(key);
    }

    static TagPredicate and(TagPredicate... terms) {
        return new And(List.of(terms));
    }

    static TagPredicate or(TagPredicate... terms) {
        return new Or(List.of(terms));
    }

    static TagPredicate not(TagPredicate term) {
        return new Not(term);
    }

    /** Evaluates this predicate on one tag set directly (the reference the index must agree with). */
    default boolean test(TagSet tags) {
        if (this instanceof True) {
            return true;
        } else if (this instanceof Eq p) {
            return p.value().equals(tags.get(p.key()));
        } else if (this instanceof NotEq p) {
            String v = tags.get(p.key());
            return v != null && !v.equals(p.value());
        } else if (this instanceof In p) {
            String v = tags.get(p.key());
            return v != null && p.values().contains(v);
        } else if (this instanceof NotIn p) {
            String v = tags.get(p.key());
            return v != null && !p.values().contains(v);
        } else if (this instanceof Prefix p) {
            String v = tags.get(p.key());
            return v != null && v.startsWith(p.prefix());
        } else if (this instanceof Missing p) {
            return tags.get(p.key()) == null;
        } else if (this instanceof Present p) {
            return tags.get(p.key()) != null;
        } else if (this instanceof And p) {
            return p.terms().stream().allMatch(t -> t.test(tags));
        } else if (this instanceof Or p) {
            return p.terms().stream().anyMatch(t -> t.test(tags));
        } else if (this instanceof Not p) {
            return !p.term().test(tags);
        }
        throw new AssertionError(this);
    }

    private static String quoted(Set<String> values) {
        return values.stream().sorted().map(v -> "'" + v + "'").collect(java.util.stream.Collectors.joining(", ", "(", ")"));
    }

    private static String join(String op, List<TagPredicate> terms) {
        return terms.stream().map(t -> "(" + t + ")").collect(java.util.stream.Collectors.joining(op));
    }
}
