package dev.ddbrelay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressTest {

    @Test
    void aTerminalSeesItemsRateAndBytesOfTheTotal() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Progress progress = new Progress(new PrintStream(out, true, StandardCharsets.UTF_8), true, 4 * 1024 * 1024);
        progress.bytesRead(1024 * 1024);
        progress.items(5000);
        progress.bytesRead(3 * 1024 * 1024);
        progress.done(20000);

        String shown = out.toString(StandardCharsets.UTF_8);
        assertThat(shown).startsWith("\r5,000 items, ").contains("items/s, 1.0 MiB of 4.0 MiB")
                .contains("\r20,000 items, ").endsWith("4.0 MiB of 4.0 MiB" + System.lineSeparator());
    }

    @Test
    void outsideATerminalItStaysQuiet() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Progress progress = new Progress(new PrintStream(out, true, StandardCharsets.UTF_8), false, 100);
        progress.items(5);
        progress.done(5);
        assertThat(out.size()).isZero();
    }
}
