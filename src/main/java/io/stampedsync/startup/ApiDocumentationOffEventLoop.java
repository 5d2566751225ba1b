package io.stampedsync.startup;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Builds SpringDoc's lazy beans ({@link LazyApiDocumentation}) on a worker of the
 * bounded-elastic scheduler, before the first request for the document reaches its
 * handler: made by the handler's look-up, they would be made on a Netty event loop, which
 * would then spend about a second loading classes and reading jars instead of serving the
 * other connections. After the first time this filter only checks a flag.
 */
@Component
class ApiDocumentationOffEventLoop implements WebFilter {

	private static final Log logger = LogFactory.getLog(ApiDocumentationOffEventLoop.class);

	private static final String[] PATHS = { "/v3/api-docs", "/swagger-ui" };

	private final ConfigurableListableBeanFactory beanFactory;

	private volatile boolean built;

	ApiDocumentationOffEventLoop(ConfigurableListableBeanFactory beanFactory) {
		this.beanFactory = beanFactory;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		if (this.built || !isDocumentation(exchange.getRequest().getPath().value())) {
			return chain.filter(exchange);
		}
		return Mono.fromRunnable(this::build)
			.subscribeOn(Schedulers.boundedElastic())
			.then(Mono.defer(() -> chain.filter(exchange)));
	}

	/**
	 * Makes every lazy SpringDoc singleton not made yet (Spring's lock makes it once).
	 */
	void build() {
		for (String name : this.beanFactory.getBeanDefinitionNames()) {
			BeanDefinition definition = this.beanFactory.getBeanDefinition(name);
			if (definition.isLazyInit() && definition.isSingleton() && !definition.isAbstract()
					&& LazyApiDocumentation.isSpringDoc(this.beanFactory, definition)
					&& !this.beanFactory.containsSingleton(name)) {
				this.beanFactory.getBean(name);
			}
		}
		if (!this.built) {
			logger.debug("API documentation beans built on " + Thread.currentThread().getName());
		}
		this.built = true;
	}

	boolean isBuilt() {
		return this.built;
	}

	private static boolean isDocumentation(String path) {
		for (String prefix : PATHS) {
			if (path.startsWith(prefix)) {
				return true;
			}
		}
		return false;
	}

}
