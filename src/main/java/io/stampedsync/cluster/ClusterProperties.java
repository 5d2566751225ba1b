package io.stampedsync.cluster;

import java.time.Duration;
import java.util.UUID;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Distributed mode ({@code stamped-sync.cluster.*}): several replicas on one PostgreSQL
 * journal.
 *
 * @param enabled run as one replica of several: subscriptions are leased in PostgreSQL
 * @param replicaId this replica's name in the lease table; a random one when blank
 * @param leaseTime how long a subscription stays with a replica that stopped renewing;
 * the failover time
 */
@Validated
@ConfigurationProperties("stamped-sync.cluster")
public record ClusterProperties(@DefaultValue("false") boolean enabled, @DefaultValue("") String replicaId,
		@DefaultValue("15s") @NotNull Duration leaseTime) {

	public ClusterProperties {
		if (replicaId == null || replicaId.isBlank()) {
			replicaId = "replica-" + UUID.randomUUID();
		}
		if (leaseTime.compareTo(Duration.ofSeconds(1)) < 0) {
			throw new IllegalArgumentException("stamped-sync.cluster.lease-time must be at least 1s");
		}
	}

	/** How often leases are renewed and shares recomputed: a third of the lease time. */
	Duration renewEvery() {
		return this.leaseTime.dividedBy(3);
	}

	/**
	 * How long after a renewal started this replica may still call a store: the lease
	 * time less a quarter, so its dispatchers stop before anyone else can take the lease.
	 */
	Duration ownFor() {
		return this.leaseTime.minus(this.leaseTime.dividedBy(4));
	}

}
