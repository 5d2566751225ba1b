package io.stampedsync.outbound;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import reactor.util.context.Context;
import reactor.util.context.ContextView;

import org.springframework.stereotype.Component;

/**
 * The calls one transfer made, carried in the Reactor {@link Context} so the clients can
 * count every attempt without knowing about transfers. A traced log also keeps the
 * details (method, path, status, duration, attempt) for a debug Manual Sync; never a
 * header or a secret.
 */
public final class CallLog {

	private final String ipaasCustomerId;

	private final boolean traced;

	private final AtomicInteger calls = new AtomicInteger();

	private final AtomicInteger ipaasCalls = new AtomicInteger();

	private final List<CallTrace> traces = new ArrayList<>();

	/**
	 * A log of one transfer's calls.
	 * @param ipaasCustomerId the customer the transfer is for, so that an observer can
	 * tell whose call it sees
	 * @param traced whether to keep each call's details
	 */
	public CallLog(String ipaasCustomerId, boolean traced) {
		this.ipaasCustomerId = ipaasCustomerId;
		this.traced = traced;
	}

	/** The iPaaS.com id of the customer whose transfer made these calls. */
	public String ipaasCustomerId() {
		return this.ipaasCustomerId;
	}

	/** The log of the current transfer, if the context holds one. */
	public static CallLog from(ContextView context) {
		return context.getOrDefault(CallLog.class, null);
	}

	/** A context that carries this log. */
	public Context into(Context context) {
		return context.put(CallLog.class, this);
	}

	/** Notes one attempt that went out. */
	public void record(OutboundCall call) {
		this.calls.incrementAndGet();
		if (call.direction() == Direction.IPAAS) {
			this.ipaasCalls.incrementAndGet();
		}
		if (this.traced) {
			CallTrace trace = new CallTrace(call.direction().tag(), call.method(), call.path(), call.status(),
					call.duration().toMillis(), call.attempt(), (call.error() != null) ? call.error().name() : null);
			synchronized (this.traces) {
				this.traces.add(trace);
			}
		}
	}

	/** The observer that feeds the log of whichever transfer made the call. */
	@Component
	static class Recorder implements CallObserver {

		@Override
		public void onCall(OutboundCall call, ContextView context) {
			CallLog log = from(context);
			if (log != null) {
				log.record(call);
			}
		}

	}

	/** Attempts made so far, retries included. */
	public int calls() {
		return this.calls.get();
	}

	/** Of {@link #calls()}, those to iPaaS.com; the others went to Stamped.io. */
	public int ipaasCalls() {
		return this.ipaasCalls.get();
	}

	public List<CallTrace> traces() {
		synchronized (this.traces) {
			return List.copyOf(this.traces);
		}
	}

	/** One attempt, as shown in a debug batch's results. */
	public record CallTrace(String direction, String method, String path, int status, long durationMs, int attempt,
			String error) {

	}

}
