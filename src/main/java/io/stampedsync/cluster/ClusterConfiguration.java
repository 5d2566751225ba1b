package io.stampedsync.cluster;

import io.r2dbc.spi.ConnectionFactory;
import io.stampedsync.batch.BatchEventBus;
import io.stampedsync.batch.BatchJournal;
import io.stampedsync.subscription.SubscriptionRegistry;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.r2dbc.core.DatabaseClient;

/**
 * Distributed mode, on with {@code stamped-sync.cluster.enabled=true}: subscriptions are
 * leased to one replica each and batch events cross replicas through PostgreSQL.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "stamped-sync.cluster.enabled", havingValue = "true")
class ClusterConfiguration {

	@Bean(initMethod = "start", destroyMethod = "stop")
	ClusterNotifications clusterNotifications(ConnectionFactory connections, DatabaseClient db, BatchJournal journal,
			BatchEventBus bus, SubscriptionRegistry registry, ClusterProperties properties) {
		return new ClusterNotifications(connections, db, journal, bus, registry, properties.replicaId());
	}

	@Bean
	LeaseOwnership leaseOwnership(DatabaseClient db, SubscriptionRegistry registry, ClusterProperties properties,
			ClusterNotifications notifications) {
		LeaseTable leases = new LeaseTable(db, properties.replicaId(), properties.leaseTime());
		return new LeaseOwnership(leases, registry, properties, System::nanoTime, notifications);
	}

}
