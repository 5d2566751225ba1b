package io.stampedsync.startup;

import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * SpringDoc's beans are created on first use, not at start: building them loads swagger's
 * model converters and a second JSON stack, about a tenth of the start's CPU, for a
 * document that nobody may ask for. {@code GET /v3/api-docs} still answers: its handler
 * is found by type and created at the first request, on a worker
 * ({@link ApiDocumentationOffEventLoop}).
 */
@Configuration(proxyBeanMethods = false)
class LazyApiDocumentation {

	private static final String SPRINGDOC = "org.springdoc.";

	@Bean
	static BeanFactoryPostProcessor lazySpringDoc() {
		return (beanFactory) -> {
			for (String name : beanFactory.getBeanDefinitionNames()) {
				BeanDefinition definition = beanFactory.getBeanDefinition(name);
				if (isSpringDoc(beanFactory, definition)
						&& definition.getRole() != BeanDefinition.ROLE_INFRASTRUCTURE) {
					definition.setLazyInit(true);
				}
			}
		};
	}

	/** A SpringDoc class, or a bean made by a factory method of one. */
	static boolean isSpringDoc(ConfigurableListableBeanFactory beanFactory, BeanDefinition definition) {
		if (startsWithSpringDoc(definition.getBeanClassName())) {
			return true;
		}
		String factory = definition.getFactoryBeanName();
		return factory != null && beanFactory.containsBeanDefinition(factory)
				&& startsWithSpringDoc(beanFactory.getBeanDefinition(factory).getBeanClassName());
	}

	private static boolean startsWithSpringDoc(String className) {
		return className != null && className.startsWith(SPRINGDOC);
	}

}
