package io.stampedsync.batch;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.stampedsync.batch.WorkPlan.Work;

/**
 * The records a dispatcher has handed to its pipeline and not had back, each with the
 * {@link Ticket} of its hand-out: a late signal about an earlier hand-out of the same
 * record (from a pipeline a restart cancelled) is told apart and ignored. Not
 * thread-safe: the dispatcher guards it, and the tickets' flags, with its lock.
 */
final class Handouts {

	private final Map<Work, Ticket> out = new HashMap<>();

	/** Hands {@code work} out under a new ticket. */
	Ticket handOut(Work work) {
		Ticket ticket = new Ticket(work);
		this.out.put(work, ticket);
		return ticket;
	}

	/** Whether {@code ticket} is the latest hand-out of its record, still out. */
	boolean isCurrent(Ticket ticket) {
		return ticket.equals(this.out.get(ticket.work()));
	}

	/** The record is back. */
	void back(Work work) {
		this.out.remove(work);
	}

	/**
	 * Records out whose transfer has ended (or never began) although their answer never
	 * came back: nothing runs for them any more.
	 */
	List<Work> ended() {
		return this.out.values().stream().filter((ticket) -> ticket.transferEnded).map(Ticket::work).toList();
	}

	int size() {
		return this.out.size();
	}

	/**
	 * One hand-out of a record to the pipeline; equal only to itself, so a late signal of
	 * an earlier hand-out of the same record is told apart.
	 */
	static final class Ticket {

		private final Work work;

		/** Its transfer ended (or never began). */
		private boolean transferEnded;

		private Ticket(Work work) {
			this.work = work;
		}

		Work work() {
			return this.work;
		}

		/** Its transfer ended, or will never begin: the record may go again. */
		void transferEnded() {
			this.transferEnded = true;
		}

	}

}
