package io.stampedsync.ipaas;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * An iPaaS.com outbound-trigger delivery (domain doc §3.3): unknown fields ignored,
 * {@code null} notifications dropped.
 *
 * @param id the delivery's id, echoed in the answer
 * @param attempt iPaaS.com's delivery attempt number
 * @param notifications what happened, one customer each
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record HookDelivery(@JsonProperty("id") String id, @JsonProperty("attempt") Integer attempt,
		@JsonProperty("notifications") List<Notification> notifications) {

	HookDelivery {
		List<Notification> kept = new ArrayList<>();
		if (notifications != null) {
			notifications.stream().filter((notification) -> notification != null).forEach(kept::add);
		}
		notifications = List.copyOf(kept);
	}

	/**
	 * One notification.
	 *
	 * @param action what happened, e.g. {@code created} (informative; {@code scope}
	 * decides)
	 * @param id the iPaaS.com customer id
	 * @param scope e.g. {@code customer/created}
	 * @param destination the receiving system (subscription) in iPaaS.com
	 * @param trackingGuid the same for every redelivery of this notification
	 */
	@JsonIgnoreProperties(ignoreUnknown = true)
	record Notification(@JsonProperty("action") String action, @JsonProperty("id") String id,
			@JsonProperty("scope") String scope, @JsonProperty("destination") String destination,
			@JsonProperty("tracking_guid") String trackingGuid) {

	}

}
