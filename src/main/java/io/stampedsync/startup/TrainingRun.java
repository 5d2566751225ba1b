package io.stampedsync.startup;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The build's class-data-sharing training run
 * ({@code stamped-sync.startup.training-run=true}, docs/performance.md): once the gateway
 * is ready it asks its own health endpoint and its API once, then stops, so the archive
 * the JVM writes at exit holds the classes of a whole start up to the first answers, the
 * servers' and the first request's included. A run that stops when the context is
 * refreshed ({@code spring.context.exit=onRefresh}) never starts the servers, and a start
 * with its archive still read about 900 classes from the jars.
 * <p>
 * Always a bean, the property read when the gateway is ready: a condition on it would be
 * decided once for good by {@code spring-boot:process-aot}, and the training run, which
 * uses the context generated ahead of time, would never stop.
 */
@Component
class TrainingRun implements ApplicationListener<AvailabilityChangeEvent<ReadinessState>> {

	private static final Log logger = LogFactory.getLog(TrainingRun.class);

	static final String PROPERTY = "stamped-sync.startup.training-run";

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private final ConfigurableApplicationContext context;

	TrainingRun(ConfigurableApplicationContext context) {
		this.context = context;
	}

	/**
	 * Once ready, on a thread of its own: the event's other listener, which records the
	 * readiness that health reports, runs after this one returns.
	 */
	@Override
	public void onApplicationEvent(AvailabilityChangeEvent<ReadinessState> event) {
		if (event.getState() == ReadinessState.ACCEPTING_TRAFFIC
				&& this.context.getEnvironment().getProperty(PROPERTY, Boolean.class, false)) {
			new Thread(this::train, "training-run").start();
		}
	}

	private void train() {
		Environment environment = this.context.getEnvironment();
		HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
		try {
			// Until readiness is recorded, health answers 503: each try is a round trip.
			int health = 0;
			for (int tries = 0; tries < 100 && health != 200; tries++) {
				health = ask(client, environment.getProperty("local.management.port"), "/actuator/health");
			}
			// Without a token: the answer is a 401 problem, through the API's security
			// chain.
			ask(client, environment.getProperty("local.server.port"), "/api/v1/subscriptions");
		}
		catch (IOException ex) {
			logger.warn("Training run: a request failed (" + ex.getMessage() + "); stopping anyway");
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		System.exit(SpringApplication.exit(this.context));
	}

	private static int ask(HttpClient client, String port, String path) throws IOException, InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.timeout(TIMEOUT)
			.build();
		HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
		logger.info("Training run: " + path + " answered " + response.statusCode());
		return response.statusCode();
	}

}
