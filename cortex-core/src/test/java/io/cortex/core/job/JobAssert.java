package io.cortex.core.job;

import org.assertj.core.api.AbstractAssert;

/** AssertJ assertions for a {@link Job}: {@code JobAssert.assertThat(job).isIn(RUNNING).hasVersion(4)}. */
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
            failWithMessage("expected job %s to be %s but was %s", actual.id(), expected, actual.state());
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

    JobAssert hasAttempts(int expected) {
        isNotNull();
        if (actual.attempts().size() != expected) {
            failWithMessage("expected job %s to have %d attempts but had %d: %s", actual.id(), expected,
                    actual.attempts().size(), actual.attempts());
        }
        return this;
    }

    JobAssert hasAttemptsUsed(int expected) {
        isNotNull();
        if (actual.attemptsUsed() != expected) {
            failWithMessage("expected job %s to have used %d attempts but used %d: %s", actual.id(), expected,
                    actual.attemptsUsed(), actual.attempts());
        }
        return this;
    }

    JobAssert hasAttemptsLeft(int expected) {
        isNotNull();
        if (actual.attemptsLeft() != expected) {
            failWithMessage("expected job %s to have %d attempts left but had %d: %s", actual.id(), expected,
                    actual.attemptsLeft(), actual.attempts());
        }
        return this;
    }
}
