package io.stampedsync.journal;

import java.util.List;
import java.util.function.Function;

/**
 * A group of rows written by one statement whose SQL text is the same whatever the
 * group's size: each column goes as one array parameter, and
 * {@code UNNEST(CAST($1 AS type ARRAY), …)} turns the arrays back into rows (H2 2.x and
 * PostgreSQL alike). The statement is parsed, planned and run once per group. With one
 * binding per row ({@code Statement.add()}), r2dbc-h2 prepares and runs every binding
 * alone, each parsed anew: profiled, that was most of the journal's cost per record.
 * <p>
 * The casts give each column its SQL type on both databases; a value longer than its
 * column is cut by the cast (the journal cuts input to its columns before, see
 * {@code ColumnLimits}).
 *
 * @param <T> what one row is made from
 */
final class ColumnArrays<T> {

	private final List<Column<T>> columns;

	private ColumnArrays(List<Column<T>> columns) {
		this.columns = columns;
	}

	@SafeVarargs
	static <T> ColumnArrays<T> of(Column<T>... columns) {
		return new ColumnArrays<>(List.of(columns));
	}

	/** A column: its SQL type, its Java type and its value in a row. */
	static <T> Column<T> column(String sqlType, Class<?> javaType, Function<T, Object> value) {
		return new Column<>(sqlType, javaType, value);
	}

	/**
	 * {@code UNNEST(CAST($first AS type ARRAY), …)}: the rows, from the parameters
	 * numbered from {@code first}.
	 */
	String unnest(int first) {
		StringBuilder sql = new StringBuilder("UNNEST(");
		for (int i = 0; i < this.columns.size(); i++) {
			sql.append((i > 0) ? ", " : "")
				.append("CAST($")
				.append(first + i)
				.append(" AS ")
				.append(this.columns.get(i).sqlType())
				.append(" ARRAY)");
		}
		return sql.append(')').toString();
	}

	/**
	 * The statement {@code sql} for all {@code rows} at once: one binding of one array
	 * per column, in the form {@code dialect}'s driver binds; nothing when there are no
	 * rows.
	 */
	BulkWriter.Rows<List<T>> rows(String sql, List<T> rows, SqlDialect dialect) {
		List<List<T>> group = rows.isEmpty() ? List.of() : List.of(rows);
		// An array is never null: the types of null values are not needed.
		return new BulkWriter.Rows<>(sql, group, (all) -> arrays(all, dialect), new Class<?>[this.columns.size()]);
	}

	private Object[] arrays(List<T> rows, SqlDialect dialect) {
		Object[] arrays = new Object[this.columns.size()];
		for (int c = 0; c < arrays.length; c++) {
			Column<T> column = this.columns.get(c);
			Object[] values = new Object[rows.size()];
			for (int r = 0; r < values.length; r++) {
				values[r] = column.value().apply(rows.get(r));
			}
			arrays[c] = dialect.array(column.javaType(), values);
		}
		return arrays;
	}

	record Column<T>(String sqlType, Class<?> javaType, Function<T, Object> value) {
	}

}
