package io.stampedsync.startup;

import java.util.Map;

import org.springframework.beans.factory.aot.BeanFactoryInitializationAotContribution;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * At {@code spring-boot:process-aot}, writes the mode the context is generated for
 * ({@link AheadOfTimeMode}) beside the generated code, for {@link AheadOfTimeModeGuard}
 * to compare at every start that uses it; once, for the application's context. Listed in
 * {@code META-INF/spring/aot.factories}.
 */
class AheadOfTimeModeRecorder implements BeanFactoryInitializationAotProcessor {

	@Override
	public BeanFactoryInitializationAotContribution processAheadOfTime(ConfigurableListableBeanFactory beanFactory) {
		if (beanFactory.getParentBeanFactory() != null) {
			// actuator's child context on its own port, generated with the application's
			return null;
		}
		ConfigurableEnvironment environment = beanFactory.getBean(ConfigurableApplicationContext.ENVIRONMENT_BEAN_NAME,
				ConfigurableEnvironment.class);
		Map<String, String> mode = AheadOfTimeMode.of(environment);
		return (generationContext, code) -> generationContext.getGeneratedFiles()
			.addResourceFile(AheadOfTimeMode.RESOURCE, AheadOfTimeMode.write(mode));
	}

}
