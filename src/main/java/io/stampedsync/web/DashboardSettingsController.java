package io.stampedsync.web;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/v1/dashboard/settings}: what the dashboard page needs to know. */
@RestController
class DashboardSettingsController {

	private final DashboardProperties properties;

	DashboardSettingsController(DashboardProperties properties) {
		this.properties = properties;
	}

	@GetMapping("/api/v1/dashboard/settings")
	DashboardSettings settings() {
		return new DashboardSettings(this.properties.reloadInterval().toSeconds());
	}

	/**
	 * The dashboard's settings.
	 *
	 * @param reloadSeconds how often the overview reads everything again, 0 = never
	 */
	record DashboardSettings(long reloadSeconds) {
	}

}
