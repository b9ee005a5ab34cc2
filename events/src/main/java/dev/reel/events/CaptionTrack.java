package dev.reel.events;

import static dev.reel.events.Checks.nonBlank;
import static dev.reel.events.Checks.nonNull;
import static dev.reel.events.Checks.positive;

import java.util.IllformedLocaleException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One text track of a video: a WebVTT file in object storage, one per language.
 *
 * @param language  a well-formed BCP 47 language tag in its canonical form ({@link #canonicalLanguage}), e.g. {@code en},
 *                  {@code pt-BR}, {@code zh-Hant}
 * @param label     what the player's track menu shows, e.g. {@code English (CC)}; at most {@value #MAX_LABEL} characters,
 *                  no control characters or double quotes (it is a quoted string in the HLS master playlist)
 * @param kind      subtitles or captions
 * @param objectKey the WebVTT file's object key ({@code ObjectKeys.captions}); it names the content, so a replaced track
 *                  has a new key
 * @param sizeBytes the WebVTT file's size
 * @param cues      how many cues the file has
 */
public record CaptionTrack(String language, String label, CaptionKind kind, String objectKey, long sizeBytes, int cues) {

    public static final int MAX_LABEL = 100;
    /** BCP 47 allows longer tags in theory; real ones are short, and the tag is part of URLs and keys. */
    public static final int MAX_LANGUAGE = 35;
    private static final Pattern LABEL_FORBIDDEN = Pattern.compile("[\\p{Cntrl}\"]");

    public CaptionTrack {
        String canonical = canonicalLanguage(language)
                .orElseThrow(() -> new IllegalArgumentException("language must be a well-formed BCP 47 tag, was " + language));
        if (!canonical.equals(language)) {
            throw new IllegalArgumentException("language must be canonical (" + canonical + "), was " + language);
        }
        labelProblem(label).ifPresent(problem -> {
            throw new IllegalArgumentException(problem);
        });
        nonNull(kind, "kind");
        nonBlank(objectKey, "objectKey");
        positive(sizeBytes, "sizeBytes");
        positive(cues, "cues");
    }

    /**
     * The canonical form of a BCP 47 language tag (case normalized: {@code pt-br} becomes {@code pt-BR}), or empty when
     * the text is not a well-formed tag with a 2 or 3 letter language subtag (private-use-only tags such as
     * {@code x-klingon} have none) or is longer than {@value #MAX_LANGUAGE} characters. Well-formed, not registry-checked: Java knows the
     * syntax of RFC 5646, not the IANA registry.
     */
    public static Optional<String> canonicalLanguage(String tag) {
        if (tag == null || tag.isEmpty() || tag.length() > MAX_LANGUAGE) {
            return Optional.empty();
        }
        try {
            Locale locale = new Locale.Builder().setLanguageTag(tag).build();
            String canonical = locale.toLanguageTag();
            // ISO 639 codes only (2 or 3 letters): the 5 to 8 letter subtags BCP 47 reserves are never used
            return locale.getLanguage().isEmpty() || locale.getLanguage().length() > 3 || canonical.length() > MAX_LANGUAGE
                    ? Optional.empty()
                    : Optional.of(canonical);
        } catch (IllformedLocaleException e) {
            return Optional.empty();
        }
    }

    /** Why a label cannot be used, or empty when it can. */
    public static Optional<String> labelProblem(String label) {
        if (label == null || label.isBlank()) {
            return Optional.of("label must not be blank");
        }
        if (label.length() > MAX_LABEL) {
            return Optional.of("label is longer than " + MAX_LABEL + " characters");
        }
        if (LABEL_FORBIDDEN.matcher(label).find()) {
            return Optional.of("label must not contain control characters or double quotes");
        }
        return Optional.empty();
    }

    /** The language's own name for itself ({@code English}, {@code français}), the label when the owner gives none. */
    public static String defaultLabel(String language) {
        Locale locale = Locale.forLanguageTag(language);
        String name = locale.getDisplayName(locale);
        return name.isBlank() ? language : name.substring(0, 1).toUpperCase(locale) + name.substring(1);
    }
}
