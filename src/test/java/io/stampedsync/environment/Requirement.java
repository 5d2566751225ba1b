package io.stampedsync.environment;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * Something a test needs from the machine beyond the JVM, with how to check for it and
 * how to get it. Each probe runs at most once per JVM.
 */
public enum Requirement {

	/** Headless Chromium and its driver, from the Debian packages. */
	CHROMIUM("headless Chromium (/usr/bin/chromium and /usr/bin/chromedriver)",
			"apt-get install -y chromium chromium-driver",
			() -> Files.isExecutable(Path.of("/usr/bin/chromium"))
					&& Files.isExecutable(Path.of("/usr/bin/chromedriver"))),

	/** The local PostgreSQL of the distributed-mode tests. */
	POSTGRES("PostgreSQL on 127.0.0.1:5432 (database test, trust auth)",
			"apt-get install -y postgresql, then start the service (pg_ctlcluster <version> main start, see .ci/run)",
			Requirement::postgresAnswers);

	private static final Map<Requirement, Boolean> probed = new ConcurrentHashMap<>();

	private final String description;

	private final String howToGet;

	private final BooleanSupplier probe;

	Requirement(String description, String howToGet, BooleanSupplier probe) {
		this.description = description;
		this.howToGet = howToGet;
		this.probe = probe;
	}

	/** What is needed, as a reader would name it. */
	public String description() {
		return this.description;
	}

	/** The command or step that provides it on Debian. */
	public String howToGet() {
		return this.howToGet;
	}

	/** Whether this machine has it (probed once per JVM). */
	public boolean isAvailable() {
		return probed.computeIfAbsent(this, (requirement) -> requirement.probe.getAsBoolean());
	}

	private static boolean postgresAnswers() {
		DriverManager.setLoginTimeout(3);
		for (String user : List.of("postgres", "root")) {
			try (Connection connection = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test", user,
					"")) {
				return connection.isValid(3);
			}
			catch (SQLException ex) {
				// Try the next user; PostgresSchema says which one worked.
			}
		}
		return false;
	}

}
