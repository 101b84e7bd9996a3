package io.ugnos.sql;

import io.ugnos.engine.index.TagPredicate;
import io.ugnos.engine.index.TagSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.calcite.runtime.SqlFunctions;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The engine's LIKE on tag values ({@link TagPredicate#like}, a prefix range or a pattern) answers
 * exactly as Calcite's LIKE does when it evaluates the same predicate row by row, which is what a
 * query gets when the predicate is not pushed down: the same matches, and an error for the same
 * patterns.
 */
class LikePushdownPropertiesTest {
    /** Wildcards, the escape characters drawn below, regex metacharacters and a line break. */
    private static final String CHARS = "ab%_!\\.*$\n";

    @Property(tries = 5000)
    void matchesAsCalciteDoes(@ForAll("patterns") String pattern, @ForAll("values") String value,
                              @ForAll("escapes") String escape) {
        check(pattern, value, escape, true);
    }

    /** ILIKE, on values in upper case so that the patterns' lower-case letters test the case folding. */
    @Property(tries = 3000)
    void ilikeMatchesAsCalciteDoes(@ForAll("patterns") String pattern, @ForAll("values") String value,
                                   @ForAll("escapes") String escape) {
        check(pattern, value.toUpperCase(java.util.Locale.ROOT), escape, false);
    }

    private static void check(String pattern, String value, String escape, boolean caseSensitive) {
        SqlFunctions.LikeFunction calcite = new SqlFunctions.LikeFunction();
        Boolean expected;
        try {
            expected = caseSensitive
                    ? escape.isEmpty() ? calcite.like(value, pattern) : calcite.like(value, pattern, escape)
                    : escape.isEmpty() ? calcite.ilike(value, pattern) : calcite.ilike(value, pattern, escape);
        } catch (RuntimeException invalid) {
            expected = null;
        }
        Boolean actual;
        try {
            char e = escape.isEmpty() ? TagPredicate.Like.NO_ESCAPE : escape.charAt(0);
            TagPredicate p = caseSensitive ? TagPredicate.like("k", pattern, e) : TagPredicate.ilike("k", pattern, e);
            actual = p.test(TagSet.of("k", value));
            assertThat(p.test(TagSet.of("other", value))).as("a tag set without the key never matches").isFalse();
        } catch (IllegalArgumentException invalid) {
            actual = null;
        }
        assertThat(actual).as("'%s' %s '%s' ESCAPE '%s'", value, caseSensitive ? "LIKE" : "ILIKE", pattern, escape)
                .isEqualTo(expected);
    }

    @Provide
    Arbitrary<String> patterns() {
        return Arbitraries.strings().withChars(CHARS).ofMinLength(0).ofMaxLength(7);
    }

    /** Values, often built from a pattern's own characters so that matches are common. */
    @Provide
    Arbitrary<String> values() {
        return Arbitraries.strings().withChars("ab%_!\\.\n").ofMinLength(0).ofMaxLength(7);
    }

    /** No escape, the usual ones, and a letter (so that an escaped letter, which SQL rejects, occurs). */
    @Provide
    Arbitrary<String> escapes() {
        return Arbitraries.of("", "!", "\\", "a", "%");
    }
}
