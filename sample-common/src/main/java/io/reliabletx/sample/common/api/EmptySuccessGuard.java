package io.reliabletx.sample.common.api;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * No request ends with a 2xx and no body. Servlet responses are 200 until told otherwise, so any path that completes a
 * request without writing (a handler or an exception handler returning null, {@code ResponseEntity.ok().build()}, a
 * filter that swallows an exception) would otherwise answer "200 OK" with nothing in it, which a client takes for
 * success. Such an answer becomes a 500 problem, logged as an error with its request id. Exempt: 204 and 205 (no body by
 * definition), HEAD and OPTIONS. Costs a wrapper and a flag per request; nothing is buffered or copied.
 */
public class EmptySuccessGuard extends OncePerRequestFilter {

  private static final Logger LOG = LoggerFactory.getLogger(EmptySuccessGuard.class);

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    if ("HEAD".equals(request.getMethod()) || "OPTIONS".equals(request.getMethod())) {
      chain.doFilter(request, response);
      return;
    }
    WriteWatching watched = new WriteWatching(response);
    chain.doFilter(request, watched);
    if (request.isAsyncStarted()) {
      return; // the answer is still being produced (none of the services' handlers are asynchronous)
    }
    int status = response.getStatus();
    if (!watched.written && status >= 200 && status < 300 && status != 204 && status != 205) {
      if (response.isCommitted()) {
        LOG.error("{} {} was answered {} without a body (already sent; request id {})", request.getMethod(),
            request.getRequestURI(), status, MDC.get(RequestIdentity.MDC_KEY));
        return;
      }
      LOG.error("{} {} ended with {} and no body: answered 500 instead (request id {})", request.getMethod(),
          request.getRequestURI(), status, MDC.get(RequestIdentity.MDC_KEY));
      String requestId = response.getHeader(RequestIdentity.REQUEST_ID);
      String servedBy = response.getHeader(RequestIdentity.SERVED_BY);
      response.reset(); // the handler's headers (Location...) described an answer that is not given
      if (requestId != null) {
        response.setHeader(RequestIdentity.REQUEST_ID, requestId);
        response.setHeader(RequestIdentity.SERVED_BY, servedBy);
      }
      response.setStatus(HttpServletResponse.SC_INTERNAL_SERVER_ERROR);
      response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
      byte[] body = ("{\"type\":\"about:blank\",\"title\":\"Internal Server Error\",\"status\":500,\"detail\":\"the "
          + "service produced no answer to this request; whether it took effect is unknown: retry it (with the same "
          + "Idempotency-Key)\",\"instance\":\"" + jsonString(request.getRequestURI()) + "\"}")
          .getBytes(StandardCharsets.UTF_8);
      response.setContentLength(body.length);
      response.getOutputStream().write(body);
    }
  }

  private static String jsonString(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /**
   * Notes whether anything was written; keeps the headers uncommitted until then, so that the guard can still replace
   * an empty answer (Spring flushes a ResponseEntity's headers even when it has no body).
   */
  private static final class WriteWatching extends HttpServletResponseWrapper {
    private boolean written;
    private ServletOutputStream stream;
    private PrintWriter writer;

    WriteWatching(HttpServletResponse response) {
      super(response);
    }

    @Override
    public void flushBuffer() throws IOException {
      if (written) {
        super.flushBuffer();
      }
    }

    @Override
    public ServletOutputStream getOutputStream() throws IOException {
      if (stream == null) {
        ServletOutputStream out = super.getOutputStream();
        stream = new ServletOutputStream() {
          @Override
          public void write(int b) throws IOException {
            written = true;
            out.write(b);
          }

          @Override
          public void write(byte[] b, int off, int len) throws IOException {
            written |= len > 0;
            out.write(b, off, len);
          }

          @Override
          public void flush() throws IOException {
            if (written) {
              out.flush();
            }
          }

          @Override
          public void close() throws IOException {
            if (written) {
              out.close();
            }
          }

          @Override
          public boolean isReady() {
            return out.isReady();
          }

          @Override
          public void setWriteListener(WriteListener listener) {
            out.setWriteListener(listener);
          }
        };
      }
      return stream;
    }

    @Override
    public PrintWriter getWriter() throws IOException {
      if (writer == null) {
        PrintWriter out = super.getWriter();
        writer = new PrintWriter(out) {
          @Override
          public void write(int c) {
            written = true;
            super.write(c);
          }

          @Override
          public void write(char[] buf, int off, int len) {
            written |= len > 0;
            super.write(buf, off, len);
          }

          @Override
          public void write(String s, int off, int len) {
            written |= len > 0;
            super.write(s, off, len);
          }

          @Override
          public void flush() {
            if (written) {
              super.flush();
            }
          }

          @Override
          public void close() {
            if (written) {
              super.close();
            }
          }
        };
      }
      return writer;
    }
  }
}
