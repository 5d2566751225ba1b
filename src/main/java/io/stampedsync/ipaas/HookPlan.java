package io.stampedsync.ipaas;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.stampedsync.ipaas.HookDelivery.Notification;
import io.stampedsync.outbound.ErrorCode;
import io.stampedsync.web.ApiProblemException;
import io.stampedsync.web.FieldViolation;

import org.springframework.http.HttpStatus;

/**
 * What a hook delivery asks for, notification by notification, decided before anything is
 * stored: a delivery with an unknown scope or an unusable id is refused whole (422), so
 * nothing of it is queued.
 */
final class HookPlan {

	static final List<String> ACCEPTED_SCOPES = List.of("customer/created", "customer/updated", "customer/deleted");

	static final String INITIALIZATION_MESSAGE = "Initialization is not supported for Stamped.io: customers move "
			+ "individually, by an outbound trigger (customer/created, customer/updated) or by Manual Sync";

	static final int MAX_ID_LENGTH = 64;

	private HookPlan() {
	}

	/** What one notification asks for. */
	enum Kind {

		/** Fetch the customer from iPaaS.com and transfer it. */
		TRANSFER,

		/** A delete: recorded as {@code DELETE_NOT_SUPPORTED}. */
		DELETE,

		/**
		 * An initialization or poll: recorded as {@code INITIALIZATION_NOT_SUPPORTED}.
		 */
		INITIALIZE,

		/** Not a scope this gateway takes. */
		UNKNOWN

	}

	/** One notification and what it asks for. */
	record Item(int index, Notification notification, Kind kind) {

		String id() {
			String id = this.notification.id();
			return (id != null) ? id.trim() : null;
		}

		String trackingGuid() {
			String guid = this.notification.trackingGuid();
			return (guid != null && !guid.isBlank()) ? guid.trim() : null;
		}

	}

	static Kind kind(String scope) {
		if (scope == null) {
			return Kind.UNKNOWN;
		}
		String normalized = scope.trim().toLowerCase(Locale.ROOT);
		return switch (normalized) {
			case "customer/created", "customer/updated" -> Kind.TRANSFER;
			case "customer/deleted" -> Kind.DELETE;
			default ->
				(normalized.equals("initialize") || normalized.equals("poll") || normalized.endsWith("/initialize")
						|| normalized.endsWith("/poll")) ? Kind.INITIALIZE : Kind.UNKNOWN;
		};
	}

	/** The plan of {@code delivery}, or a 422 naming what is wrong. */
	static List<Item> of(HookDelivery delivery) {
		if (delivery.notifications().isEmpty()) {
			throw ApiProblemException.unprocessable("The delivery holds no notification",
					List.of(new FieldViolation("notifications", "must hold at least one notification")));
		}
		List<Item> items = new ArrayList<>();
		List<FieldViolation> violations = new ArrayList<>();
		for (int index = 0; index < delivery.notifications().size(); index++) {
			Notification notification = delivery.notifications().get(index);
			Item item = new Item(index, notification, kind(notification.scope()));
			if (item.kind() == Kind.UNKNOWN) {
				violations.add(new FieldViolation("notifications[" + index + "].scope",
						"must be one of " + String.join(", ", ACCEPTED_SCOPES)));
			}
			else if (item.kind() == Kind.TRANSFER) {
				checkId(item, violations);
			}
			items.add(item);
		}
		if (!violations.isEmpty()) {
			boolean scopes = violations.stream().anyMatch((violation) -> violation.field().endsWith(".scope"));
			String detail = scopes
					? "Unsupported scope; this endpoint accepts " + String.join(", ", ACCEPTED_SCOPES)
							+ ". Nothing of the delivery was queued"
					: "Unusable customer id; nothing of the delivery was queued";
			throw ApiProblemException.unprocessable(detail, violations);
		}
		if (items.stream().allMatch((item) -> item.kind() == Kind.INITIALIZE)) {
			throw initializationNotSupported();
		}
		return items;
	}

	/** The 422 of an initialization request, with its code. */
	static ApiProblemException initializationNotSupported() {
		ApiProblemException problem = ApiProblemException.of(HttpStatus.UNPROCESSABLE_CONTENT, INITIALIZATION_MESSAGE);
		problem.getBody().setProperty("code", ErrorCode.INITIALIZATION_NOT_SUPPORTED.name());
		return problem;
	}

	/** The message of a refused delete. */
	static String deleteMessage(String id) {
		return "Stamped.io has no customer delete: customer " + ((id != null && !id.isEmpty()) ? id + " " : "")
				+ "stays in Stamped.io; remove it there if it must go";
	}

	private static void checkId(Item item, List<FieldViolation> violations) {
		String id = item.id();
		if (id == null || id.isEmpty()) {
			violations.add(new FieldViolation("notifications[" + item.index() + "].id", "required"));
		}
		else if (id.length() > MAX_ID_LENGTH) {
			violations.add(new FieldViolation("notifications[" + item.index() + "].id",
					"longer than " + MAX_ID_LENGTH + " characters"));
		}
	}

}
