package io.stampedsync.dashboard;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.stampedsync.TestSubscriptions;
import io.stampedsync.TestTokens;
import io.stampedsync.environment.Requirement;
import io.stampedsync.environment.Requires;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard works under its Content-Security-Policy: the overview and a batch page
 * load with no violation in the console, and the policy is really enforced (an inline
 * script injected afterwards does not run). In this package for the Chromium helper; the
 * policy itself is {@code web.security.ApiSecurityChains}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Requires(Requirement.CHROMIUM)
class ContentSecurityPolicyBrowserTests {

	@RegisterExtension
	static final BrowserFixture fixture = new BrowserFixture();

	@TempDir
	static Path dataDir;

	@LocalServerPort
	int port;

	@Autowired
	ApplicationContext context;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		TestSubscriptions.gateway(registry, dataDir);
		TestSubscriptions.subscription(registry, "acme", fixture.stamped, Map.of());
	}

	@Test
	void theDashboardRunsWithoutAnyPolicyViolation() {
		DashboardPage page = fixture.page(this.port);
		DashboardApi api = new DashboardApi(this.context);
		ChromeDriver browser = page.driver();
		page.openAs(TestTokens.ADMIN);
		String batchId = api.submit("acme", DashboardApi.customers("csp-", 3));
		api.awaitFinal(batchId);
		page.openBatch(batchId);
		List<String> violations = browser.manage()
			.logs()
			.get(LogType.BROWSER)
			.getAll()
			.stream()
			.map(LogEntry::getMessage)
			.filter((message) -> message.contains("Content Security Policy"))
			.toList();
		assertThat(violations).isEmpty();
		Object inlineRan = browser.executeScript(
				"const script = document.createElement('script');" + "script.textContent = 'window.inlineRan = true';"
						+ "document.head.appendChild(script);" + "return window.inlineRan === true;");
		assertThat(inlineRan).as("an inline script runs").isEqualTo(false);
	}

}
