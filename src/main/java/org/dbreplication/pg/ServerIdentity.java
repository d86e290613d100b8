package org.dbreplication.pg;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Which database a connection really reaches, whatever host name, address or port the URL used: the server's start
 * time (to the microsecond) plus the database's name and OID. Two URLs with the same identity are the same database.
 */
public record ServerIdentity(String postmasterStart, String database, long databaseOid) {

    public static ServerIdentity of(Connection connection) throws SQLException {
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT pg_catalog.pg_postmaster_start_time()::text, current_database(),"
                        + " (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database())")) {
            rs.next();
            return new ServerIdentity(rs.getString(1), rs.getString(2), rs.getLong(3));
        }
    }
}
