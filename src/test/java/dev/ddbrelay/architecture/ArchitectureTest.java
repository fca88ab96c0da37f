package dev.ddbrelay.architecture;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * Imports run one way, from the entry points down to the change model, and no two packages need each other:
 * <pre>
 * cli ─> (application) ─> function ─> source ────────────> change
 *                                 └─> sink ─> sink.dialect ─> change
 * </pre>
 */
class ArchitectureTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.ddbrelay");

    @Test
    void noPackageCycles() {
        slices().matching("dev.ddbrelay.(**)").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void layersDependOnlyDownwards() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("command line").definedBy("dev.ddbrelay.cli..")
                .layer("application").definedBy("dev.ddbrelay")
                .layer("function").definedBy("dev.ddbrelay.function..")
                .layer("source").definedBy("dev.ddbrelay.source..")
                .layer("sink").definedBy("dev.ddbrelay.sink")
                .layer("dialect").definedBy("dev.ddbrelay.sink.dialect..")
                .layer("change").definedBy("dev.ddbrelay.change..")
                .whereLayer("command line").mayNotBeAccessedByAnyLayer()
                .whereLayer("application").mayOnlyBeAccessedByLayers("command line")
                .whereLayer("function").mayOnlyBeAccessedByLayers("command line", "application")
                .whereLayer("source").mayOnlyBeAccessedByLayers("command line", "function")
                .whereLayer("sink").mayOnlyBeAccessedByLayers("command line", "function")
                .whereLayer("dialect").mayOnlyBeAccessedByLayers("command line", "function", "sink")
                .whereLayer("change").mayOnlyBeAccessedByLayers("command line", "function", "source", "sink", "dialect")
                .check(CLASSES);
    }
}
