package io.stampedsync;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/** Notes the threads on which SpringDoc's beans are made ({@link ApiDocsTests}). */
@TestConfiguration(proxyBeanMethods = false)
class SpringDocThreads {

	static final Set<String> threads = ConcurrentHashMap.newKeySet();

	@Bean
	static BeanPostProcessor springDocThreads() {
		return new BeanPostProcessor() {
			@Override
			public Object postProcessAfterInitialization(Object bean, String beanName) {
				if (bean.getClass().getName().startsWith("org.springdoc.")) {
					threads.add(Thread.currentThread().getName());
				}
				return bean;
			}
		};
	}

}
