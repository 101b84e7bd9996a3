package io.ugnos.jdbc.server;

/**
 * Who sent the request being served: the user HTTP authentication established and the role the users
 * file gives, or {@link #ANONYMOUS} when the server runs without a users file.
 *
 * @param name the user name, or null for anonymous
 * @param role what the user may do
 */
record ServerUser(String name, Role role) {
    /** Every client of a server without a users file: no name, and read-write (the server is then open). */
    static final ServerUser ANONYMOUS = new ServerUser(null, Role.READ_WRITE);

    /** The owner key of the connections this user opens. */
    String key() {
        return name == null ? "" : name;
    }

    @Override
    public String toString() {
        return name == null ? "anonymous" : "user '" + name + "'";
    }
}
