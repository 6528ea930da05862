package io.cortex.core.job;

import static io.cortex.core.job.JobState.ASSIGNED;
import static io.cortex.core.job.JobState.CANCELLED;
import static io.cortex.core.job.JobState.FAILED;
import static io.cortex.core.job.JobState.PENDING;
import static io.cortex.core.job.JobState.RUNNING;
import static io.cortex.core.job.JobState.SUCCEEDED;
import static io.cortex.core.job.Jobs.BETA;
import static io.cortex.core.job.Jobs.JOB_ID;
import static io.cortex.core.job.Jobs.aJobIn;
import static io.cortex.core.job.Jobs.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.fail;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The job state table (DESIGN.md, "Domain model") and the verbs that go through it.
 *
 * <p>The expected matrix is written out below. Adding a state to {@link JobState} makes
 * {@link #tableAllowsExactlyTheMovesOfTheExpectedMatrix} fail for every pair involving it until the
 * matrix gets a row and a column for it: a decision for each pair.
 */
class JobStateTransitionsTest {

    /** Rows are "from", columns are "to"; Y = allowed, . = refused. */
    private static final String EXPECTED_MATRIX = """
            from \\ to  PENDING  ASSIGNED  RUNNING  SUCCEEDED  FAILED  CANCELLED
            PENDING       .         Y         .        .         Y        Y
            ASSIGNED      Y         .         Y        .         Y        Y
            RUNNING       Y         .         .        Y         Y        Y
            SUCCEEDED     .         .         .        .         .        .
            FAILED        Y         .         .        .         .        .
            CANCELLED     .         .         .        .         .        .
            """;

    private static final Map<String, Map<String, Boolean>> EXPECTED = parse(EXPECTED_MATRIX);

    private static Map<String, Map<String, Boolean>> parse(String matrix) {
        List<String[]> lines = matrix.lines().map(String::trim).filter(l -> !l.isEmpty())
                .map(l -> l.split("\\s+")).toList();
        String[] header = lines.get(0);
        List<String> columns = Arrays.asList(header).subList(3, header.length); // skip "from \ to"
        Map<String, Map<String, Boolean>> rows = new LinkedHashMap<>();
        for (String[] cells : lines.subList(1, lines.size())) {
            if (cells.length != columns.size() + 1) {
                throw new IllegalStateException("matrix row " + cells[0] + " has " + (cells.length - 1)
                        + " cells for " + columns.size() + " columns");
            }
            Map<String, Boolean> row = new LinkedHashMap<>();
            for (int i = 0; i < columns.size(); i++) {
                String cell = cells[i + 1];
                if (!cell.equals("Y") && !cell.equals(".")) {
                    throw new IllegalStateException("matrix cell " + cells[0] + "→" + columns.get(i) + " is '" + cell + "'");
                }
                row.put(columns.get(i), cell.equals("Y"));
            }
            rows.put(cells[0], row);
        }
        return rows;
    }

    static Stream<Arguments> everyPairOfStates() {
        return Arrays.stream(JobState.values())
                .flatMap(from -> Arrays.stream(JobState.values()).map(to -> Arguments.of(from, to)));
    }

    @ParameterizedTest(name = "{0} → {1}")
    @MethodSource("everyPairOfStates")
    void tableAllowsExactlyTheMovesOfTheExpectedMatrix(JobState from, JobState to) {
        Map<String, Boolean> row = EXPECTED.get(from.name());
        if (row == null || !row.containsKey(to.name())) {
            fail("EXPECTED_MATRIX has no decision for " + from + " → " + to + ": add a row and a column for the new state");
        }
        boolean expected = row.get(to.name());

        assertThat(JobState.isAllowed(from, to)).as("isAllowed(%s, %s)", from, to).isEqualTo(expected);
        assertThat(from.next().contains(to)).as("%s.next() contains %s", from, to).isEqualTo(expected);
    }

    @Test
    void expectedMatrixHasOneRowAndOneColumnPerStateAndNothingElse() {
        Set<String> states = Arrays.stream(JobState.values()).map(Enum::name).collect(Collectors.toSet());

        assertThat(EXPECTED.keySet()).containsExactlyInAnyOrderElementsOf(states);
        EXPECTED.forEach((from, row) -> assertThat(row.keySet()).as("columns of row %s", from)
                .containsExactlyInAnyOrderElementsOf(states));
    }

    @Test
    void nextIsUnmodifiable() {
        assertThatThrownBy(() -> PENDING.next().add(SUCCEEDED)).isInstanceOf(UnsupportedOperationException.class);
        assertThat(PENDING.next()).doesNotContain(SUCCEEDED);
    }

    @Test
    void finishedStatesAreSucceededFailedAndCancelled() {
        assertThat(EnumSet.allOf(JobState.class).stream().filter(JobState::isFinished))
                .containsExactlyInAnyOrder(SUCCEEDED, FAILED, CANCELLED);
        assertThat(EnumSet.allOf(JobState.class).stream().filter(JobState::isOnProvider))
                .containsExactlyInAnyOrder(ASSIGNED, RUNNING);
    }

    @ParameterizedTest
    @EnumSource(JobState.class)
    void wireNameIsTheLowerCaseName(JobState state) {
        assertThat(state.wireName()).isEqualTo(state.name().toLowerCase(java.util.Locale.ROOT)).isLowerCase();
    }

    // ---- the verbs ---------------------------------------------------------------------------

    /** Each verb of {@link Job}, the state it moves to and the states it is meant to move from. */
    enum Verb {
        ASSIGN(ASSIGNED, EnumSet.of(PENDING), j -> j.assign(BETA, at(100), List.of())),
        START(RUNNING, EnumSet.of(ASSIGNED), j -> j.start(at(100), null)),
        SUCCEED(SUCCEEDED, EnumSet.of(RUNNING), j -> j.succeed(at(100), null)),
        FAIL(FAILED, EnumSet.of(PENDING, ASSIGNED, RUNNING),
                j -> j.fail(ReasonCode.PROVIDER_REJECTED, "rejected", at(100), null, List.of())),
        REQUEUE(PENDING, EnumSet.of(ASSIGNED, RUNNING),
                j -> j.requeue(ReasonCode.STUCK_PENDING, "stuck", at(100), null, null)),
        CANCEL(CANCELLED, EnumSet.of(PENDING, ASSIGNED, RUNNING), j -> j.cancel("cancelled", at(100))),
        RESUBMIT(PENDING, EnumSet.of(FAILED), j -> j.resubmit(null, at(100)));

        final JobState to;
        final Set<JobState> from;
        final Function<Job, Job.Change> apply;

        Verb(JobState to, Set<JobState> from, Function<Job, Job.Change> apply) {
            this.to = to;
            this.from = from;
            this.apply = apply;
        }
    }

    static Stream<Arguments> verbsFromTheirSourceStates() {
        return Arrays.stream(Verb.values()).flatMap(v -> v.from.stream().map(s -> Arguments.of(v, s)));
    }

    static Stream<Arguments> verbsOnMovesTheTableRefuses() {
        return Arrays.stream(Verb.values()).flatMap(v -> Arrays.stream(JobState.values())
                .filter(s -> !JobState.isAllowed(s, v.to)).map(s -> Arguments.of(v, s)));
    }

    static Stream<Arguments> verbsOnTableMovesThatAreNotTheirs() {
        return Arrays.stream(Verb.values()).flatMap(v -> Arrays.stream(JobState.values())
                .filter(s -> JobState.isAllowed(s, v.to) && !v.from.contains(s)).map(s -> Arguments.of(v, s)));
    }

    @ParameterizedTest(name = "{0} from {1}")
    @MethodSource("verbsFromTheirSourceStates")
    void verbMovesTheJobFromEachOfItsSourceStates(Verb verb, JobState from) {
        Job before = aJobIn(from);

        Job.Change change = verb.apply.apply(before);

        JobAssert.assertThat(change.job()).isIn(verb.to).hasVersion(before.version() + 1);
        assertThat(change.event().from()).isEqualTo(from);
        assertThat(change.event().to()).isEqualTo(verb.to);
        assertThat(change.event().isTransition()).isTrue();
        assertThat(change.job()).isNotSameAs(before);
        JobAssert.assertThat(before).isIn(from);
    }

    @ParameterizedTest(name = "{0} from {1}")
    @MethodSource("verbsOnMovesTheTableRefuses")
    void verbRefusesAMoveTheTableForbidsNamingJobFromAndTo(Verb verb, JobState from) {
        Job job = aJobIn(from);

        Throwable thrown = catchThrowable(() -> verb.apply.apply(job));

        assertThat(thrown).isInstanceOf(IllegalJobTransitionException.class)
                .hasMessageContaining(JOB_ID.value())
                .hasMessageContaining("from " + from + " to " + verb.to);
        IllegalJobTransitionException e = (IllegalJobTransitionException) thrown;
        assertThat(e.jobId()).isEqualTo(JOB_ID);
        assertThat(e.from()).isEqualTo(from);
        assertThat(e.to()).isEqualTo(verb.to);
    }

    /** requeue from FAILED and resubmit from ASSIGNED / RUNNING: the table allows the move, the verb does not. */
    @ParameterizedTest(name = "{0} from {1}")
    @MethodSource("verbsOnTableMovesThatAreNotTheirs")
    void verbRefusesATableMoveOutsideItsOwnSourceStatesNamingTheJob(Verb verb, JobState from) {
        Job job = aJobIn(from);

        assertThatThrownBy(() -> verb.apply.apply(job))
                .isInstanceOf(IllegalStateException.class)
                .isNotInstanceOf(IllegalJobTransitionException.class)
                .hasMessageContaining(JOB_ID.value());
    }

    @Test
    void theOnlyTableMovesAVerbRefusesAreRequeueFromFailedAndResubmitFromAssignedOrRunning() {
        assertThat(verbsOnTableMovesThatAreNotTheirs().map(a -> a.get()[0] + "@" + a.get()[1]))
                .containsExactlyInAnyOrder("REQUEUE@FAILED", "RESUBMIT@ASSIGNED", "RESUBMIT@RUNNING");
    }

    @Test
    void refusalMessageListsWhereTheJobMayGoAndCallsTerminalStatesFinal() {
        assertThatThrownBy(() -> aJobIn(SUCCEEDED).resubmit(null, at(100)))
                .hasMessageContaining("nothing (final state)");
        assertThatThrownBy(() -> aJobIn(FAILED).succeed(at(100), null))
                .hasMessageContaining("from FAILED it may move to [PENDING]");
    }
}
