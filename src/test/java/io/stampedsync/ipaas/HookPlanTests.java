package io.stampedsync.ipaas;

import java.util.Arrays;
import java.util.List;

import io.stampedsync.ipaas.HookDelivery.Notification;
import io.stampedsync.ipaas.HookPlan.Kind;
import io.stampedsync.web.ApiProblemException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class HookPlanTests {

	@ParameterizedTest
	@CsvSource({ "customer/created,TRANSFER", "Customer/Updated,TRANSFER", " customer/updated ,TRANSFER",
			"customer/deleted,DELETE", "initialize,INITIALIZE", "poll,INITIALIZE", "customer/initialize,INITIALIZE",
			"customer/poll,INITIALIZE", "product/created,UNKNOWN", "customer,UNKNOWN", "'',UNKNOWN" })
	void scopesAreReadCaseInsensitively(String scope, Kind kind) {
		assertThat(HookPlan.kind(scope)).isEqualTo(kind);
	}

	@Test
	void aMixedDeliveryKeepsItsInitializationsAsRefusedItems() {
		List<HookPlan.Item> plan = HookPlan.of(new HookDelivery("d", 1,
				List.of(notification("customer/created", "1"), notification("customer/initialize", null))));
		assertThat(plan).extracting(HookPlan.Item::kind).containsExactly(Kind.TRANSFER, Kind.INITIALIZE);
	}

	@Test
	void anOverlongIdIsRefusedNamingItsIndex() {
		ApiProblemException problem = catchThrowableOfType(ApiProblemException.class, () -> HookPlan
			.of(new HookDelivery("d", 1,
					List.of(notification("customer/deleted", "1"), notification("customer/updated", "1".repeat(65))))));
		assertThat(problem.getStatusCode().value()).isEqualTo(422);
		assertThat(problem.violations()).singleElement()
			.satisfies((violation) -> assertThat(violation.field()).isEqualTo("notifications[1].id"));
	}

	@Test
	void nullNotificationsAreDroppedAndAnEmptyDeliveryIsRefused() {
		HookDelivery delivery = new HookDelivery("d", 1, Arrays.asList(null, null));
		assertThat(delivery.notifications()).isEmpty();
		assertThat(catchThrowableOfType(ApiProblemException.class, () -> HookPlan.of(delivery)).getStatusCode().value())
			.isEqualTo(422);
	}

	private static Notification notification(String scope, String id) {
		return new Notification("a", id, scope, "4242", "guid-" + scope + id);
	}

}
