package dev.reel.catalog.query;

import dev.reel.events.VideoRecord;
import dev.reel.events.VideoState;
import dev.reel.events.Visibility;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Which videos a page lists.
 *
 * @param state      only this state, or {@code null} for any
 * @param visibility only this visibility, or {@code null} for any; the API lists public videos unless asked
 *                   otherwise, as unlisted and private videos are not meant to be found by browsing
 * @param owner      only this owner's videos, or {@code null} for anyone's; the public API sets it to the caller's own
 *                   owner whenever it lists anything but public videos
 */
public record VideoFilter(VideoState state, Visibility visibility, String owner) {

    public boolean matches(VideoRecord record) {
        return (state == null || record.state() == state) && (visibility == null || record.visibility() == visibility)
                && (owner == null || owner.equals(record.owner()));
    }

    /** The filter as query parameters of the internal page endpoint, e.g. {@code &state=READY&visibility=public}. */
    public String asQueryParameters() {
        return (state == null ? "" : "&state=" + state.name())
                + "&visibility=" + (visibility == null ? "any" : visibility.name().toLowerCase(Locale.ROOT))
                + (owner == null ? "" : "&owner=" + URLEncoder.encode(owner, StandardCharsets.UTF_8));
    }
}
