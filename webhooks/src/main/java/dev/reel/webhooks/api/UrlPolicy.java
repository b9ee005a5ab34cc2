package dev.reel.webhooks.api;

import dev.reel.service.http.ApiException;
import dev.reel.webhooks.net.AddressPolicy;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;
import org.eclipse.jetty.http.HttpStatus;

/**
 * Which URLs an owner may register: absolute {@code http} or {@code https} URLs of at most {@value #MAX_LENGTH}
 * characters, with a host, no user info and no fragment, whose host resolves, now, to no refused address. This is a
 * courtesy that fails early; the guard is the delivery client's resolver, which checks again at every connection.
 */
public final class UrlPolicy {

    static final int MAX_LENGTH = 2048;

    private final AddressPolicy addresses;

    public UrlPolicy(AddressPolicy addresses) {
        this.addresses = addresses;
    }

    /** @throws ApiException 400 naming what is wrong */
    public String check(String text) {
        if (text == null || text.isBlank()) {
            throw bad("url is required");
        }
        if (text.length() > MAX_LENGTH) {
            throw bad("url is longer than " + MAX_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(text.strip());
        } catch (URISyntaxException e) {
            throw bad("url is not a valid URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw bad("url must be an http or https URL");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw bad("url has no host");
        }
        if (uri.getRawUserInfo() != null) {
            throw bad("url must not carry a user name or password");
        }
        if (uri.getRawFragment() != null) {
            throw bad("url must not have a fragment");
        }
        String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1) : uri.getHost();
        InetAddress[] resolved;
        try {
            resolved = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw bad("url's host " + host + " does not resolve");
        }
        for (InetAddress address : resolved) {
            Optional<String> refusal = addresses.refusal(address);
            if (refusal.isPresent()) {
                throw bad("url's host " + host + " is refused: " + refusal.get());
            }
        }
        return uri.toString();
    }

    private static ApiException bad(String reason) {
        return new ApiException(HttpStatus.BAD_REQUEST_400, reason);
    }
}
