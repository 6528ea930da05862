package io.cortex.client;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

class ArchitectureTest {
    private static final JavaClasses CLIENT = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.cortex.client");

    @Test
    void theClientNeverUsesCoresInternals() {
        noClasses().should().dependOnClassesThat().resideInAPackage("io.cortex.core.internal..").check(CLIENT);
    }

    @Test
    void theClientUsesNoEngineOrStoreOfCore() {
        noClasses().should().dependOnClassesThat().haveFullyQualifiedName("io.cortex.core.Cortex")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("io.cortex.core.store.JobStore")
                .check(CLIENT);
    }
}
