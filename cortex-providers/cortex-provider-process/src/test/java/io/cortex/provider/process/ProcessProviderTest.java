package io.cortex.provider.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.cortex.core.job.JobId;
import io.cortex.core.job.JobSpec;
import io.cortex.core.job.ReasonCode;
import io.cortex.core.job.Resources;
import io.cortex.core.provider.AttemptRef;
import io.cortex.core.provider.Credentials;
import io.cortex.core.provider.LogLine;
import io.cortex.core.provider.ProviderContext;
import io.cortex.core.provider.ProviderException;
import io.cortex.core.provider.ProviderHealth;
import io.cortex.core.provider.ProviderId;
import io.cortex.core.provider.ProviderJobRef;
import io.cortex.core.provider.ProviderStatus;
import io.cortex.core.provider.RemoteState;
import io.cortex.core.provider.RemoteStatus;
import io.cortex.provider.tck.RecordedUpdates;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The process provider with real processes on this machine. */
class ProcessProviderTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final Instant T0 = Instant.parse("2025-01-31T10:15:30Z");

    @TempDir
    Path temp;

    private final RecordedUpdates updates = new RecordedUpdates();
    private final List<ProcessProvider> opened = new ArrayList<>();

    @AfterEach
    void closeAll() {
        opened.forEach(ProcessProvider::close);
    }

    private ProcessProvider provider(String... settings) {
        return provider(Clock.systemUTC(), settings);
    }

    private ProcessProvider provider(Clock clock, String... settings) {
        Map<String, String> config = new HashMap<>(Map.of("killGracePeriod", "PT0.2S"));
        for (int i = 0; i < settings.length; i += 2) {
            config.put(settings[i], settings[i + 1]);
        }
        ProcessProvider p = ProcessProvider.create(new ProviderContext(ProviderId.of("local"), config, Credentials.NONE, clock, updates));
        opened.add(p);
        return p;
    }

    private static JobSpec.Builder job(String... command) {
        return JobSpec.builder().image("local/shell:1").command(command);
    }

    private static ProviderJobRef submit(ProcessProvider p, JobSpec spec) {
        return p.submit(spec, new AttemptRef(JobId.next(System.currentTimeMillis()), 1));
    }

    private static RemoteStatus awaitFinal(ProcessProvider p, ProviderJobRef ref) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(10)).until(() -> p.status(ref).isFinal());
        return p.status(ref);
    }

    private static List<String> texts(ProcessProvider p, ProviderJobRef ref, String stream) {
        return p.logs(ref, -1, 100_000).stream().filter(l -> l.stream().equals(stream)).map(LogLine::text).toList();
    }

    // ---- exit codes -------------------------------------------------------------------------------

    @Test
    void exitCodeZeroSucceeds() {
        ProcessProvider p = provider();

        RemoteStatus end = awaitFinal(p, submit(p, job("sh", "-c", "exit 0").build()));

        assertThat(end.state()).isEqualTo(RemoteState.SUCCEEDED);
        assertThat(end.exitCode()).isZero();
    }

    @Test
    void nonZeroExitCodeFailsWithTheCode() {
        ProcessProvider p = provider();

        RemoteStatus end = awaitFinal(p, submit(p, job("sh", "-c", "exit 42").build()));

        assertThat(end.state()).isEqualTo(RemoteState.FAILED);
        assertThat(end.reason()).isEqualTo(ReasonCode.JOB_FAILED);
        assertThat(end.exitCode()).isEqualTo(42);
        assertThat(end.message()).contains("42");
    }

    @Test
    void runningThenFinalStatusIsPushedInOrder() {
        ProcessProvider p = provider();

        ProviderJobRef ref = submit(p, job("sh", "-c", "exit 5").build());
        awaitFinal(p, ref);

        assertThat(updates.of(ref)).extracting(r -> r.status().state()).containsExactly(RemoteState.RUNNING, RemoteState.FAILED);
        assertThat(updates.of(ref).get(1).status().exitCode()).isEqualTo(5);
    }

    // ---- time limits ----------------------------------------------------------------------------

    @Test
    void jobRunningPastItsMaxRunTimeIsKilledAndFails() {
        ProcessProvider p = provider();

        ProviderJobRef ref = submit(p, job("sleep", "30").maxRunTime(Duration.ofMillis(300)).build());
        RemoteStatus end = awaitFinal(p, ref);

        assertThat(end.state()).isEqualTo(RemoteState.FAILED);
        assertThat(end.reason()).isEqualTo(ReasonCode.MAX_RUN_TIME_EXCEEDED);
        assertThat(texts(p, ref, "stderr")).anyMatch(l -> l.contains("max run time exceeded"));
        assertThat(p.runningJobs()).isZero();
    }

    @Test
    void defaultMaxRunTimeAppliesToAJobThatSetsNone() {
        ProcessProvider p = provider("defaultMaxRunTime", "300");

        RemoteStatus end = awaitFinal(p, submit(p, job("sleep", "30").build()));

        assertThat(end.reason()).isEqualTo(ReasonCode.MAX_RUN_TIME_EXCEEDED);
    }

    @Test
    void jobIgnoringSigtermIsKilledAfterTheGracePeriod() throws IOException {
        ProcessProvider p = provider("killGracePeriod", "PT0.3S");
        Path ready = temp.resolve("ready");
        ProviderJobRef ref = submit(p, job("sh", "-c", "trap '' TERM; touch \"$READY\"; while :; do sleep 0.05; done")
                .env("READY", ready.toString()).build());
        await().atMost(WAIT).until(() -> Files.exists(ready));

        p.cancel(ref);

        assertThat(awaitFinal(p, ref).state()).isEqualTo(RemoteState.CANCELLED);
    }

    // ---- cancel and process trees ----------------------------------------------------------------

    @Test
    void cancelKillsTheWholeProcessTreeIncludingOrphanedGrandchildren() throws IOException {
        ProcessProvider p = provider();
        Path pids = Files.createDirectory(temp.resolve("pids"));
        String script = "sleep 60 & echo $! > \"$PIDS/child.tmp\"; mv \"$PIDS/child.tmp\" \"$PIDS/child\";"
                + " (sleep 61 & echo $! > \"$PIDS/orphan.tmp\"; mv \"$PIDS/orphan.tmp\" \"$PIDS/orphan\");"
                + " sh -c 'sleep 62 & echo $! > \"$PIDS/grandchild.tmp\"; mv \"$PIDS/grandchild.tmp\" \"$PIDS/grandchild\"; wait' &"
                + " wait";
        ProviderJobRef ref = submit(p, job("sh", "-c", script).env("PIDS", pids.toString()).build());
        await().atMost(WAIT).until(() -> Stream.of("child", "orphan", "grandchild").allMatch(f -> Files.exists(pids.resolve(f))));
        List<Long> spawned = new ArrayList<>();
        for (String f : List.of("child", "orphan", "grandchild")) {
            spawned.add(Long.parseLong(Files.readString(pids.resolve(f)).trim()));
        }
        assertThat(spawned).allMatch(ProcessProviderTest::running);

        p.cancel(ref);

        assertThat(awaitFinal(p, ref).state()).isEqualTo(RemoteState.CANCELLED);
        await().atMost(WAIT).untilAsserted(() -> assertThat(spawned).as("pids of the job's children").noneMatch(ProcessProviderTest::running));
    }

    @Test
    void backgroundChildrenAreKilledWhenTheMainProcessExits() throws IOException {
        ProcessProvider p = provider();
        Path pid = temp.resolve("pid");

        ProviderJobRef ref = submit(p, job("sh", "-c", "sleep 60 & echo $! > \"$PIDFILE.tmp\"; mv \"$PIDFILE.tmp\" \"$PIDFILE\"; exit 0")
                .env("PIDFILE", pid.toString()).build());

        assertThat(awaitFinal(p, ref).state()).isEqualTo(RemoteState.SUCCEEDED);
        long child = Long.parseLong(Files.readString(pid).trim());
        await().atMost(WAIT).until(() -> !running(child));
    }

    @Test
    void cancelOfAFinishedJobKeepsItsOutcome() {
        ProcessProvider p = provider();
        ProviderJobRef ref = submit(p, job("sh", "-c", "exit 7").build());
        awaitFinal(p, ref);

        p.cancel(ref);

        assertThat(p.status(ref).exitCode()).isEqualTo(7);
    }

    // ---- output ---------------------------------------------------------------------------------

    @Test
    void stdoutAndStderrBecomeLinesStampedWithTheContextClock() {
        ProcessProvider p = provider(Clock.fixed(T0, ZoneOffset.UTC));

        ProviderJobRef ref = submit(p, job("sh", "-c", "echo out; echo err >&2; printf 'no newline'").build());
        awaitFinal(p, ref);

        assertThat(texts(p, ref, "stdout")).containsExactly("out", "no newline");
        assertThat(texts(p, ref, "stderr")).containsExactly("err");
        assertThat(p.logs(ref, -1, 10)).extracting(LogLine::timestamp).containsOnly(T0);
    }

    @Test
    void hugeOutputIsBoundedToTheNewestLinesAndDoesNotStallTheJob() {
        ProcessProvider p = provider("logLines", "1000");

        ProviderJobRef ref = submit(p, job("seq", "1", "200000").build());
        RemoteStatus end = awaitFinal(p, ref);

        assertThat(end.state()).isEqualTo(RemoteState.SUCCEEDED);
        List<LogLine> kept = p.logs(ref, -1, 100_000);
        assertThat(kept).hasSize(1000);
        assertThat(kept.get(0).sequence()).isEqualTo(199_000);
        assertThat(kept.get(0).text()).isEqualTo("199001");
        assertThat(kept.get(999).text()).isEqualTo("200000");
        assertThat(p.logs(ref, 199_500, 3)).extracting(LogLine::text).containsExactly("199502", "199503", "199504");
    }

    @Test
    void overlongLineIsCutIntoPieces() {
        ProcessProvider p = provider("maxLineLength", "64");

        ProviderJobRef ref = submit(p, job("sh", "-c", "head -c 200 /dev/zero | tr '\\0' x").build());
        awaitFinal(p, ref);

        List<String> lines = texts(p, ref, "stdout");
        assertThat(lines).allMatch(l -> l.length() <= 64);
        assertThat(String.join("", lines)).isEqualTo("x".repeat(200));
    }

    @Test
    void outputThatIsNotUtf8IsKeptWithReplacementCharacters() {
        ProcessProvider p = provider();

        ProviderJobRef ref = submit(p, job("sh", "-c", "printf 'caf\\351 \\377\\376 ok\\n'").build());

        assertThat(awaitFinal(p, ref).state()).isEqualTo(RemoteState.SUCCEEDED);
        assertThat(texts(p, ref, "stdout")).singleElement().satisfies(line -> {
            assertThat(line).startsWith("caf").endsWith(" ok").contains("\uFFFD");
        });
    }

    // ---- refusals -------------------------------------------------------------------------------

    @Test
    void commandThatDoesNotExistIsRefusedNamingTheCommand() {
        ProcessProvider p = provider();

        ProviderException e = catchThrowableOfType(ProviderException.class,
                () -> submit(p, job("cortex-no-such-command-4711", "--flag").build()));

        assertThat(e.reason()).isEqualTo(ReasonCode.PROVIDER_REJECTED);
        assertThat(e.getMessage()).contains("cortex-no-such-command-4711");
        assertThat(p.runningJobs()).isZero();
        assertThat(p.workRoot()).isEmptyDirectory();
    }

    @Test
    void jobWithoutACommandIsRefused() {
        ProcessProvider p = provider();

        assertThatThrownBy(() -> submit(p, JobSpec.builder().image("acme/app:1").build()))
                .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.reason()).isEqualTo(ReasonCode.PROVIDER_REJECTED))
                .hasMessageContaining("no command");
    }

    @Test
    void imagesAreCheckedAgainstTheAllowListWhenConfigured() {
        ProcessProvider p = provider("imagePolicy", "allowlist", "allowedImages", "docker.io/library/alpine:*, acme/*");

        assertThat(awaitFinal(p, submit(p, JobSpec.builder().image("alpine:3.20").command("true").build())).state())
                .isEqualTo(RemoteState.SUCCEEDED);
        assertThat(awaitFinal(p, submit(p, JobSpec.builder().image("acme/tool:1").command("true").build())).state())
                .isEqualTo(RemoteState.SUCCEEDED);
        assertThatThrownBy(() -> submit(p, JobSpec.builder().image("evil/miner:1").command("true").build()))
                .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.reason()).isEqualTo(ReasonCode.IMAGE_REJECTED))
                .hasMessageContaining("evil/miner:1");
    }

    @Test
    void imagesAreIgnoredByDefault() {
        ProcessProvider p = provider();

        RemoteStatus end = awaitFinal(p, submit(p, JobSpec.builder().image("anything.example/whatever:9").command("true").build()));

        assertThat(end.state()).isEqualTo(RemoteState.SUCCEEDED);
    }

    // ---- capacity and health --------------------------------------------------------------------

    @Test
    void capacityComesFromTheConfiguredCpuAndMemory() {
        ProcessProvider p = provider("cpu", "1000", "memory", "1Gi");
        assertThat(p.capabilities().maxCpuMillis()).isEqualTo(1000);
        assertThat(p.capabilities().maxMemory().toString()).isEqualTo("1Gi");

        ProviderJobRef big = submit(p, job("sleep", "60").resources(Resources.of(600, "256Mi", "1Gi")).build());
        ProviderException busy = catchThrowableOfType(ProviderException.class,
                () -> submit(p, job("true").resources(Resources.of(600, "256Mi", "1Gi")).build()));
        ProviderException memory = catchThrowableOfType(ProviderException.class,
                () -> submit(p, job("true").resources(Resources.of(100, "900Mi", "1Gi")).build()));
        ProviderException tooBig = catchThrowableOfType(ProviderException.class,
                () -> submit(p, job("true").resources(Resources.of(2000, "256Mi", "1Gi")).build()));

        assertThat(busy.reason()).isEqualTo(ReasonCode.NO_CAPACITY);
        assertThat(busy.getMessage()).contains("cpu");
        assertThat(memory.reason()).isEqualTo(ReasonCode.NO_CAPACITY);
        assertThat(memory.getMessage()).contains("memory");
        assertThat(tooBig.reason()).isEqualTo(ReasonCode.RESOURCES_EXCEED_CAPABILITIES);

        p.cancel(big);
        awaitFinal(p, big);
        assertThat(awaitFinal(p, submit(p, job("true").resources(Resources.of(600, "256Mi", "1Gi")).build())).state())
                .isEqualTo(RemoteState.SUCCEEDED);
    }

    @Test
    void healthIsDegradedWhenEverySlotIsBusyAndOfflineAfterClose() {
        ProcessProvider p = provider("maxJobs", "1");
        assertThat(p.checkHealth()).isEqualTo(ProviderHealth.online());

        ProviderJobRef ref = submit(p, job("sleep", "60").build());
        ProviderHealth busy = p.checkHealth();
        assertThatThrownBy(() -> submit(p, job("true").build()))
                .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.reason()).isEqualTo(ReasonCode.NO_CAPACITY));
        p.cancel(ref);
        awaitFinal(p, ref);
        ProviderHealth free = p.checkHealth();
        p.close();

        assertThat(busy.status()).isEqualTo(ProviderStatus.DEGRADED);
        assertThat(busy.reason()).isEqualTo(ReasonCode.NO_CAPACITY);
        assertThat(free.status()).isEqualTo(ProviderStatus.ONLINE);
        assertThat(p.checkHealth().status()).isEqualTo(ProviderStatus.OFFLINE);
        assertThatThrownBy(() -> submit(p, job("true").build()))
                .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.reason()).isEqualTo(ReasonCode.PROVIDER_OFFLINE));
    }

    // ---- environment and directories ------------------------------------------------------------

    @Test
    void jobSeesItsOwnEnvironmentButNotTheHosts() {
        ProcessProvider p = provider();

        ProviderJobRef ref = submit(p, job("env").env("GREETING", "hello world").build());
        awaitFinal(p, ref);

        List<String> env = texts(p, ref, "stdout");
        assertThat(env).contains("GREETING=hello world", "CORTEX_ATTEMPT=1").anyMatch(l -> l.startsWith("PATH="))
                .anyMatch(l -> l.startsWith("CORTEX_JOB_ID=job_"));
        Set<String> allowed = Set.of("PATH", "HOME", "TMPDIR", "PWD", "SHLVL", "_", "GREETING", "CORTEX_ATTEMPT", "CORTEX_JOB_ID",
                "CORTEX_PROCESS_TOKEN");
        assertThat(env).allSatisfy(l -> assertThat(allowed).contains(l.substring(0, l.indexOf('='))));
    }

    @Test
    void hostEnvironmentIsPassedOnWhenConfigured() {
        Map.Entry<String, String> hostVariable = System.getenv().entrySet().stream()
                .filter(e -> !Set.of("PATH", "HOME", "TMPDIR", "PWD", "_").contains(e.getKey()) && !e.getValue().contains("\n"))
                .findFirst().orElseThrow(() -> new IllegalStateException("the test needs one environment variable besides PATH"));
        ProcessProvider p = provider("inheritEnvironment", "true");

        ProviderJobRef ref = submit(p, job("env").build());
        awaitFinal(p, ref);

        assertThat(texts(p, ref, "stdout")).contains(hostVariable.getKey() + "=" + hostVariable.getValue());
    }

    @Test
    void eachJobRunsInADirectoryOfItsOwnThatIsDeletedWhenItEnds() throws IOException {
        ProcessProvider p = provider();

        ProviderJobRef a = submit(p, job("sh", "-c", "pwd; echo data > file; mkdir -p sub/deeper; chmod 500 sub").build());
        ProviderJobRef b = submit(p, job("sh", "-c", "pwd; sleep 60").build());
        await().atMost(WAIT).until(() -> !texts(p, b, "stdout").isEmpty());
        Optional<Path> whileRunning = p.workDirectory(b);
        awaitFinal(p, a);

        Path dirA = Path.of(texts(p, a, "stdout").get(0));
        Path dirB = Path.of(texts(p, b, "stdout").get(0));
        assertThat(dirA.getParent()).isEqualTo(p.workRoot().toRealPath());
        assertThat(dirA).isNotEqualTo(dirB);
        assertThat(whileRunning).contains(p.workRoot().resolve(b.value()));
        assertThat(dirA).doesNotExist();
        assertThat(dirB).isDirectory();

        p.cancel(b);
        awaitFinal(p, b);
        assertThat(dirB).doesNotExist();
    }

    @Test
    void closeKillsRunningJobsAndDeletesItsTemporaryWorkDirectory() throws IOException {
        ProcessProvider p = provider();
        Path pid = temp.resolve("pid");
        ProviderJobRef ref = submit(p, job("sh", "-c", "echo $$ > \"$PIDFILE.tmp\"; mv \"$PIDFILE.tmp\" \"$PIDFILE\"; sleep 60")
                .env("PIDFILE", pid.toString()).build());
        await().atMost(WAIT).until(() -> Files.exists(pid));
        long shell = Long.parseLong(Files.readString(pid).trim());

        p.close();

        assertThat(p.status(ref).state()).isEqualTo(RemoteState.CANCELLED);
        assertThat(running(shell)).isFalse();
        assertThat(p.workRoot()).doesNotExist();
    }

    @Test
    void configuredWorkDirectoryIsKeptButTheJobsDirectoriesAreNot() {
        Path root = temp.resolve("work");
        ProcessProvider p = provider("workDir", root.toString());

        awaitFinal(p, submit(p, job("sh", "-c", "echo x > file").build()));
        p.close();

        assertThat(root).isEmptyDirectory();
    }

    /** True when the process exists and is not a zombie waiting to be reaped. */
    private static boolean running(long pid) {
        Optional<ProcessHandle> h = ProcessHandle.of(pid);
        if (h.isEmpty() || !h.get().isAlive()) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.ISO_8859_1);
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (IOException e) {
            return false;
        }
    }
}
