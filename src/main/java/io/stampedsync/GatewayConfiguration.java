package io.stampedsync;

import java.time.Clock;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Beans shared by every feature. */
@Configuration(proxyBeanMethods = false)
class GatewayConfiguration {

	/** The one clock of the gateway: tests replace it to move time without sleeping. */
	@Bean
	@ConditionalOnMissingBean
	Clock clock() {
		return Clock.systemUTC();
	}

}
