package io.stampedsync.web;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Dashboard settings ({@code stamped-sync.dashboard.*}).
 *
 * @param reloadInterval how often the overview reads every batch and subscription again,
 * as a safety net under its live stream; {@code 0} switches it off (the browser tests do,
 * to prove the page is live by SSE alone)
 */
@Validated
@ConfigurationProperties("stamped-sync.dashboard")
public record DashboardProperties(@DefaultValue("30s") @NotNull Duration reloadInterval) {

}
