package io.stampedsync.journal;

import java.util.Locale;

import io.r2dbc.spi.ConnectionFactory;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Keeps the embedded journal's blocking engine off the event loops. */
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

	// A driver with real non-blocking I/O (PostgreSQL) needs no such help.
	private static boolean isH2(ConnectionFactory factory) {
		return factory.getMetadata().getName().toLowerCase(Locale.ROOT).contains("h2");
	}

}
