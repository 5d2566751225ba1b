package io.stampedsync.dashboard;

import io.stampedsync.TestSubscriptions;
import io.stampedsync.sandbox.StampedSimulator;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * What a browser test class needs besides the gateway Spring starts: a Stamped.io
 * simulator for its subscriptions and one headless Chromium, closed after the class.
 * Register it on a static field with {@code @RegisterExtension} and mark the class
 * {@code @Requires(CHROMIUM)}.
 * <p>
 * The browser starts on first use, not before the class: where Chromium is missing the
 * rule skips (or, with {@code CI=true}, fails) each test and its set-up, so nothing asks
 * for the browser and nothing fails for another reason than the one the rule gives.
 */
final class BrowserFixture implements AfterAllCallback {

	/** The simulator the test class points its subscriptions at. */
	final StampedSimulator stamped = TestSubscriptions.stampedSimulator();

	private ChromeDriver browser;

	/** The class's browser, started by the first test that asks. */
	synchronized ChromeDriver browser() {
		if (this.browser == null) {
			this.browser = Chromium.start();
		}
		return this.browser;
	}

	/** The dashboard of the gateway on {@code port}, in the class's browser. */
	DashboardPage page(int port) {
		return new DashboardPage(browser(), baseUrl(port));
	}

	@Override
	public synchronized void afterAll(ExtensionContext context) {
		if (this.browser != null) {
			this.browser.quit();
			this.browser = null;
		}
		this.stamped.close();
	}

	private static String baseUrl(int port) {
		return "http://localhost:" + port;
	}

}
