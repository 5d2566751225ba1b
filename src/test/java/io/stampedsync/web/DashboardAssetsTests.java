package io.stampedsync.web;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.stampedsync.GatewayWithDefaults;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every file the dashboard page loads is served from the jar, Chart.js included from its
 * WebJar through a version-free path. The page draws no chart, silently, when Chart.js is
 * missing, so the browser tests alone would not notice.
 */
class DashboardAssetsTests extends GatewayWithDefaults {

	/** A same-origin script or stylesheet of the page. */
	private static final Pattern ASSET = Pattern.compile("(?:src|href)=\"(/[^\"]+)\"");

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
