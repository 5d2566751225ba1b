package io.stampedsync.dashboard;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The dashboard as a test drives it: what a user sees and does, found by role or id. */
final class DashboardPage {

	static final List<String> OUTCOMES = List.of("created", "updated", "unchanged", "rejected", "failed", "cancelled");

	private final ChromeDriver driver;

	private final String baseUrl;

	DashboardPage(ChromeDriver driver, String baseUrl) {
		this.driver = driver;
		this.baseUrl = baseUrl;
	}

	ChromeDriver driver() {
		return this.driver;
	}

	/** Opens the overview and waits until its live stream is connected. */
	DashboardPage openOverview() {
		this.driver.get(this.baseUrl + "/#/");
		await(Duration.ofSeconds(30), (driver) -> !driver.findElements(By.id("sign-in-form")).isEmpty()
				|| "live".equals(attribute(By.id("connection"), "data-state")));
		return this;
	}

	boolean showsSignIn() {
		return !this.driver.findElements(By.id("sign-in-form")).isEmpty();
	}

	/** Types the token and presses Enter, as a keyboard user would. */
	DashboardPage signIn(String token) {
		WebElement field = await(Duration.ofSeconds(30), (driver) -> first(By.id("token")));
		field.clear();
		field.sendKeys(token, Keys.ENTER);
		await(Duration.ofSeconds(30), (driver) -> "live".equals(attribute(By.id("connection"), "data-state")));
		return this;
	}

	/** Opens the overview signed in with {@code token}, signing out whoever was in. */
	DashboardPage openAs(String token) {
		openOverview();
		if (!showsSignIn()) {
			signOut();
		}
		return signIn(token);
	}

	/** Signs out through the header button, back to the sign-in form. */
	DashboardPage signOut() {
		this.driver.findElement(By.id("sign-out")).click();
		await(Duration.ofSeconds(30), (driver) -> first(By.id("token")));
		return this;
	}

	String signedInAs() {
		return this.driver.findElement(By.id("signed-in-as")).getText();
	}

	WebElement awaitBatchRow(String batchId, Function<WebElement, Boolean> condition) {
		By row = By.cssSelector("#batches-table tr[data-batch-id='" + batchId + "']");
		return await(Duration.ofSeconds(90), (driver) -> {
			WebElement element = first(row);
			return (element != null && condition.apply(element)) ? element : null;
		});
	}

	WebElement awaitSubscriptionRow(String subscriptionId, Function<WebElement, Boolean> condition) {
		By row = By.cssSelector("#subscriptions-table tr[data-subscription-id='" + subscriptionId + "']");
		return await(Duration.ofSeconds(90), (driver) -> {
			WebElement element = first(row);
			return (element != null && condition.apply(element)) ? element : null;
		});
	}

	/** Follows a batch's link with the keyboard and waits for its page. */
	void openBatchFromOverview(String batchId) {
		WebElement link = this.driver
			.findElement(By.cssSelector("#batches-table tr[data-batch-id='" + batchId + "'] a"));
		link.sendKeys(Keys.ENTER);
		await(Duration.ofSeconds(30), (driver) -> first(By.id("batch-status")));
	}

	void openBatch(String batchId) {
		this.driver.get(this.baseUrl + "/#/batches/" + batchId);
		await(Duration.ofSeconds(30), (driver) -> first(By.id("batch-status")));
	}

	/** The numbers shown per outcome inside {@code container}. */
	static Map<String, Long> counts(WebElement container) {
		Map<String, Long> counts = new LinkedHashMap<>();
		for (String outcome : OUTCOMES) {
			String text = container.findElement(By.cssSelector("[data-outcome='" + outcome + "']")).getText();
			counts.put(outcome, Long.parseLong(text.replaceAll("[^0-9]", "")));
		}
		return counts;
	}

	static int percent(WebElement container) {
		return Integer
			.parseInt(container.findElement(By.cssSelector("[role='progressbar']")).getDomAttribute("aria-valuenow"));
	}

	WebElement element(By by) {
		return this.driver.findElement(by);
	}

	List<WebElement> elements(By by) {
		return this.driver.findElements(by);
	}

	<T> T await(Duration timeout, Function<WebDriver, T> condition) {
		try {
			return new WebDriverWait(this.driver, timeout, Duration.ofMillis(200))
				.ignoring(StaleElementReferenceException.class)
				.until(condition::apply);
		}
		catch (TimeoutException ex) {
			// What the page showed, to tell a slow gateway from a broken page.
			throw new AssertionError(
					"Timed out; the page showed:\n" + this.driver.findElement(By.tagName("body")).getText()
							+ "\nScript errors: " + Chromium.scriptErrors(this.driver),
					ex);
		}
	}

	private WebElement first(By by) {
		List<WebElement> found = this.driver.findElements(by);
		return found.isEmpty() ? null : found.get(0);
	}

	private String attribute(By by, String name) {
		WebElement element = first(by);
		return (element != null) ? element.getDomAttribute(name) : null;
	}

}
