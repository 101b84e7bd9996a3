package io.ugnos.sql.session;

import org.apache.calcite.avatica.AvaticaResultSet;
import org.apache.calcite.avatica.ColumnMetaData;
import org.apache.calcite.avatica.util.Cursor;
import org.apache.calcite.avatica.util.DateTimeUtils;

import java.lang.reflect.Field;
import java.sql.ResultSet;
import java.sql.Types;
import java.time.ZoneOffset;
import java.util.Calendar;
import java.util.List;
import java.util.TimeZone;

/**
 * Puts a {@link UtcTimestampAccessor} in front of Avatica's accessor of every {@code TIMESTAMP}
 * column of a query's result set, so that {@code getTimestamp} and {@code getObject} skip Avatica's
 * calendar arithmetic (hundreds of ns a value; 28% of high-cpu-all's time in an earlier profile).
 * Results are unchanged: it is done only when the zones Avatica's conversion consults are UTC
 * (ugnos's session zone, and the JVM default the benchmark and servers run in); otherwise the
 * result set is left as it is.
 *
 * <p>Avatica keeps the accessors in a protected list of {@link AvaticaResultSet}, filled when the
 * statement executes; they are replaced there, by reflection, since Calcite's result-set factory
 * cannot be extended from outside its package.
 */
final class TimestampAccessors {
    private static final Field ACCESSORS = field("accessorList");
    private static final Field CALENDAR = field("localCalendar");
    private static final Field COLUMNS = field("columnMetaDataList");
    /** The last JVM default zone checked, and whether it is UTC (the default rarely changes). */
    private static volatile ZoneCheck lastDefault = new ZoneCheck("", 0, false);

    private record ZoneCheck(String id, int rawOffset, boolean utc) {
    }

    private TimestampAccessors() {
    }

    private static Field field(String name) {
        try {
            Field f = AvaticaResultSet.class.getDeclaredField(name);
            f.setAccessible(true);
            return f;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null; // another Avatica version: result sets keep Avatica's accessors
        }
    }

    /** Installs the fast accessors in {@code rs} when it is Avatica's and the zones allow; returns {@code rs}. */
    static ResultSet install(ResultSet rs) {
        if (!(rs instanceof AvaticaResultSet avatica) || ACCESSORS == null || CALENDAR == null || COLUMNS == null
                || !isUtc(DateTimeUtils.DEFAULT_ZONE) || !defaultZoneIsUtc()) {
            return rs;
        }
        try {
            @SuppressWarnings("unchecked")
            List<Cursor.Accessor> accessors = (List<Cursor.Accessor>) ACCESSORS.get(avatica);
            Calendar session = (Calendar) CALENDAR.get(avatica);
            @SuppressWarnings("unchecked")
            List<ColumnMetaData> columns = (List<ColumnMetaData>) COLUMNS.get(avatica);
            if (accessors == null || columns == null || session == null || !isUtc(session.getTimeZone())) {
                return rs;
            }
            for (int i = 0; i < accessors.size() && i < columns.size(); i++) {
                Cursor.Accessor a = accessors.get(i);
                if (!(a instanceof UtcTimestampAccessor) && isMillisTimestamp(columns.get(i))) {
                    accessors.set(i, new UtcTimestampAccessor(a, session));
                }
            }
        } catch (IllegalAccessException | RuntimeException e) {
            // the accessors stay Avatica's, which give the same values
        }
        return rs;
    }

    /** How many columns of {@code rs} read through a {@link UtcTimestampAccessor} (for tests). */
    static int installedColumns(ResultSet rs) throws IllegalAccessException {
        if (!(rs instanceof AvaticaResultSet) || ACCESSORS == null) {
            return 0;
        }
        @SuppressWarnings("unchecked")
        List<Cursor.Accessor> accessors = (List<Cursor.Accessor>) ACCESSORS.get(rs);
        return (int) accessors.stream().filter(a -> a instanceof UtcTimestampAccessor).count();
    }

    /** A TIMESTAMP column carried as a number of milliseconds: the columns Avatica gives a TimestampFromNumberAccessor. */
    private static boolean isMillisTimestamp(ColumnMetaData c) {
        if (c.type.id != Types.TIMESTAMP) {
            return false;
        }
        return switch (c.type.rep) {
            case PRIMITIVE_LONG, LONG, NUMBER -> true;
            default -> false;
        };
    }

    private static boolean defaultZoneIsUtc() {
        TimeZone zone = TimeZone.getDefault();
        ZoneCheck last = lastDefault;
        if (!last.id().equals(zone.getID()) || last.rawOffset() != zone.getRawOffset()) {
            last = new ZoneCheck(zone.getID(), zone.getRawOffset(), isUtc(zone));
            lastDefault = last;
        }
        return last.utc();
    }

    /** Whether {@code zone} is UTC at every instant (a fixed offset of zero, no history). */
    static boolean isUtc(TimeZone zone) {
        if (zone.getRawOffset() != 0 || zone.useDaylightTime()) {
            return false;
        }
        var rules = zone.toZoneId().getRules();
        return rules.isFixedOffset() && rules.getOffset(java.time.Instant.EPOCH).equals(ZoneOffset.UTC);
    }
}
