package io.stampedsync;

import java.time.Duration;
import java.util.function.Function;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.webtestclient.autoconfigure.WebTestClientBuilderCustomizer;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpHeaders;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * HTTP clients of a gateway a test runs, on that gateway's own event loops and connection
 * pool (its {@link ReactorResourceFactory}, as its servers use them). A client built with
 * defaults ({@code WebTestClient.bindToServer()}, {@code WebClient.create()}) runs on
 * reactor-netty's global resources instead, which anything in the test JVM may dispose
 * (another gateway that stops, {@code ContextIsolationTests} on purpose): such a client
 * then never gets an answer, and its test fails on a timeout that says nothing. A client
 * of a gateway lives no longer than the gateway, so its loops are there for as long as it
 * is used. Every client built here reads each answer to its end
 * ({@link AnswersReadToTheEnd}).
 */
public final class GatewayClients {

	private GatewayClients() {
	}

	/** The port of the gateway's API. */
	public static int port(ApplicationContext gateway) {
		return ((WebServerApplicationContext) gateway).getWebServer().getPort();
	}

	/** The port of the gateway's actuator endpoints ({@code management.server.port}). */
	public static int managementPort(ApplicationContext gateway) {
		return gateway.getEnvironment().getRequiredProperty("local.management.port", Integer.class);
	}

	/** A client of the gateway's API, calling as the admin token. */
	public static WebTestClient.Builder admin(ApplicationContext gateway) {
		return webTestClient(gateway, port(gateway)).defaultHeader(HttpHeaders.AUTHORIZATION,
				TestTokens.bearer(TestTokens.ADMIN));
	}

	/**
	 * A client of {@code port} of 127.0.0.1 (the gateway's API or management port), with
	 * no credentials.
	 */
	public static WebTestClient.Builder webTestClient(ApplicationContext gateway, int port) {
		return WebTestClient.bindToServer(connector(gateway))
			.baseUrl("http://127.0.0.1:" + port)
			.responseTimeout(Duration.ofSeconds(30))
			.filter(AnswersReadToTheEnd.FILTER);
	}

	/** A {@link WebClient} of {@code port} of 127.0.0.1, with no credentials. */
	public static WebClient.Builder webClient(ApplicationContext gateway, int port) {
		return WebClient.builder()
			.clientConnector(connector(gateway))
			.baseUrl("http://127.0.0.1:" + port)
			.filter(AnswersReadToTheEnd.FILTER);
	}

	/**
	 * A client of a gateway in a child process ({@code port} of 127.0.0.1), calling as
	 * the admin token, on event loops of the test JVM's own that nothing disposes.
	 */
	public static WebTestClient.Builder childProcess(int port) {
		return WebTestClient
			.bindToServer(new ReactorClientHttpConnector(ChildProcessLoops.RESOURCES, Function.identity()))
			.baseUrl("http://127.0.0.1:" + port)
			.responseTimeout(Duration.ofSeconds(30))
			.filter(AnswersReadToTheEnd.FILTER)
			.defaultHeader(HttpHeaders.AUTHORIZATION, TestTokens.bearer(TestTokens.ADMIN));
	}

	/**
	 * Puts the {@code WebTestClient} a {@code @SpringBootTest} autowires on the tested
	 * gateway's loops too (Boot builds it with {@code bindToServer()}, reactor-netty's
	 * global resources), and under the rule that every answer is read to its end
	 * ({@link AnswersReadToTheEnd}). Imported with {@code @AutoConfigureWebTestClient}
	 * ({@code META-INF/spring/…AutoConfigureWebTestClient.imports} of the tests).
	 */
	@TestConfiguration(proxyBeanMethods = false)
	public static class AutowiredClientOnTheGatewaysLoops {

		@Bean
		WebTestClientBuilderCustomizer gatewaysOwnLoops(ApplicationContext context) {
			return (builder) -> {
				builder.filter(AnswersReadToTheEnd.FILTER);
				// A mock environment's client talks to the handler directly: no loops.
				if (context instanceof WebServerApplicationContext) {
					builder.clientConnector(connector(context));
				}
			};
		}

	}

	private static ClientHttpConnector connector(ApplicationContext gateway) {
		return new ReactorClientHttpConnector(gateway.getBean(ReactorResourceFactory.class), Function.identity());
	}

	/** Created on first use; daemon threads, left to end with the JVM. */
	private static final class ChildProcessLoops {

		static final ReactorResourceFactory RESOURCES = create();

		private static ReactorResourceFactory create() {
			ReactorResourceFactory resources = new ReactorResourceFactory();
			resources.setUseGlobalResources(false);
			resources.afterPropertiesSet();
			return resources;
		}

	}

}
