package io.ugnos.sql;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.time.DateTimeException;
import java.time.LocalDateTime;

import static org.assertj.core.api.Assertions.assertThat;

/** LiteralLifter's fast reading of TIMESTAMP literals agrees with its formatter on every text. */
class TimestampLiteralPropertiesTest {

    @Property(tries = 3000)
    void readsEveryTextAsTheFormatterDoes(@ForAll("timestampLike") String text) {
        LocalDateTime expected;
        try {
            expected = LocalDateTime.parse(text, LiteralLifter.TIMESTAMP);
        } catch (DateTimeException rejected) {
            expected = null;
        }
        LocalDateTime actual;
        try {
            actual = LiteralLifter.timestamp(text);
        } catch (DateTimeException rejected) {
            actual = null;
        }
        assertThat(actual).as(text).isEqualTo(expected);
    }

    /** Texts in and near the usual form: valid and invalid fields (Feb 30, 24:00), odd separators and lengths. */
    @Provide
    Arbitrary<String> timestampLike() {
        Arbitrary<String> twoDigits = Arbitraries.integers().between(0, 99).map(i -> String.format("%02d", i));
        Arbitrary<String> year = Arbitraries.oneOf(Arbitraries.integers().between(0, 9999).map(i -> String.format("%04d", i)),
                Arbitraries.of("1970", "2000", "2024", "2026", "+2026", "20266", "202"));
        Arbitrary<String> fraction = Arbitraries.oneOf(Arbitraries.just(""), Arbitraries.just("."),
                Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(5).map(d -> "." + d));
        Arbitrary<String> separator = Arbitraries.of(" ", " ", " ", "T", "  ");
        Arbitrary<String> usual = net.jqwik.api.Combinators.combine(year, twoDigits, twoDigits, separator, twoDigits, twoDigits, twoDigits, fraction)
                .as((y, mo, d, sep, h, mi, s, f) -> y + "-" + mo + "-" + d + sep + h + ":" + mi + ":" + s + f);
        Arbitrary<String> noise = Arbitraries.strings().withChars("0123456789-: .xT").ofMinLength(0).ofMaxLength(25);
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(8, usual), net.jqwik.api.Tuple.of(1, noise));
    }
}
