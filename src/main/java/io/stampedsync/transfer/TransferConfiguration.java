package io.stampedsync.transfer;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.publisher.Mono;

/** Default collaborators of a transfer, replaced when the iPaaS.com side is wired. */
@Configuration(proxyBeanMethods = false)
class TransferConfiguration {

	@Bean
	@ConditionalOnMissingBean
	CustomerSource customerSource(JsonMapper json) {
		return new PayloadCustomerSource(json);
	}

	@Bean
	@ConditionalOnMissingBean
	LinkWriteBack linkWriteBack() {
		return (settings, ipaasCustomerId, stampedCustomerId) -> Mono.empty();
	}

}
