package dev.ddbrelay;

import dev.ddbrelay.function.RelaySettings;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/**
 * The relay as a Spring Cloud Function application. In Lambda the handler is
 * {@code org.springframework.cloud.function.adapter.aws.FunctionInvoker::handleRequest}, with this class as
 * {@code MAIN_CLASS} and the function named by {@code spring.cloud.function.definition} ({@code relay} by default).
 */
// Only the function package holds Spring components: the start does not even look at the command line's classes.
@SpringBootApplication(scanBasePackages = "dev.ddbrelay.function")
@EnableConfigurationProperties(RelaySettings.class)
public class RelayApplication {

    public static void main(String[] args) {
        SpringApplication.run(RelayApplication.class, args);
    }
}
