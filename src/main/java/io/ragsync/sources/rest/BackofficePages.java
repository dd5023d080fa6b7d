package io.ragsync.sources.rest;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Serves the static backoffice pages (src/main/resources/static/backoffice) under their short paths. */
@Configuration
public class BackofficePages implements WebMvcConfigurer {

    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        registry.addViewController("/backoffice/rest-sources").setViewName("forward:/backoffice/rest-sources.html");
    }
}
