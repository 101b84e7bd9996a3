package io.ugnos.sql.session;

import org.apache.calcite.avatica.AvaticaResultSet;
import org.apache.calcite.avatica.ColumnMetaData;
import org.apache.calcite.avatica.util.AbstractCursor;
import org.apache.calcite.avatica.util.Cursor;
import org.apache.calcite.avatica.util.DateTimeUtils;
import org.apache.calcite.avatica.util.IteratorCursor;

import java.lang.reflect.Field;
import java.sql.ResultSet;
import java.sql.Types;
import java.time.ZoneOffset;
import java.util.Calendar;
import java.util.List;
import java.util.TimeZone;

/**
 * Puts faster accessors in front of Avatica's in a query's result set, giving the same values:
 * <ul>
 * <li>a {@link UtcTimestampAccessor} for every {@code TIMESTAMP} column, which skips Avatica's
 *     calendar arithmetic (hundreds of ns a value; 28% of high-cpu-all's time in an earlier
 *     profile). Only when the zones Avatica's conversion consults are UTC (ugnos's session zone,
 *     and the JVM default the benchmark and servers run in);
 * <li>a {@link RowColumnAccessor} for every {@code DOUBLE} and {@code VARCHAR} column read from
 *     list or array rows, which reads the row object directly (unboxed for a scan's fields).
 * </ul>
 * A column whose accessor is not exactly the Avatica class expected keeps Avatica's.
 *
 * <p>Avatica keeps the accessors in a protected list of {@link AvaticaResultSet}, filled when the
 * statement executes; they are replaced there, by reflection, since Calcite's result-set factory
 * cannot be extended from outside its package.
 */
final class ResultAccessors {
    private static final Field ACCESSORS = field(AvaticaResultSet.class, "accessorList");
    private static final Field CALENDAR = field(AvaticaResultSet.class, "localCalendar");
    private static final Field COLUMNS = field(AvaticaResultSet.class, "columnMetaDataList");
    private static final Field CURSOR = field(AvaticaResultSet.class, "cursor");
    private static final Field WAS_NULL = field(AbstractCursor.class, "wasNull");
    private static final Field GETTER = field(nested("AbstractCursor$AccessorImpl"), "getter");
    private static final Field ARRAY_ELEMENT = field(nested("PositionedCursor$ArrayGetter"), "field");
    private static final Field LIST_ELEMENT = field(nested("PositionedCursor$ListGetter"), "index");
    private static final Class<?> DOUBLE_ACCESSOR = nested("AbstractCursor$DoubleAccessor");
    private static final Class<?> STRING_ACCESSOR = nested("AbstractCursor$StringAccessor");
    /** The last JVM default zone checked, and whether it is UTC (the default rarely changes). */
    private static volatile ZoneCheck lastDefault = new ZoneCheck("", 0, false);

    private record ZoneCheck(String id, int rawOffset, boolean utc) {
    }

    private ResultAccessors() {
    }

    private static Field field(Class<?> owner, String name) {
        if (owner == null) {
            return null;
        }
        try {
            Field f = owner.getDeclaredField(name);
            f.setAccessible(true);
            return f;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null; // another Avatica version: result sets keep Avatica's accessors
        }
    }

    /** Avatica's class {@code org.apache.calcite.avatica.util.<name>}, or null. */
    private static Class<?> nested(String name) {
        try {
            return Class.forName("org.apache.calcite.avatica.util." + name, false, AbstractCursor.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }

    /** Installs the faster accessors in {@code rs} where they give the same values; returns {@code rs}. */
    static ResultSet install(ResultSet rs) {
        if (!(rs instanceof AvaticaResultSet avatica) || ACCESSORS == null || COLUMNS == null) {
            return rs;
        }
        try {
            @SuppressWarnings("unchecked")
            List<Cursor.Accessor> accessors = (List<Cursor.Accessor>) ACCESSORS.get(avatica);
            @SuppressWarnings("unchecked")
            List<ColumnMetaData> columns = (List<ColumnMetaData>) COLUMNS.get(avatica);
            if (accessors == null || columns == null) {
                return rs;
            }
            installTimestamps(avatica, accessors, columns);
            installRowColumns(avatica, accessors);
        } catch (IllegalAccessException | RuntimeException e) {
            // the accessors stay Avatica's, which give the same values
        }
        return rs;
    }

    private static void installTimestamps(AvaticaResultSet rs, List<Cursor.Accessor> accessors, List<ColumnMetaData> columns)
            throws IllegalAccessException {
        if (CALENDAR == null || !isUtc(DateTimeUtils.DEFAULT_ZONE) || !defaultZoneIsUtc()) {
            return;
        }
        Calendar session = (Calendar) CALENDAR.get(rs);
        if (session == null || !isUtc(session.getTimeZone())) {
            return;
        }
        for (int i = 0; i < accessors.size() && i < columns.size(); i++) {
            Cursor.Accessor a = accessors.get(i);
            if (!(a instanceof UtcTimestampAccessor) && isMillisTimestamp(columns.get(i))) {
                accessors.set(i, new UtcTimestampAccessor(a, session));
            }
        }
    }

    /**
     * A {@link RowColumnAccessor} for each column whose accessor is Avatica's plain DOUBLE or
     * VARCHAR accessor reading element i of a list or array row from an iterator cursor.
     */
    private static void installRowColumns(AvaticaResultSet rs, List<Cursor.Accessor> accessors) throws IllegalAccessException {
        if (RowColumnAccessor.CURRENT == null || CURSOR == null || WAS_NULL == null || GETTER == null
                || ARRAY_ELEMENT == null || LIST_ELEMENT == null || DOUBLE_ACCESSOR == null || STRING_ACCESSOR == null
                || !(CURSOR.get(rs) instanceof IteratorCursor<?> cursor) || !(WAS_NULL.get(cursor) instanceof boolean[] wasNull)) {
            return;
        }
        for (int i = 0; i < accessors.size(); i++) {
            Cursor.Accessor a = accessors.get(i);
            boolean isDouble = a.getClass() == DOUBLE_ACCESSOR;
            if ((!isDouble && a.getClass() != STRING_ACCESSOR) || element(a) != i) {
                continue;
            }
            accessors.set(i, isDouble ? new RowColumnAccessor.DoubleColumn(a, cursor, i, wasNull)
                    : new RowColumnAccessor.StringColumn(a, cursor, i, wasNull));
        }
    }

    /** The row element that accessor {@code a}'s getter reads, when it is Avatica's list or array getter; else -1. */
    private static int element(Cursor.Accessor a) throws IllegalAccessException {
        Object getter = GETTER.get(a);
        if (getter != null && getter.getClass() == ARRAY_ELEMENT.getDeclaringClass()) {
            return ARRAY_ELEMENT.getInt(getter);
        }
        if (getter != null && getter.getClass() == LIST_ELEMENT.getDeclaringClass()) {
            return LIST_ELEMENT.getInt(getter);
        }
        return -1;
    }

    /** How many columns of {@code rs} read through an accessor of class {@code kind} (for tests). */
    static int installedColumns(ResultSet rs, Class<? extends Cursor.Accessor> kind) throws IllegalAccessException {
        if (!(rs instanceof AvaticaResultSet) || ACCESSORS == null) {
            return 0;
        }
        @SuppressWarnings("unchecked")
        List<Cursor.Accessor> accessors = (List<Cursor.Accessor>) ACCESSORS.get(rs);
        return (int) accessors.stream().filter(kind::isInstance).count();
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
