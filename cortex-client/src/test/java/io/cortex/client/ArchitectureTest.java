package io.cortex.client;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.cortex.client.internal.ClientMeters;
import org.junit.jupiter.api.Test;

class ArchitectureTest {
    private static final JavaClasses CLIENT = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.cortex.client");

    @Test
    void theClientNeverUsesCoresInternals() {
        noClasses().should().dependOnClassesThat().resideInAPackage("io.cortex.core.internal..").check(CLIENT);
    }

    @Test
    void onlyTheClientMetersNameMicrometerTypes() {
        noClasses().that().doNotBelongToAnyOf(ClientMeters.class)
                .should().dependOnClassesThat().resideInAPackage("io.micrometer..")
                .because("Micrometer is optional: the client and its builder must load without it")
                .check(CLIENT);
    }

    @Test
    void theClientUsesNoEngineOrStoreOfCore() {
        noClasses().should().dependOnClassesThat().haveFullyQualifiedName("io.cortex.core.Cortex")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("io.cortex.core.store.JobStore")
                .check(CLIENT);
    }
}
