package io.stampedsync.journal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The embedded H2 journal holds the subscriptions' secrets, so its file is created
 * readable by the gateway's user only ({@code 0600}), in a data directory only that user
 * may enter ({@code 0700}) when the gateway creates it: H2 itself would create it with
 * the process umask, world-readable by default. A bean factory post processor, so that it
 * runs before any bean opens the journal (Flyway, R2DBC); a journal file that exists
 * already is made private too. Does nothing for PostgreSQL or on file systems without
 * POSIX permissions.
 */
@Component
class PrivateJournalFile implements BeanFactoryPostProcessor, EnvironmentAware {

	static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");

	static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY = PosixFilePermissions.fromString("rwx------");

	/** The H2 file of {@code r2dbc:h2:file:///<data-dir>/journal} in application.yml. */
	static final String JOURNAL_FILE = "journal.mv.db";

	private Environment environment;

	@Override
	public void setEnvironment(Environment environment) {
		this.environment = environment;
	}

	@Override
	public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
		String url = this.environment.getProperty("spring.r2dbc.url", "");
		String dataDir = this.environment.getProperty("stamped-sync.data-dir");
		if (!url.startsWith("r2dbc:h2:file:") || dataDir == null || dataDir.isBlank()) {
			return;
		}
		prepare(Path.of(dataDir));
	}

	static void prepare(Path dataDir) {
		if (!supportsPosix(dataDir)) {
			return;
		}
		try {
			if (!Files.isDirectory(dataDir)) {
				Files.createDirectories(dataDir, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIRECTORY));
			}
			Path journal = dataDir.resolve(JOURNAL_FILE);
			try {
				// H2 starts a new store in an empty file.
				Files.createFile(journal, PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE));
			}
			catch (FileAlreadyExistsException ex) {
				Files.setPosixFilePermissions(journal, OWNER_ONLY_FILE);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot prepare the journal file in " + dataDir, ex);
		}
	}

	private static boolean supportsPosix(Path dataDir) {
		Path existing = dataDir.toAbsolutePath();
		while (existing != null && !Files.exists(existing)) {
			existing = existing.getParent();
		}
		return existing != null && Files.getFileAttributeView(existing, PosixFileAttributeView.class) != null;
	}

}
