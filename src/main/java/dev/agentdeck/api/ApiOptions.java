package dev.agentdeck.api;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * How the API listens: address (127.0.0.1 unless set), port (7700; 0 for any free port), whether requests need
 * the token, whether it speaks TLS, and whether the API runs at all.
 *
 * @param portGiven the user chose the port; when not, a panel whose default port is taken falls back to any
 *                  free port instead of failing
 * @param tls       serve https with the engine's self-signed certificate; required on any address that is not
 *                  loopback
 */
public record ApiOptions(boolean enabled, String address, int port, boolean portGiven, boolean auth, boolean tls) {
    public static final int DEFAULT_PORT = 7700;
    public static final ApiOptions DEFAULT = new ApiOptions(true, "127.0.0.1", DEFAULT_PORT, false, true, false);
    public static final String HELP = """
              --api-port N       the API's port (default 7700; 0 = any free port)
              --api-address A    listen on A instead of 127.0.0.1; an address other machines can reach
                                 needs --tls, and the token is then always required
              --tls              serve https with a self-signed certificate made on first start (in the
                                 data folder's tls/); its SHA-256 fingerprint is printed and put in api.json
              --no-auth          accept requests without the token (loopback addresses only)
              --no-api           do not start the API
            """;

    /** Without TLS, as before {@code --tls} existed. */
    public ApiOptions(boolean enabled, String address, int port, boolean portGiven, boolean auth) {
        this(enabled, address, port, portGiven, auth, false);
    }

    /** The options this parser knows, and what is left of the arguments. */
    public record Parsed(ApiOptions options, List<String> rest) {
    }

    /** Reads the API options out of {@code args}, starting from {@code base}; other arguments are kept in order. */
    public static Parsed parse(List<String> args, ApiOptions base) {
        ApiOptions o = base;
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            String value = null;
            String name = a;
            int eq = a.indexOf('=');
            if (a.startsWith("--api-") && eq > 0) {
                name = a.substring(0, eq);
                value = a.substring(eq + 1);
            }
            switch (name) {
                case "--api-port" -> {
                    if (value == null) {
                        value = next(args, ++i, "--api-port needs a port number, e.g. --api-port 7700 (0 = any free port)");
                    }
                    int port;
                    try {
                        port = Integer.parseInt(value);
                    } catch (NumberFormatException e) {
                        port = -1;
                    }
                    if (port < 0 || port > 65535) {
                        throw new IllegalArgumentException("--api-port \"" + value + "\" must be a port number from 0 to 65535");
                    }
                    o = new ApiOptions(o.enabled, o.address, port, true, o.auth, o.tls);
                }
                case "--api-address" -> {
                    if (value == null) {
                        value = next(args, ++i, "--api-address needs an address, e.g. --api-address 127.0.0.1");
                    }
                    o = new ApiOptions(o.enabled, value, o.port, o.portGiven, o.auth, o.tls);
                }
                case "--no-auth" -> o = new ApiOptions(o.enabled, o.address, o.port, o.portGiven, false, o.tls);
                case "--no-api" -> o = new ApiOptions(false, o.address, o.port, o.portGiven, o.auth, o.tls);
                case "--tls" -> o = new ApiOptions(o.enabled, o.address, o.port, o.portGiven, o.auth, true);
                default -> rest.add(a);
            }
        }
        return new Parsed(o, List.copyOf(rest));
    }

    private static String next(List<String> args, int i, String message) {
        if (i >= args.size()) {
            throw new IllegalArgumentException(message);
        }
        return args.get(i);
    }

    /**
     * The address to bind; refuses names that do not resolve, --no-auth on an address others can reach, and
     * plain http there (the token would cross the network in clear).
     */
    public InetAddress bindAddress() {
        InetAddress a;
        try {
            a = InetAddress.getByName(address);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("--api-address \"" + address + "\" is not an address of this machine");
        }
        if (!auth && !a.isLoopbackAddress()) {
            throw new IllegalArgumentException("--no-auth is allowed only on a loopback address (127.0.0.1, ::1), not on "
                    + address + ": anyone who can reach it could start programs as you");
        }
        if (!tls && !a.isLoopbackAddress()) {
            throw new IllegalArgumentException("--api-address " + address + " can be reached from other machines, and "
                    + "without TLS the token and everything else would cross the network unencrypted: add --tls "
                    + "(clients then pin the certificate's fingerprint), or keep the API on 127.0.0.1 and reach it "
                    + "through an SSH tunnel (ssh -L 7700:127.0.0.1:" + (port == 0 ? DEFAULT_PORT : port) + " you@this-host)");
        }
        return a;
    }
}
