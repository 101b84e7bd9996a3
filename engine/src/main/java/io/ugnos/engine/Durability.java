package io.ugnos.engine;

/**
 * What a write has survived when {@code Database.write} returns.
 *
 * <ul>
 *   <li>{@link #SYNC}: the batch's WAL record is on stable storage (fsync). Survives a power loss.
 *       Concurrent writers share each fsync (group commit).</li>
 *   <li>{@link #FLUSH}: the record was handed to the operating system with {@code write()}. Survives the
 *       process being killed; a power loss or kernel crash may lose the last moments. The default.</li>
 *   <li>{@link #NONE}: the record sits in an in-process buffer, written out when the buffer fills, at
 *       the next {@code FLUSH}/{@code SYNC} write, a memtable flush or close. A killed process may lose
 *       recent writes; every batch is still all-or-nothing after recovery.</li>
 * </ul>
 */
public enum Durability {
    SYNC, FLUSH, NONE
}
