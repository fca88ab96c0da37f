package dev.ddbrelay;

import dev.ddbrelay.function.RelaySettings;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.context.ConfigurationPropertiesAutoConfiguration;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.cloud.function.adapter.aws.AWSCompanionAutoConfiguration;
import org.springframework.cloud.function.context.config.ContextFunctionCatalogAutoConfiguration;
import org.springframework.context.annotation.ComponentScan;

/**
 * The relay as a Spring Cloud Function application. In Lambda the handler is
 * {@code org.springframework.cloud.function.adapter.aws.FunctionInvoker::handleRequest}, with this class as
 * {@code MAIN_CLASS} and the function named by {@code spring.cloud.function.definition} ({@code relay} by default).
 */
// Only the function package holds Spring components: the start does not even look at the command line's classes.
@SpringBootConfiguration(proxyBeanMethods = false)
@ComponentScan("dev.ddbrelay.function")
@ImportAutoConfiguration({PropertyPlaceholderAutoConfiguration.class, ConfigurationPropertiesAutoConfiguration.class,
        ContextFunctionCatalogAutoConfiguration.class, AWSCompanionAutoConfiguration.class})
@EnableConfigurationProperties({RelaySettings.class, DataSourceProperties.class})
public class RelayApplication {

    public static void main(String[] args) {
        SpringApplication.run(RelayApplication.class, args);
    }
}
