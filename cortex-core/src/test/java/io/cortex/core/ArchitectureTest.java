package io.cortex.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.cortex.core.internal.MicrometerBinder;
import org.junit.jupiter.api.Test;

class ArchitectureTest {
    private static final JavaClasses CORE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.cortex.core");

    @Test
    void onlyTheMicrometerBinderNamesMicrometerTypesSoAnApplicationWithoutMicrometerNeverLinksThem() {
        noClasses().that().doNotBelongToAnyOf(MicrometerBinder.class)
                .should().dependOnClassesThat().resideInAPackage("io.micrometer..")
                .because("Micrometer is an optional dependency: Cortex, its builder and everything else must load without it")
                .check(CORE);
    }
}
