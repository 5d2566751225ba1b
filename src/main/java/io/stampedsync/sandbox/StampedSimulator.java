package io.stampedsync.sandbox;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Objects;

import io.netty.handler.codec.http.HttpMethod;
import tools.jackson.databind.node.ObjectNode;

/**
 * A Stamped.io stand-in on 127.0.0.1, implementing the domain doc's decisions: the six v2
 * endpoints under {@code /api/v2/{storeHash}/}, HTTP Basic auth with the public and
 * private key, e-mail de-duplication on create, plus the shared rate limit, latency,
 * faults and counters of {@link Simulator}. Plain Java: {@code new}, {@link #start()},
 * {@link #close()}.
 */
public final class StampedSimulator extends Simulator<StampedEndpoint> {

	/** The message of every 401, as Stamped.io's own plugin words it. */
	public static final String INVALID_KEYS = "API Key or API Secret is invalid";

	private final StampedStore store = new StampedStore();

	private final StampedRoutes routes = new StampedRoutes(this.store);

	private volatile Credentials credentials;

	/** A simulator on a free port with the system clock. */
	public StampedSimulator(String storeHash, String publicKey, String privateKey) {
		this(storeHash, publicKey, privateKey, SimulatorOptions.defaults());
	}

	public StampedSimulator(String storeHash, String publicKey, String privateKey, SimulatorOptions options) {
		super(StampedEndpoint.class, "stamped-sim", options);
		this.credentials = new Credentials(storeHash, publicKey, privateKey);
	}

	@Override
	public StampedSimulator start() {
		super.start();
		return this;
	}

	/** Accepts only this key pair from now on (rotation). */
	public void credentials(String publicKey, String privateKey) {
		this.credentials = new Credentials(this.credentials.storeHash(), publicKey, privateKey);
	}

	/** Serves only this store hash from now on; any other gets 401. */
	public void storeHash(String storeHash) {
		Credentials current = this.credentials;
		this.credentials = new Credentials(storeHash, current.publicKey(), current.privateKey());
	}

	public String storeHash() {
		return this.credentials.storeHash();
	}

	/** The simulated customers. */
	public StampedStore store() {
		return this.store;
	}

	@Override
	StampedEndpoint classify(HttpMethod method, String path) {
		String[] segments = path.split("/");
		if (segments.length < 6 || !"api".equals(segments[1]) || !"v2".equals(segments[2])) {
			return StampedEndpoint.OTHER;
		}
		String area = segments[4];
		boolean post = HttpMethod.POST.equals(method);
		if ("dashboard".equals(area) && "customers".equals(segments[5])) {
			if (segments.length == 6) {
				return HttpMethod.GET.equals(method) ? StampedEndpoint.LIST : StampedEndpoint.OTHER;
			}
			if (segments.length == 7) {
				if ("add".equals(segments[6])) {
					return post ? StampedEndpoint.CREATE : StampedEndpoint.OTHER;
				}
				return post ? StampedEndpoint.UPDATE
						: HttpMethod.GET.equals(method) ? StampedEndpoint.GET : StampedEndpoint.OTHER;
			}
		}
		if ("survey".equals(area) && segments.length == 6 && post) {
			return switch (segments[5]) {
				case "subscribe" -> StampedEndpoint.SUBSCRIBE;
				case "unsubscribe" -> StampedEndpoint.UNSUBSCRIBE;
				default -> StampedEndpoint.OTHER;
			};
		}
		return StampedEndpoint.OTHER;
	}

	@Override
	String key(Call<StampedEndpoint> call) {
		return switch (call.endpoint()) {
			case CREATE, UPDATE, SUBSCRIBE, UNSUBSCRIBE -> {
				ObjectNode json = Json.object(call.body());
				yield (json != null) ? Json.text(json, "email") : null;
			}
			default -> null;
		};
	}

	@Override
	Reply route(Call<StampedEndpoint> call) {
		if (call.endpoint() == StampedEndpoint.OTHER) {
			return Reply.message(404, "Not found");
		}
		String[] segments = call.path().split("/");
		Credentials current = this.credentials;
		// A wrong store hash answers like wrong keys: the keys belong to one store.
		if (!current.accepts(call.header("Authorization")) || !current.storeHash().equals(segments[3])) {
			return Reply.message(401, INVALID_KEYS);
		}
		return this.routes.serve(call, segments);
	}

	private record Credentials(String storeHash, String publicKey, String privateKey) {

		Credentials {
			Objects.requireNonNull(storeHash, "storeHash");
			Objects.requireNonNull(publicKey, "publicKey");
			Objects.requireNonNull(privateKey, "privateKey");
		}

		boolean accepts(String authorization) {
			if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
				return false;
			}
			byte[] presented;
			try {
				presented = Base64.getDecoder().decode(authorization.substring(6).trim());
			}
			catch (IllegalArgumentException ex) {
				return false;
			}
			byte[] expected = (this.publicKey + ":" + this.privateKey).getBytes(StandardCharsets.UTF_8);
			return MessageDigest.isEqual(expected, presented);
		}

		@Override
		public String toString() {
			return "Credentials[storeHash=" + this.storeHash + ", publicKey=" + this.publicKey + "]";
		}

	}

}
