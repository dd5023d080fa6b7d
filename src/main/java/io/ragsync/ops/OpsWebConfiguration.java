package io.ragsync.ops;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Serves the sync dashboard (static/ops/index.html) at /ops and /ops/. */
@Configuration
public class OpsWebConfiguration implements WebMvcConfigurer {

    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        registry.addViewController("/ops").setViewName("forward:/ops/index.html");
        registry.addViewController("/ops/").setViewName("forward:/ops/index.html");
    }
}
