package io.cortex.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

class ArchitectureTest {
    private static final JavaClasses SERVER = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.cortex.server");

    @Test
    void theServerNeverUsesAnotherModulesInternals() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("io.cortex.core.internal..", "io.cortex.webhooks.internal..")
                .check(SERVER);
    }

    @Test
    void onlyTheScraperAndTheCompositeSearchNameMicrometerOrPrometheusTypes() {
        noClasses().that().haveNameNotMatching("io\\.cortex\\.server\\.internal\\.(PrometheusScraper|CompositeSearch)(\\$.*)?")
                .should().dependOnClassesThat().resideInAnyPackage("io.micrometer..", "io.prometheus..")
                .because("Micrometer and its Prometheus registry are optional: the server must start without them")
                .check(SERVER);
    }

    @Test
    void javalinStaysBehindThePublicApi() {
        noClasses().that().resideInAPackage("io.cortex.server").and().haveNameNotMatching("io\\.cortex\\.server\\.CortexServer(\\$.*)?")
                .should().dependOnClassesThat().resideInAPackage("io.javalin..").check(SERVER);
    }
}
