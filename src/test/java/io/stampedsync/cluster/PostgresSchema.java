package io.stampedsync.cluster;

import java.util.LinkedHashMap;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A fresh schema in the local PostgreSQL (127.0.0.1:5432, database {@code test}, trust
 * auth) for one test class, so runs never see each other's data. A test class that uses
 * it is {@code @Requires(POSTGRES)}: without PostgreSQL its tests are reported skipped,
 * or fail when {@code CI=true}.
 */
public final class PostgresSchema {

	static final String HOST = "127.0.0.1:5432";

	static final String DATABASE = "test";

	final String name = "s_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);

	final String user;

	private PostgresSchema(String user) {
		this.user = user;
	}

	public static PostgresSchema create() {
		List<String> errors = new ArrayList<>();
		for (String user : List.of("postgres", "root")) {
			try (Connection connection = DriverManager.getConnection(jdbcUrl(null), user, "")) {
				PostgresSchema schema = new PostgresSchema(user);
				try (Statement statement = connection.createStatement()) {
					statement.execute("CREATE SCHEMA " + schema.name);
				}
				return schema;
			}
			catch (SQLException ex) {
				errors.add(user + ": " + ex.getMessage());
			}
		}
		throw new IllegalStateException("PostgreSQL on " + HOST + " is not reachable: " + errors);
	}

	/** The gateway properties that put its journal in this schema. */
	public Map<String, String> properties() {
		return Map.of("spring.r2dbc.url", "r2dbc:postgresql://" + HOST + "/" + DATABASE + "?schema=" + this.name,
				"spring.r2dbc.username", this.user, "spring.r2dbc.password", "", "spring.flyway.url",
				jdbcUrl(this.name), "spring.flyway.user", this.user, "spring.flyway.password", "");
	}

	/** Runs a query on this schema; rows as column → value maps. */
	public List<Map<String, Object>> query(String sql) {
		try (Connection connection = DriverManager.getConnection(jdbcUrl(this.name), this.user, "");
				Statement statement = connection.createStatement();
				var rows = statement.executeQuery(sql)) {
			List<Map<String, Object>> result = new ArrayList<>();
			while (rows.next()) {
				Map<String, Object> row = new LinkedHashMap<>();
				for (int i = 1; i <= rows.getMetaData().getColumnCount(); i++) {
					row.put(rows.getMetaData().getColumnLabel(i), rows.getObject(i));
				}
				result.add(row);
			}
			return result;
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	public void drop() {
		try (Connection connection = DriverManager.getConnection(jdbcUrl(null), this.user, "");
				Statement statement = connection.createStatement()) {
			statement.execute("DROP SCHEMA IF EXISTS " + this.name + " CASCADE");
		}
		catch (SQLException ex) {
			// Best effort: a leftover schema holds test data only.
		}
	}

	private static String jdbcUrl(String schema) {
		return "jdbc:postgresql://" + HOST + "/" + DATABASE + ((schema != null) ? "?currentSchema=" + schema : "");
	}

}
