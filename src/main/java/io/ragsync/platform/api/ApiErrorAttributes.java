package io.ragsync.platform.api;

import jakarta.servlet.RequestDispatcher;
import java.util.Map;
import org.springframework.boot.web.error.ErrorAttributeOptions;
import org.springframework.boot.web.servlet.error.DefaultErrorAttributes;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.WebRequest;

/** Spring Boot's /error body for API paths (a type, method or path no endpoint takes) in the API family's shape. */
@Component
public class ApiErrorAttributes extends DefaultErrorAttributes {

    @Override
    public Map<String, Object> getErrorAttributes(WebRequest request, ErrorAttributeOptions options) {
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI, RequestAttributes.SCOPE_REQUEST);
        String path = uri == null ? null : uri.toString();
        if (!ApiErrors.isApiPath(path)) {
            return super.getErrorAttributes(request, options);
        }
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE, RequestAttributes.SCOPE_REQUEST);
        int status = code instanceof Integer value ? value : 500;
        return ApiErrors.shapeFor(path, status, ApiErrors.code(status), ApiErrors.message(status));
    }
}
