package io.cortex.provider.inmemory;

import static io.cortex.core.job.JobState.FAILED;
import static io.cortex.core.job.JobState.PENDING;
import static io.cortex.core.job.JobState.RUNNING;
import static io.cortex.core.job.JobState.SUCCEEDED;
import static io.cortex.core.job.ReasonCode.INSUFFICIENT_FUNDS;
import static io.cortex.core.job.ReasonCode.PRICE_EXCEEDS_MAX;
import static io.cortex.core.job.ReasonCode.PROVIDER_LOST_JOB;
import static io.cortex.core.job.ReasonCode.SPEND_LIMIT_REACHED;
import static io.cortex.provider.inmemory.EngineFixture.id;
import static io.cortex.provider.inmemory.JobAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.cortex.core.diagnostics.Finding;
import io.cortex.core.event.EventTypes;
import io.cortex.core.event.ProviderChange;
import io.cortex.core.job.Job;
import io.cortex.core.job.JobEvent;
import io.cortex.core.job.PlacementNote;
import io.cortex.core.log.OperatorLogRecord;
import io.cortex.core.provider.WalletBalance;
import java.math.BigDecimal;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WalletAndSpendTest {
    private EngineFixture fx = new EngineFixture()
            .provider("a", p -> p.price("1.00", "USD").wallet("100"))
            .provider("b", p -> p.price("1.00", "USD").wallet("100"));

    @AfterEach
    void close() {
        fx.close();
    }

    private long waitingEvents(Job job) {
        return fx.history(job).stream().filter(e -> e.type() == JobEvent.Type.WAITING).count();
    }

    @Test
    void emptyWalletKeepsTheJobPendingUntilATopUpThenItRunsAndIsCharged() {
        // Given the only provider costs 1.00/h and its wallet is empty
        fx = EngineFixture.withProviders("a").provider("a", p -> p.price("1.00", "USD").wallet("0").runFor(Duration.ofMinutes(30)));

        // When a job is submitted and time passes
        Job job = fx.aJob();
        fx.advance(Duration.ofMinutes(5), Duration.ofSeconds(30));

        // Then it waits for funds: one WAITING event and one wallet-low event, however many ticks ran
        assertThat(fx.reload(job)).isIn(PENDING).hasReason(INSUFFICIENT_FUNDS).hasAttempts(0)
                .hasMessageContaining("wallet holds 0.00 USD, the job needs about 1 USD");
        assertThat(waitingEvents(job)).isEqualTo(1);
        assertThat(fx.providerEvents(EventTypes.PROVIDER_WALLET_LOW, "a")).extracting(ProviderChange::reason)
                .containsExactly(INSUFFICIENT_FUNDS);
        assertThat(fx.log("provider-wallet", "a", job.id())).extracting(OperatorLogRecord::reason)
                .containsExactly(INSUFFICIENT_FUNDS.name());
        assertThat(fx.a().submissions()).isZero();

        Finding funds = fx.cortex().diagnose(job.id()).findings().stream().filter(f -> f.reason() == INSUFFICIENT_FUNDS)
                .findFirst().orElseThrow();
        assertThat(funds.severity()).isEqualTo(Finding.Severity.BLOCKING);
        assertThat(funds.provider()).isEqualTo("a");
        assertThat(funds.suggestedAction()).contains("POST /api/plugin-core/providers/a/wallet/topup");

        // When the wallet is topped up
        WalletBalance balance = fx.cortex().topUp(id("a"), new BigDecimal("5"));

        // Then the job is placed at once and, once finished, paid from the wallet
        assertThat(balance).isEqualTo(WalletBalance.of("5.00", "USD"));
        assertThat(fx.reload(job)).isOn("a").hasAttempts(1);
        fx.tick();
        assertThat(fx.reload(job)).isIn(RUNNING);
        fx.advance(Duration.ofMinutes(30));
        Job done = fx.reload(job);
        assertThat(done).isIn(SUCCEEDED);
        assertThat(done.spent()).isEqualByComparingTo("0.50");
        assertThat(fx.cortex().wallet(id("a")).amount()).isEqualByComparingTo("4.50");
        assertThat(fx.log("provider-wallet", "a", null)).extracting(OperatorLogRecord::message).last().asString()
                .contains("topped up by 5");
    }

    @Test
    void maxPriceBelowEveryEstimateFailsTheJobAtOnce() {
        Job job = fx.submit(EngineFixture.spec().maxRunTime(Duration.ofHours(1)).maxPrice("0.50"));

        assertThat(job).isIn(FAILED).hasReason(PRICE_EXCEEDS_MAX).hasAttempts(0)
                .hasMessageContaining("estimated cost 1 USD exceeds the job's max price 0.50");
        JobEvent failed = fx.history(job).get(fx.history(job).size() - 1);
        assertThat(failed.placement()).extracting(PlacementNote::provider, PlacementNote::reason)
                .containsExactly(tuple(id("a"), PRICE_EXCEEDS_MAX), tuple(id("b"), PRICE_EXCEEDS_MAX));
        assertThat(fx.a().submissions() + fx.b().submissions()).isZero();
        assertThat(fx.cortex().diagnose(job.id()).primary().orElseThrow().reason()).isEqualTo(PRICE_EXCEEDS_MAX);
    }

    @Test
    void spendAcrossAttemptsReachingMaxPriceFailsTheJob() {
        // Given a loses every job after 30 minutes (0.50 spent), and the job may cost at most 1.20 in all
        fx.a().defaultOutcome(Outcome.lose("node evicted")).runFor(Duration.ofMinutes(30));
        Job job = fx.submit(EngineFixture.spec().maxRunTime(Duration.ofHours(1)).maxPrice("1.20"));
        fx.tick();
        assertThat(fx.reload(job)).isIn(RUNNING).isOn("a");

        // When the first attempt is lost after 30 minutes
        fx.advance(Duration.ofMinutes(30));

        // Then another attempt (estimated 1.00) would pass the cap: the job fails without trying b
        Job after = fx.reload(job);
        assertThat(after).isIn(FAILED).hasReason(SPEND_LIMIT_REACHED).hasAttempts(1).endedAttemptWith(1, PROVIDER_LOST_JOB)
                .hasMessageContaining("already spent 0.5");
        assertThat(after.spent()).isEqualByComparingTo("0.50");
        assertThat(fx.b().submissions()).isZero();
        assertThat(fx.cortex().wallet(id("a")).amount()).isEqualByComparingTo("99.50");
    }
}
