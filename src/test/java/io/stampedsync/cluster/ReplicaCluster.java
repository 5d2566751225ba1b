package io.stampedsync.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import org.springframework.util.FileSystemUtils;

/**
 * The replicas of one test class, on a PostgreSQL schema and in a data directory of their
 * own. Registered as a static extension, it makes them before the class's
 * {@code @BeforeAll} (which declares the subscriptions and starts the replicas it needs)
 * and, after the class's tests, closes the replicas, then what the class asked it to
 * close (the simulated stores the replicas called), then drops the schema and deletes the
 * directory: in that order, so that no replica writes to a schema being dropped.
 */
final class ReplicaCluster implements BeforeAllCallback, AfterAllCallback {

	private final Duration leaseTime;

	private final List<AutoCloseable> closedAfterReplicas = new ArrayList<>();

	private PostgresSchema schema;

	private Path dataDir;

	private Replicas replicas;

	ReplicaCluster(Duration leaseTime) {
		this.leaseTime = leaseTime;
	}

	/** Closes these after the replicas, when the class's tests have run. */
	ReplicaCluster closing(AutoCloseable... resources) {
		this.closedAfterReplicas.addAll(List.of(resources));
		return this;
	}

	Replicas replicas() {
		return this.replicas;
	}

	PostgresSchema schema() {
		return this.schema;
	}

	@Override
	public void beforeAll(ExtensionContext context) throws IOException {
		this.schema = PostgresSchema.create();
		this.dataDir = Files.createTempDirectory("replicas");
		this.replicas = new Replicas(this.schema, this.dataDir, this.leaseTime);
	}

	@Override
	public void afterAll(ExtensionContext context) throws Exception {
		if (this.replicas != null) {
			this.replicas.close();
		}
		for (AutoCloseable resource : this.closedAfterReplicas) {
			resource.close();
		}
		if (this.schema != null) {
			this.schema.drop();
		}
		if (this.dataDir != null) {
			FileSystemUtils.deleteRecursively(this.dataDir);
		}
	}

}
