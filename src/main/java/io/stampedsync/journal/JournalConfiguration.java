package io.stampedsync.journal;

import java.util.Locale;

import io.r2dbc.spi.ConnectionFactory;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.r2dbc.ConnectionFactoryDecorator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The embedded journal's connections: its blocking engine kept off the event loops, and
 * validated without a query while nothing on them fails. PostgreSQL's driver needs
 * neither: its I/O does not block, and its local validation checks its channel.
 */
@Configuration(proxyBeanMethods = false)
class JournalConfiguration {

	/** Threads for the embedded H2 engine: enough for the pool, bounded. */
	private static final int H2_THREADS = 8;

	@Bean
	static BeanPostProcessor embeddedJournalOffEventLoop() {
		return new BeanPostProcessor() {
			@Override
			public Object postProcessAfterInitialization(Object bean, String beanName) {
				if (bean instanceof ConnectionFactory factory && !(bean instanceof OffEventLoopConnectionFactory)
						&& isH2(factory)) {
					return new OffEventLoopConnectionFactory(factory, H2_THREADS);
				}
				return bean;
			}
		};
	}

	/** Under the pool: what the pool validates at every hand-out. */
	@Bean
	ConnectionFactoryDecorator embeddedJournalValidatedLocally() {
		return (factory) -> isH2(factory) ? new LocallyValidatedConnectionFactory(factory) : factory;
	}

	// A driver with real non-blocking I/O (PostgreSQL) needs no such help.
	private static boolean isH2(ConnectionFactory factory) {
		return factory.getMetadata().getName().toLowerCase(Locale.ROOT).contains("h2");
	}

}
