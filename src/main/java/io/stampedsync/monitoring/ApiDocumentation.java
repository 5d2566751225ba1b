package io.stampedsync.monitoring;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.tags.Tag;
import org.springdoc.core.customizers.OpenApiCustomizer;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI description at {@code /v3/api-docs} (UI at {@code /swagger-ui.html}): the
 * operations springdoc finds in the controllers, each given a tag, a summary and a
 * description from {@link ApiOperations} here, so the controllers of other features stay
 * free of documentation annotations.
 */
@Configuration(proxyBeanMethods = false)
class ApiDocumentation {

	static final String BEARER = "bearer";

	@Bean
	OpenAPI stampedSyncOpenApi(ObjectProvider<BuildProperties> build) {
		BuildProperties properties = build.getIfAvailable();
		Components components = new Components().addSecuritySchemes(BEARER,
				new SecurityScheme().type(SecurityScheme.Type.HTTP)
					.scheme("bearer")
					.description("An inbound token (role admin, writer or reader); hooks use the "
							+ "subscription's webhook key instead"));
		OpenAPI api = new OpenAPI()
			.info(new Info().title("Stamped Sync API")
				.version((properties != null) ? properties.getVersion() : "v1")
				.description("Transfers iPaaS.com customers into Stamped.io: subscriptions, batches and their "
						+ "live events, error logs and monitoring. Errors are application/problem+json."))
			.components(components)
			.addSecurityItem(new SecurityRequirement().addList(BEARER));
		ApiOperations.TAGS
			.forEach((name, description) -> api.addTagsItem(new Tag().name(name).description(description)));
		return api;
	}

	@Bean
	OpenApiCustomizer stampedSyncOperations() {
		return (api) -> {
			if (api.getPaths() == null) {
				return;
			}
			api.getPaths().forEach((path, item) -> describe(path, item));
		};
	}

	private static void describe(String path, PathItem item) {
		Map<PathItem.HttpMethod, Operation> operations = new LinkedHashMap<>(item.readOperationsMap());
		operations.forEach((method, operation) -> {
			ApiOperations.Doc doc = ApiOperations.find(method.name(), path);
			if (doc == null) {
				return;
			}
			operation.setTags(new ArrayList<>(List.of(doc.tag())));
			operation.setSummary(doc.summary());
			operation.setDescription(doc.description());
		});
	}

}
