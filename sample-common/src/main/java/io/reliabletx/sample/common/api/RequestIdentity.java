package io.reliabletx.sample.common.api;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Names every answer: {@code X-Request-Id} (the client's, when it sent a plain one, else a new one) and
 * {@code X-Served-By} (the service, its host, which is the pod's name in Kubernetes, and its process), so that an
 * answer can be traced to the replica and the log line that produced it, or shown to come from neither. The request id
 * is in the MDC ({@code requestId}) while the request runs. With {@code reliabletx.access-log=true}, one line per
 * request on logger {@code reliabletx.access}: method, path, status, duration, request id.
 */
public class RequestIdentity extends OncePerRequestFilter {

  public static final String REQUEST_ID = "X-Request-Id";
  public static final String SERVED_BY = "X-Served-By";
  public static final String MDC_KEY = "requestId";
  /** What a client's id may be to be echoed (and logged): plain, so that it can never forge a header or a log line. */
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
  private static final Logger ACCESS = LoggerFactory.getLogger("reliabletx.access");

  private final String servedBy;
  private final boolean accessLog;

  public RequestIdentity(String application, boolean accessLog) {
    this.servedBy = application + "@" + hostName() + " pid " + ProcessHandle.current().pid();
    this.accessLog = accessLog;
  }

  public String servedBy() {
    return servedBy;
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    long start = accessLog ? System.nanoTime() : 0;
    String sent = request.getHeader(REQUEST_ID);
    String id = sent != null && PLAIN.matcher(sent).matches() ? sent : newId();
    response.setHeader(REQUEST_ID, id);
    response.setHeader(SERVED_BY, servedBy);
    MDC.put(MDC_KEY, id);
    boolean failed = true;
    try {
      chain.doFilter(request, response);
      failed = false;
    } finally {
      MDC.remove(MDC_KEY);
      if (accessLog) {
        // An exception still on its way out becomes the container's 500 (its error page) after this filter.
        ACCESS.info("{} {} {} {}ms {}", request.getMethod(), request.getRequestURI(), failed ? 500 : response.getStatus(),
            (System.nanoTime() - start) / 1_000_000, id);
      }
    }
  }

  /** 64 random bits in hex: unique enough to find a line in the logs, and cheap. */
  private static String newId() {
    return Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
  }

  /** The pod's name in Kubernetes (HOSTNAME), else the machine's. */
  private static String hostName() {
    String env = System.getenv("HOSTNAME");
    if (env != null && !env.isBlank()) {
      return env;
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "unknown-host";
    }
  }
}
