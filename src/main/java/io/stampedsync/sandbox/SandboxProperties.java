package io.stampedsync.sandbox;

import java.time.Duration;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the {@code sandbox} profile: where the simulators listen, the demo
 * credentials they accept, and how they behave. The demo values are not secrets; they are
 * still logged masked.
 *
 * @param stampedPort port of the Stamped.io simulator on 127.0.0.1 (0: a free one)
 * @param ipaasPort port of the iPaaS.com simulator on 127.0.0.1 (0: a free one)
 * @param storeHash the demo store hash the Stamped.io simulator serves
 * @param publicKey the demo Stamped.io public key (Basic-auth user)
 * @param privateKey the demo Stamped.io private key (Basic-auth password)
 * @param ipaasToken the demo iPaaS.com bearer token
 * @param rateLimit L of the Stamped.io simulator's strict sliding window; 0 turns it off
 * @param rateWindow W of that window
 * @param ipaasRateLimit L of the iPaaS.com simulator's window; 0 turns it off
 * @param ipaasRateWindow W of that window
 * @param latency delay of every simulated answer
 * @param firstCustomerId the first iPaaS.com customer id the simulator knows
 * @param customers how many iPaaS.com customer ids it knows from the first one
 * @param invalidSamples whether every id with {@code id % 20 == 19} has an invalid email
 */
@ConfigurationProperties(SandboxProperties.PREFIX)
@Validated
public record SandboxProperties(@DefaultValue("8090") @Min(0) @Max(65535) int stampedPort,
		@DefaultValue("8091") @Min(0) @Max(65535) int ipaasPort,
		@DefaultValue("demo-store") @NotBlank @Pattern(regexp = "[A-Za-z0-9._-]+") String storeHash,
		@DefaultValue("pubkey-sandbox-demo") @NotBlank String publicKey,
		@DefaultValue("key-sandbox-demo-0001") @NotBlank String privateKey,
		@DefaultValue("ipaas-sandbox-token-0001") @NotBlank String ipaasToken,
		@DefaultValue("500") @Min(0) int rateLimit, @DefaultValue("60s") @NotNull Duration rateWindow,
		@DefaultValue("500") @Min(0) int ipaasRateLimit, @DefaultValue("60s") @NotNull Duration ipaasRateWindow,
		@DefaultValue("20ms") @NotNull Duration latency, @DefaultValue("150700") @Min(1) long firstCustomerId,
		@DefaultValue("200") @Min(0) int customers, @DefaultValue("true") boolean invalidSamples) {

	public static final String PREFIX = "stamped-sync.sandbox";

	@AssertTrue(message = "rate windows must be positive and latency not negative")
	boolean isTimingValid() {
		return this.rateWindow != null && this.ipaasRateWindow != null && this.latency != null
				&& !this.rateWindow.isNegative() && !this.rateWindow.isZero() && !this.ipaasRateWindow.isNegative()
				&& !this.ipaasRateWindow.isZero() && !this.latency.isNegative();
	}

}
