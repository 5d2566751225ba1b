package io.stampedsync.dashboard;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;

import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Headless Chromium from the Debian packages {@code chromium} and {@code chromium-driver}
 * (TOOLCHAIN.md). A test class that starts it is {@code @Requires(CHROMIUM)}: without
 * them its tests are reported skipped, or fail when {@code CI=true}.
 */
final class Chromium {

	static final Path BINARY = Path.of("/usr/bin/chromium");

	static final Path DRIVER = Path.of("/usr/bin/chromedriver");

	static final Path SCREENSHOTS = Path.of("target", "screenshots");

	private Chromium() {
	}

	/** A new headless browser with a laptop-sized window. */
	static ChromeDriver start() {
		// Set explicitly: otherwise Selenium Manager tries to download a driver.
		System.setProperty("webdriver.chrome.driver", DRIVER.toString());
		ChromeOptions options = new ChromeOptions();
		options.setBinary(BINARY.toFile());
		options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
				"--disable-dev-shm-usage", "--disable-component-update", "--disable-sync", "--no-first-run",
				"--window-size=1440,900", "--lang=en-US");
		LoggingPreferences logs = new LoggingPreferences();
		logs.enable(LogType.BROWSER, Level.ALL);
		options.setCapability("goog:loggingPrefs", logs);
		ChromeDriver driver = new ChromeDriver(options);
		driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
		return driver;
	}

	/**
	 * Writes the whole page, as tall as it is (up to 2400 pixels), to
	 * {@code target/screenshots/<name>.png}.
	 */
	static Path screenshot(ChromeDriver driver, String name) {
		Number width = (Number) driver.executeScript("return document.documentElement.clientWidth");
		Number height = (Number) driver.executeScript("return document.documentElement.scrollHeight");
		Map<String, Object> clip = Map.of("x", 0, "y", 0, "width", width.intValue(), "height",
				Math.min(2400, height.intValue()), "scale", 1);
		Map<String, Object> shot = driver.executeCdpCommand("Page.captureScreenshot",
				Map.of("format", "png", "captureBeyondViewport", true, "clip", clip));
		try {
			Files.createDirectories(SCREENSHOTS);
			Path file = SCREENSHOTS.resolve(name + ".png");
			Files.write(file, Base64.getDecoder().decode((String) shot.get("data")));
			return file;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Copies a screenshot taken by {@link #screenshot} to where the documentation shows
	 * it ({@code docs/…}) when the run asks for it ({@code -Ddashboard.document=true}): a
	 * plain test run leaves the checkout as it found it.
	 */
	static void document(String name, Path target) {
		if (!Boolean.getBoolean("dashboard.document")) {
			return;
		}
		try {
			Files.createDirectories(target.toAbsolutePath().getParent());
			Files.copy(SCREENSHOTS.resolve(name + ".png"), target, StandardCopyOption.REPLACE_EXISTING);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Console errors of the page, without the network lines Chromium logs for every
	 * answered 401 or 404 (the page expects those).
	 */
	static List<String> scriptErrors(ChromeDriver driver) {
		return driver.manage()
			.logs()
			.get(LogType.BROWSER)
			.getAll()
			.stream()
			.filter((entry) -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
			.map(LogEntry::getMessage)
			.filter((message) -> !message.contains("Failed to load resource"))
			.toList();
	}

}
