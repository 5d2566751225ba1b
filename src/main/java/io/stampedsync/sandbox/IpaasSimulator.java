package io.stampedsync.sandbox;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;

import io.netty.handler.codec.http.HttpMethod;
import tools.jackson.databind.node.ObjectNode;

/**
 * An iPaaS.com stand-in on 127.0.0.1: {@code GET /customers/v2/Customer/{id}} and
 * {@code POST /customers/v2/External/UpdateExternalId} with Bearer-token auth, plus the
 * shared rate limit, latency, faults and counters of {@link Simulator}. Plain Java:
 * {@code new}, {@link #start()}, {@link #close()}.
 */
public final class IpaasSimulator extends Simulator<IpaasEndpoint> {

	private static final String CUSTOMER_PATH = "/customers/v2/customer/";

	private static final String UPDATE_EXTERNAL_ID_PATH = "/customers/v2/external/updateexternalid";

	private final IpaasStore store;

	private volatile String token;

	/** A simulator on a free port with the system clock. */
	public IpaasSimulator(String token) {
		this(token, SimulatorOptions.defaults());
	}

	public IpaasSimulator(String token, SimulatorOptions options) {
		super(IpaasEndpoint.class, "ipaas-sim", options);
		this.token = Objects.requireNonNull(token, "token");
		this.store = new IpaasStore(options.callLogCapacity());
	}

	@Override
	public IpaasSimulator start() {
		super.start();
		return this;
	}

	/** Accepts only this bearer token from now on. */
	public void token(String token) {
		this.token = Objects.requireNonNull(token, "token");
	}

	/** The simulated customers and the external ids written back. */
	public IpaasStore store() {
		return this.store;
	}

	// iPaaS.com runs on ASP.NET, whose routes ignore case.
	@Override
	IpaasEndpoint classify(HttpMethod method, String path) {
		String lower = path.toLowerCase(java.util.Locale.ROOT);
		if (HttpMethod.GET.equals(method) && lower.startsWith(CUSTOMER_PATH)
				&& lower.indexOf('/', CUSTOMER_PATH.length()) < 0 && lower.length() > CUSTOMER_PATH.length()) {
			return IpaasEndpoint.GET_CUSTOMER;
		}
		if (HttpMethod.POST.equals(method) && lower.equals(UPDATE_EXTERNAL_ID_PATH)) {
			return IpaasEndpoint.UPDATE_EXTERNAL_ID;
		}
		return IpaasEndpoint.OTHER;
	}

	@Override
	Reply route(Call<IpaasEndpoint> call) {
		if (call.endpoint() == IpaasEndpoint.OTHER) {
			return Reply.message(404, "Not found");
		}
		if (!authorized(call.header("Authorization"))) {
			return Reply.message(401, "Unauthorized");
		}
		if (call.endpoint() == IpaasEndpoint.GET_CUSTOMER) {
			String id = call.path().substring(CUSTOMER_PATH.length());
			return this.store.customer(id)
				.map((customer) -> Reply.json(200, customer))
				.orElseGet(() -> Reply.message(404, "NFND-1005: Customer " + id + " was not found"));
		}
		return updateExternalId(call.body());
	}

	private Reply updateExternalId(String body) {
		ObjectNode json = Json.object(body);
		if (json == null) {
			return Reply.message(400, "Request body must be a JSON object");
		}
		String table = Json.text(json, "table_name");
		String externalId = Json.text(json, "external_id");
		String internalId = Json.text(json, "internal_id");
		long systemId;
		try {
			systemId = Long.parseLong(String.valueOf(Json.text(json, "system_id")));
		}
		catch (NumberFormatException ex) {
			systemId = 0;
		}
		if (!"customer".equalsIgnoreCase(table)) {
			return Reply.message(400, "table_name must be customer");
		}
		if (systemId <= 0) {
			return Reply.message(400, "VALD-1017: Invalid System Id");
		}
		if (externalId == null || externalId.isBlank() || internalId == null || internalId.isBlank()) {
			return Reply.message(400, "external_id and internal_id are required");
		}
		ExternalIdWrite write = new ExternalIdWrite("customer", systemId, externalId, internalId);
		if (!this.store.record(write)) {
			return Reply.message(404, "NFND-1005: Customer " + internalId + " was not found");
		}
		return Reply.json(200,
				Json.newObject()
					.put("id", this.store.externalIdWriteCount())
					.put("table_name", "customer")
					.put("system_id", systemId)
					.put("external_id", externalId)
					.put("internal_id", internalId));
	}

	private boolean authorized(String authorization) {
		if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
			return false;
		}
		byte[] presented = authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8);
		return MessageDigest.isEqual(this.token.getBytes(StandardCharsets.UTF_8), presented);
	}

}
