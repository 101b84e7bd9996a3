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

    /**
     * Values of {@code key} that match the SQL {@code LIKE} {@code pattern}, with Calcite's
     * semantics (which the engine's answers must equal): {@code %} matches any sequence, {@code _}
     * any one character but a line break, and the {@code escape} character makes the {@code %},
     * {@code _} or escape character after it literal; the whole value must match, case-sensitively.
     * Without {@code ESCAPE} the escape character is {@link #NO_ESCAPE}, the NUL character, as in
     * Calcite. Not {@code caseSensitive}, it is {@code ILIKE}: letters match regardless of ASCII case,
     * as Calcite's {@code ILIKE} does. A case-sensitive pattern that is only a prefix and {@code %} is
     * better written as {@link Prefix}.
     *
     * @throws IllegalArgumentException if the escape character ends the pattern or precedes any
     *                                  other character (which SQL rejects too)
     */
    record Like(String key, String pattern, char escape, boolean caseSensitive) implements TagPredicate {
        /** The {@link #escape} of a pattern written without {@code ESCAPE}. */
        public static final char NO_ESCAPE = 0;

        public Like {
            Objects.requireNonNull(key, "key");
            regex(pattern, escape); // validates
        }

        /** The pattern as a Java regular expression for {@link java.util.regex.Matcher#matches()}. */
        public java.util.regex.Pattern regex() {
            return java.util.regex.Pattern.compile(regex(pattern, escape), caseSensitive ? 0 : java.util.regex.Pattern.CASE_INSENSITIVE);
        }

        /**
         * The characters every matching value starts with (up to the first wildcard), so the index
         * is read from there on; none for {@code ILIKE}, whose matches are not one range.
         */
        public String literalPrefix() {
            if (!caseSensitive) {
                return "";
            }
            StringBuilder b = new StringBuilder();
            int end = firstWildcard();
            for (int i = 0; i < end; i++) {
                b.append(pattern.charAt(pattern.charAt(i) == escape ? ++i : i));
            }
            return b.toString();
        }

        /** The index of the first {@code %} or {@code _} that is not escaped; the length if none. */
        int firstWildcard() {
            for (int i = 0; i < pattern.length(); i++) {
                char c = pattern.charAt(i);
                if (c == escape) {
                    i++;
                } else if (c == '%' || c == '_') {
                    return i;
                }
            }
            return pattern.length();
        }

        private static String regex(String pattern, char escape) {
            StringBuilder re = new StringBuilder(pattern.length() * 2);
            StringBuilder literal = new StringBuilder();
            for (int i = 0; i < pattern.length(); i++) {
                char c = pattern.charAt(i);
                if (c == escape) {
                    char next = i + 1 < pattern.length() ? pattern.charAt(i + 1) : 0;
                    if (i + 1 == pattern.length() || (next != '%' && next != '_' && next != escape)) {
                        throw new IllegalArgumentException("invalid escape sequence in LIKE pattern '" + pattern
                                + "' at position " + (i + 1) + ": the escape character '" + escape
                                + "' must be followed by %, _ or itself");
                    }
                    literal.append(next);
                    i++;
                } else if (c == '_' || c == '%') {
                    quoteInto(re, literal);
                    re.append(c == '_' ? "." : "(?s:.*)");
                } else {
                    literal.append(c);
                }
            }
            quoteInto(re, literal);
            return re.toString();
        }

        private static void quoteInto(StringBuilder re, StringBuilder literal) {
            if (!literal.isEmpty()) {
                re.append(java.util.regex.Pattern.quote(literal.toString()));
                literal.setLength(0);
            }
        }

        @Override
        public String toString() {
            return key + (caseSensitive ? " LIKE '" : " ILIKE '") + pattern + "'" + (escape == NO_ESCAPE ? "" : " ESCAPE '" + escape + "'");
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

    /**
     * {@code key LIKE pattern ESCAPE escape}: a {@link Prefix} when the pattern is a literal prefix
     * and one trailing {@code %} (a range of the index), else a {@link Like}.
     *
     * @throws IllegalArgumentException if the pattern misuses the escape character
     */
    static TagPredicate like(String key, String pattern, char escape) {
        Like like = new Like(key, pattern, escape, true);
        boolean prefixOnly = like.firstWildcard() == pattern.length() - 1 && pattern.endsWith("%");
        return prefixOnly ? new Prefix(key, like.literalPrefix()) : like;
    }

    /**
     * {@code key ILIKE pattern ESCAPE escape}: a {@link Like} that ignores ASCII case.
     *
     * @throws IllegalArgumentException if the pattern misuses the escape character
     */
    static TagPredicate ilike(String key, String pattern, char escape) {
        return new Like(key, pattern, escape, false);
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
        } else if (this instanceof Like p) {
            String v = tags.get(p.key());
            return v != null && p.regex().matcher(v).matches();
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
