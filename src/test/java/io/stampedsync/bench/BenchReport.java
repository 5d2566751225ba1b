package io.stampedsync.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import tools.jackson.databind.json.JsonMapper;

/**
 * The figures of one benchmark run: printed as a markdown table and written as JSON and
 * markdown under {@code target/bench/}.
 */
final class BenchReport {

	private final List<Row> rows = new ArrayList<>();

	private final Map<String, Object> run = new LinkedHashMap<>();

	/** Something about the run itself (machine, settings). */
	void note(String name, Object value) {
		this.run.put(name, value);
	}

	/**
	 * A figure, with the limit it is held to ({@code null}: none) and how it compares:
	 * {@code higherIsBetter} when the limit is a floor.
	 */
	void add(String scenario, String figure, double value, String unit, Double limit) {
		Double ratio = (limit != null && limit != 0) ? value / limit : null;
		this.rows.add(new Row(scenario, figure, value, unit, limit, ratio));
	}

	String markdown() {
		StringBuilder table = new StringBuilder(
				"| scenario | figure | value | unit | limit | ratio to limit |\n| --- | --- | ---: | --- | ---: | ---: |\n");
		for (Row row : this.rows) {
			table.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s |%n", row.scenario(), row.figure(),
					number(row.value()), row.unit(), (row.limit() != null) ? number(row.limit()) : "",
					(row.ratio() != null) ? String.format(Locale.ROOT, "%.3f", row.ratio()) : ""));
		}
		return table.toString();
	}

	void write(Path directory) {
		try {
			Files.createDirectories(directory);
			Map<String, Object> json = new LinkedHashMap<>();
			json.put("run", this.run);
			json.put("results", this.rows);
			Files.writeString(directory.resolve("results.json"),
					JsonMapper.builder().build().writerWithDefaultPrettyPrinter().writeValueAsString(json));
			StringBuilder md = new StringBuilder();
			this.run.forEach((name, value) -> md.append("- ").append(name).append(": ").append(value).append('\n'));
			md.append('\n').append(markdown());
			Files.writeString(directory.resolve("results.md"), md);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static String number(double value) {
		if (value == Math.rint(value) && Math.abs(value) < 1e15) {
			return String.format(Locale.ROOT, "%,d", (long) value);
		}
		return String.format(Locale.ROOT, Math.abs(value) >= 100 ? "%,.1f" : "%.3f", value);
	}

	record Row(String scenario, String figure, double value, String unit, Double limit, Double ratio) {
	}

}
