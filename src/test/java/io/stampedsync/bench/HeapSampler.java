package io.stampedsync.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The peak heap used by a child gateway, sampled every 200 ms through its actuator's
 * {@code jvm.memory.used} until closed.
 */
final class HeapSampler implements AutoCloseable {

	private final AtomicLong peak = new AtomicLong();

	private final Thread sampler;

	HeapSampler(int managementPort) {
		HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
		HttpRequest request = HttpRequest
			.newBuilder(URI
				.create("http://127.0.0.1:" + managementPort + "/actuator/metrics/jvm.memory.used?tag=area:heap"))
			.timeout(Duration.ofSeconds(5))
			.build();
		JsonMapper json = JsonMapper.builder().build();
		this.sampler = new Thread(() -> {
			while (!Thread.currentThread().isInterrupted()) {
				try {
					JsonNode metric = json.readTree(http.send(request, HttpResponse.BodyHandlers.ofString()).body());
					this.peak.accumulateAndGet((long) metric.at("/measurements/0/value").asDouble(), Math::max);
					Thread.sleep(200);
				}
				catch (InterruptedException ex) {
					return;
				}
				catch (Exception ex) {
					// the gateway is busy or gone; try again
				}
			}
		}, "heap-sampler");
		this.sampler.setDaemon(true);
		this.sampler.start();
	}

	/** The most heap seen used so far, in MB. */
	double peakMegabytes() {
		return this.peak.get() / 1e6;
	}

	@Override
	public void close() {
		this.sampler.interrupt();
	}

}
