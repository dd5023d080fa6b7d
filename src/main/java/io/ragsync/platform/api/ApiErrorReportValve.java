package io.ragsync.platform.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;

/** Requests Tomcat refuses before any filter (an encoded '/' or '\', a bad URI) answer JSON on API paths. */
public class ApiErrorReportValve extends ErrorReportValve {

    private static final ObjectMapper JSON = new ObjectMapper();

    public ApiErrorReportValve() {
        setShowReport(false);
        setShowServerInfo(false);
    }

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        String path = request.getRequestURI();
        if (!ApiErrors.isApiPath(path)) {
            super.report(request, response, throwable);
            return;
        }
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        String lower = path.toLowerCase(Locale.ROOT);
        String message = status == 400 && (lower.contains("%2f") || lower.contains("%5c"))
                ? "an encoded '/' or '\\' (%2F, %5C) is not allowed in the path"
                : ApiErrors.message(status);
        try {
            response.setContentType("application/json");
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            PrintWriter writer = response.getReporter();
            if (writer != null) {
                writer.write(JSON.writeValueAsString(ApiErrors.shapeFor(path, status, ApiErrors.code(status), message)));
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // the client is gone or the answer already started: nothing more to say
        }
    }
}
