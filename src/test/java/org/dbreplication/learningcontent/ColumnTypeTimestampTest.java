package org.dbreplication.learningcontent;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The hand-written check of the content API's timestamps accepts only what java.time's ISO parsers accept (the
 * rule it stands in for), and the common forms; everything else is left to those parsers.
 */
class ColumnTypeTimestampTest {

    static final List<String> SAMPLES = List.of(
            "2023-05-04T10:11:12.000Z", "2023-05-04T10:11:12Z", "2023-05-04T10:11:12", "2023-05-04T10:11:12.123456789Z",
            "2023-05-04T10:11:12.5+02:00", "2023-05-04T10:11:12-05:30", "2024-02-29T00:00:00Z", "2023-12-31T23:59:59.999Z",
            // refused by the fast check, some accepted by java.time (left to it)
            "2023-05-04", "2023-05-04T10:11Z", "2023-02-29T00:00:00Z", "2023-13-01T00:00:00Z", "2023-04-31T00:00:00Z",
            "2023-05-04T24:00:00Z", "2023-05-04T10:60:00Z", "2023-05-04T10:11:60Z", "2023-05-04 10:11:12Z",
            "2023-05-04T10:11:12.Z", "2023-05-04T10:11:12.1234567890Z", "2023-05-04T10:11:12+2:00", "2023-05-04T10:11:12+02",
            "2023-05-04T10:11:12+18:00", "2023-05-04T10:11:12ZZ", "0000-01-01T00:00:00Z", "2023-0a-04T10:11:12Z",
            "2023-05-04T1a:11:12Z", "2023-05-04T10:11:12+0a:00", "+12023-05-04T10:11:12Z", "yesterday", "");

    @Test
    void theFastCheckAcceptsOnlyWhatJavaTimeAccepts() {
        for (String sample : SAMPLES) {
            if (ColumnType.isCommonIsoTimestamp(sample)) {
                assertThat(javaTimeAccepts(sample)).as(sample).isTrue();
            }
            assertThat(ColumnType.isTimestamp(sample)).as(sample).isEqualTo(javaTimeAccepts(sample));
        }
        assertThat(SAMPLES.subList(0, 8)).allMatch(ColumnType::isCommonIsoTimestamp);
        assertThat(SAMPLES.subList(8, SAMPLES.size())).noneMatch(ColumnType::isCommonIsoTimestamp);
    }

    static boolean javaTimeAccepts(String text) {
        for (java.util.function.Consumer<String> parser : List.<java.util.function.Consumer<String>>of(
                OffsetDateTime::parse, LocalDateTime::parse, LocalDate::parse)) {
            try {
                parser.accept(text);
                return true;
            } catch (DateTimeParseException no) {
                // the next one
            }
        }
        return false;
    }
}
