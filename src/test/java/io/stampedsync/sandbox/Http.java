package io.stampedsync.sandbox;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;

import tools.jackson.databind.JsonNode;

/**
 * A small blocking HTTP caller for the simulator tests.
 */
final class Http {

	private final HttpClient client = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	static String basic(String user, String password) {
		return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
	}

	static String bearer(String token) {
		return "Bearer " + token;
	}

	static JsonNode json(HttpResponse<String> response) {
		return Json.MAPPER.readTree(response.body());
	}

	HttpResponse<String> get(String url, String authorization) throws IOException, InterruptedException {
		return send(request(url, authorization).GET().build());
	}

	HttpResponse<String> post(String url, String authorization, String body) throws IOException, InterruptedException {
		return send(request(url, authorization).POST(HttpRequest.BodyPublishers.ofString(body)).build());
	}

	CompletableFuture<HttpResponse<String>> postAsync(String url, String authorization, String body) {
		HttpRequest request = request(url, authorization).POST(HttpRequest.BodyPublishers.ofString(body)).build();
		return this.client.sendAsync(request, HttpResponse.BodyHandlers.ofString());
	}

	HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
		return this.client.send(request, HttpResponse.BodyHandlers.ofString());
	}

	static HttpRequest.Builder request(String url, String authorization) {
		HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url))
			.timeout(Duration.ofSeconds(10))
			.header("Content-Type", "application/json");
		return (authorization != null) ? builder.header("Authorization", authorization) : builder;
	}

}
