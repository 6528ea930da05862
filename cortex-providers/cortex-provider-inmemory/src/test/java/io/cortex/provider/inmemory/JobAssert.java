package io.cortex.provider.inmemory;

import io.cortex.core.job.Attempt;
import io.cortex.core.job.Job;
import io.cortex.core.job.JobState;
import io.cortex.core.job.ReasonCode;
import io.cortex.core.provider.ProviderId;
import org.assertj.core.api.AbstractAssert;

/**
 * AssertJ assertions for a {@link Job} seen end to end:
 * {@code assertThat(job).isIn(SUCCEEDED).hasAttempts(2).endedAttemptWith(1, STUCK_PENDING).ranAttemptOn(2, "b")}.
 */
final class JobAssert extends AbstractAssert<JobAssert, Job> {
    private JobAssert(Job actual) {
        super(actual, JobAssert.class);
    }

    static JobAssert assertThat(Job actual) {
        return new JobAssert(actual);
    }

    JobAssert isIn(JobState expected) {
        isNotNull();
        if (actual.state() != expected) {
            failWithMessage("expected job %s to be %s but was %s (%s: %s)", actual.id(), expected, actual.state(),
                    actual.lastReason(), actual.lastMessage());
        }
        return this;
    }

    /** The reason of the last change, e.g. the reason the job failed. */
    JobAssert hasReason(ReasonCode expected) {
        isNotNull();
        if (actual.lastReason() != expected) {
            failWithMessage("expected job %s to have last reason %s but had %s: %s", actual.id(), expected,
                    actual.lastReason(), actual.lastMessage());
        }
        return this;
    }

    JobAssert hasMessageContaining(String text) {
        isNotNull();
        if (!actual.lastMessage().contains(text)) {
            failWithMessage("expected job %s's last message to contain <%s> but was <%s>", actual.id(), text, actual.lastMessage());
        }
        return this;
    }

    JobAssert hasAttempts(int expected) {
        isNotNull();
        if (actual.attempts().size() != expected) {
            failWithMessage("expected job %s to have %d attempts but had %d: %s", actual.id(), expected,
                    actual.attempts().size(), actual.attempts());
        }
        return this;
    }

    /** Attempts charged to the retry budget. */
    JobAssert hasAttemptsUsed(int expected) {
        isNotNull();
        if (actual.attemptsUsed() != expected) {
            failWithMessage("expected job %s to have used %d attempts of its budget but used %d: %s", actual.id(), expected,
                    actual.attemptsUsed(), actual.attempts());
        }
        return this;
    }

    /** Attempt {@code number} (from 1) ended for {@code reason}. */
    JobAssert endedAttemptWith(int number, ReasonCode reason) {
        Attempt a = attempt(number);
        if (a.outcome() != reason) {
            failWithMessage("expected attempt %d of job %s to end with %s but it ended with %s: %s", number, actual.id(),
                    reason, a.outcome(), actual.attempts());
        }
        return this;
    }

    /** Attempt {@code number} (from 1) was placed on {@code provider}. */
    JobAssert ranAttemptOn(int number, String provider) {
        Attempt a = attempt(number);
        if (!a.provider().equals(ProviderId.of(provider))) {
            failWithMessage("expected attempt %d of job %s on %s but it was on %s", number, actual.id(), provider, a.provider());
        }
        return this;
    }

    /** The job has an open attempt on {@code provider}. */
    JobAssert isOn(String provider) {
        isNotNull();
        if (!actual.provider().map(ProviderId.of(provider)::equals).orElse(false)) {
            failWithMessage("expected job %s to sit on %s but it is %s on %s", actual.id(), provider, actual.state(),
                    actual.provider().map(Object::toString).orElse("no provider"));
        }
        return this;
    }

    JobAssert hasVersion(long expected) {
        isNotNull();
        if (actual.version() != expected) {
            failWithMessage("expected job %s at version %d but was at %d", actual.id(), expected, actual.version());
        }
        return this;
    }

    private Attempt attempt(int number) {
        isNotNull();
        if (number < 1 || number > actual.attempts().size()) {
            failWithMessage("expected job %s to have an attempt %d but it has %d: %s", actual.id(), number,
                    actual.attempts().size(), actual.attempts());
        }
        return actual.attempts().get(number - 1);
    }
}
