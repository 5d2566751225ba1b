package io.stampedsync.web;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every file the dashboard page loads is served from the jar, Chart.js included from its
 * WebJar through a version-free path. The page draws no chart, silently, when Chart.js is
 * missing, so the browser tests alone would not notice.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "management.server.port=0", "spring.test.webtestclient.timeout=30s" })
@AutoConfigureWebTestClient
class DashboardAssetsTests {

	/** A same-origin script or stylesheet of the page. */
	private static final Pattern ASSET = Pattern.compile("(?:src|href)=\"(/[^\"]+)\"");

	@TempDir
	static Path dataDir;

	@Autowired
	WebTestClient client;

	@DynamicPropertySource
	static void dataDir(DynamicPropertyRegistry registry) {
		registry.add("stamped-sync.data-dir", dataDir::toString);
	}

	@Test
	void servesEveryFileThePageLoads() {
		String page = get("/");
		List<String> assets = new ArrayList<>();
		Matcher asset = ASSET.matcher(page);
		while (asset.find()) {
			assets.add(asset.group(1));
		}

		assertThat(assets).contains("/webjars/chart.js/dist/chart.umd.js", "/assets/js/main.js");
		assets.forEach((path) -> assertThat(get(path)).as(path).isNotEmpty());
	}

	@Test
	void servesChartJsFromItsWebJar() {
		assertThat(get("/webjars/chart.js/dist/chart.umd.js")).contains("Chart.js v4");
	}

	private String get(String path) {
		byte[] body = this.client.get()
			.uri(path)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.returnResult()
			.getResponseBody();
		return new String(body, StandardCharsets.UTF_8);
	}

}
