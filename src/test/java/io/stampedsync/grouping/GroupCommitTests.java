package io.stampedsync.grouping;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import io.stampedsync.batch.GroupCommit;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.scheduler.VirtualTimeScheduler;

import static org.assertj.core.api.Assertions.assertThat;

class GroupCommitTests {

	private static final Duration SPACING = Duration.ofMillis(20);

	/** Groups handed to the writer, each completed by the test. */
	private final List<List<String>> groups = new ArrayList<>();

	private final List<Sinks.Empty<Void>> pending = new ArrayList<>();

	private final List<Throwable> failures = new ArrayList<>();

	private final GroupCommit<String> commit = new GroupCommit<>(3, this::write, this.failures::add);

	private Mono<Void> write(List<String> group) {
		this.groups.add(List.copyOf(group));
		Sinks.Empty<Void> done = Sinks.empty();
		this.pending.add(done);
		return done.asMono();
	}

	@Test
	void writesASingleItemAtOnceWithoutWaitingForAnother() {
		this.commit.submit("a");

		assertThat(this.groups).containsExactly(List.of("a"));
	}

	@Test
	void gathersWhatArrivesDuringAWriteIntoTheNextGroupInOrder() {
		this.commit.submit("a");
		this.commit.submit("b");
		this.commit.submit("c");
		assertThat(this.groups).containsExactly(List.of("a"));

		this.pending.get(0).tryEmitEmpty();

		assertThat(this.groups).containsExactly(List.of("a"), List.of("b", "c"));
		assertThat(this.commit.waiting()).isZero();
	}

	@Test
	void splitsWhatWaitsIntoGroupsOfAtMostTheMaximum() {
		this.commit.submit("a");
		List.of("b", "c", "d", "e").forEach(this.commit::submit);

		this.pending.get(0).tryEmitEmpty();
		this.pending.get(1).tryEmitEmpty();

		assertThat(this.groups).containsExactly(List.of("a"), List.of("b", "c", "d"), List.of("e"));
	}

	@Test
	void writeCompletesOnceItsGroupIsWritten() {
		AtomicBoolean first = new AtomicBoolean();
		AtomicBoolean second = new AtomicBoolean();
		this.commit.write("a").subscribe(null, null, () -> first.set(true));
		this.commit.write("b").subscribe(null, null, () -> second.set(true));

		this.pending.get(0).tryEmitEmpty();
		assertThat(first).isTrue();
		assertThat(second).isFalse();

		this.pending.get(1).tryEmitEmpty();
		assertThat(second).isTrue();
	}

	@Test
	void flushCompletesOnceEverythingBeforeItIsWritten() {
		AtomicBoolean flushed = new AtomicBoolean();
		this.commit.submit("a");
		this.commit.submit("b");
		this.commit.flush().subscribe(null, null, () -> flushed.set(true));

		this.pending.get(0).tryEmitEmpty();
		assertThat(flushed).isFalse();
		this.pending.get(1).tryEmitEmpty();

		assertThat(flushed).isTrue();
	}

	@Test
	void flushOfAnIdleWriterCompletesAtOnce() {
		// Completed before subscribe returns: a block() here would pass as well on a
		// flush that completes late, and hang the build on one that never does.
		AtomicBoolean flushed = new AtomicBoolean();
		this.commit.flush().subscribe(null, null, () -> flushed.set(true));

		assertThat(flushed).isTrue();
		assertThat(this.groups).isEmpty();
	}

	@Test
	void aFailedGroupFailsItsWritesAndTheNextGroupGoesOn() {
		AtomicReference<Throwable> failed = new AtomicReference<>();
		this.commit.write("a").subscribe(null, failed::set);
		this.commit.submit("b");

		this.pending.get(0).tryEmitError(new IllegalStateException("disk full"));

		assertThat(failed.get()).hasMessage("disk full");
		assertThat(this.failures).hasSize(1);
		assertThat(this.groups).containsExactly(List.of("a"), List.of("b"));
	}

	@Test
	void aWriterThatThrowsFailsTheGroupOnly() {
		GroupCommit<String> throwing = new GroupCommit<>(3, (group) -> {
			if (group.contains("bad")) {
				throw new IllegalArgumentException("bad");
			}
			this.groups.add(group);
			return Mono.empty();
		}, this.failures::add);

		throwing.submit("bad");
		throwing.submit("good");

		assertThat(this.failures).hasSize(1);
		assertThat(this.groups).containsExactly(List.of("good"));
	}

	@Test
	void withASpacingWhatArrivesSoonAfterAGroupStartedWaitsForTheSpacingAndGoesAsOneGroup() {
		VirtualTimeScheduler time = VirtualTimeScheduler.create();
		GroupCommit<String> spaced = new GroupCommit<>(3, SPACING, time, this::write, this.failures::add);
		spaced.submit("a");
		this.pending.get(0).tryEmitEmpty();

		spaced.submit("b");
		spaced.submit("c");
		time.advanceTimeBy(SPACING.minusMillis(1));
		assertThat(this.groups).containsExactly(List.of("a"));

		time.advanceTimeBy(Duration.ofMillis(1));
		assertThat(this.groups).containsExactly(List.of("a"), List.of("b", "c"));
		assertThat(spaced.waiting()).isZero();
	}

	@Test
	void withASpacingAnItemAfterAQuietSpellGoesAtOnce() {
		VirtualTimeScheduler time = VirtualTimeScheduler.create();
		GroupCommit<String> spaced = new GroupCommit<>(3, SPACING, time, this::write, this.failures::add);
		spaced.submit("a");
		this.pending.get(0).tryEmitEmpty();
		time.advanceTimeBy(SPACING);

		spaced.submit("b");

		assertThat(this.groups).containsExactly(List.of("a"), List.of("b"));
	}

	@Test
	void withASpacingAWholeGroupWaitingWhenTheLastWriteEndsGoesAtOnce() {
		VirtualTimeScheduler time = VirtualTimeScheduler.create();
		GroupCommit<String> spaced = new GroupCommit<>(3, SPACING, time, this::write, this.failures::add);
		spaced.submit("a");
		List.of("b", "c", "d", "e").forEach(spaced::submit);

		this.pending.get(0).tryEmitEmpty();
		assertThat(this.groups).containsExactly(List.of("a"), List.of("b", "c", "d"));

		// What is left is less than a group: it waits for the spacing.
		this.pending.get(1).tryEmitEmpty();
		assertThat(this.groups).hasSize(2);
		time.advanceTimeBy(SPACING);
		assertThat(this.groups).containsExactly(List.of("a"), List.of("b", "c", "d"), List.of("e"));
	}

	@Test
	void withASpacingAFlushWaitsForTheItemsHeldBeforeIt() {
		VirtualTimeScheduler time = VirtualTimeScheduler.create();
		GroupCommit<String> spaced = new GroupCommit<>(3, SPACING, time, this::write, this.failures::add);
		spaced.submit("a");
		this.pending.get(0).tryEmitEmpty();
		spaced.submit("b");
		AtomicBoolean flushed = new AtomicBoolean();
		spaced.flush().subscribe(null, null, () -> flushed.set(true));

		time.advanceTimeBy(SPACING);
		assertThat(this.groups).containsExactly(List.of("a"), List.of("b"));
		assertThat(flushed).isFalse();

		this.pending.get(1).tryEmitEmpty();
		assertThat(flushed).isTrue();
	}

}
